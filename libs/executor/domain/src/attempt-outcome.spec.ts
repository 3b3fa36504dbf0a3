import { attemptOutcomeOf } from './attempt-outcome';
import type { ChargeResult } from './execution-result';

describe('attemptOutcomeOf', () => {
  it.each<[ChargeResult, string]>([
    [
      { kind: 'succeeded', pspReference: 'ch_1', captured: { amountMinor: 100n, currency: 'KRW' } },
      'approved',
    ],
    [{ kind: 'declined', code: 'do_not_honor', message: 'Issuer unavailable' }, 'declined'],
    [{ kind: 'cancelled', pspReference: 'ch_1' }, 'declined'],
    [{ kind: 'unavailable', message: 'acme: 503' }, 'failed'],
    [{ kind: 'unavailable', message: 'circuit breaker of acme is open' }, 'failed'],
    [{ kind: 'rejected', message: 'acme: invalid api key' }, 'failed'],
    [{ kind: 'unknown_outcome', message: 'acme: timed out' }, 'unknown'],
    [{ kind: 'pending', pspReference: 'ch_1' }, 'unknown'],
  ])('%j counts as %s', (result, outcome) => {
    expect(attemptOutcomeOf(result)).toBe(outcome);
  });
});
