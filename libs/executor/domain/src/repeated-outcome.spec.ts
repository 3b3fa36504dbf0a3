import type { ChargeResult } from './execution-result';
import { repeatsSettledOutcome } from './repeated-outcome';

/** A success for 15 000 KRW under the PSP's reference. */
function success(pspReference: string): ChargeResult {
  return { kind: 'succeeded', pspReference, captured: { amountMinor: 15_000n, currency: 'KRW' } };
}

describe('repeatsSettledOutcome', () => {
  const succeeded = { status: 'succeeded', pspId: 'acme', pspReference: 'ch_1' } as const;
  const declined = { status: 'declined', pspId: 'acme', pspReference: 'ch_2' } as const;

  it('is true for the success or decline the order already ended with', () => {
    expect(repeatsSettledOutcome(succeeded, 'acme', success('ch_1'))).toBe(true);
    expect(
      repeatsSettledOutcome(declined, 'acme', { kind: 'declined', code: 'card_declined', message: 'no' }),
    ).toBe(true);
  });

  it('is false for another charge, another PSP or another outcome', () => {
    expect(repeatsSettledOutcome(succeeded, 'acme', success('ch_9'))).toBe(false);
    expect(repeatsSettledOutcome(succeeded, 'nova', success('ch_1'))).toBe(false);
    expect(
      repeatsSettledOutcome(succeeded, 'acme', { kind: 'declined', code: 'card_declined', message: 'no' }),
    ).toBe(false);
    expect(repeatsSettledOutcome(declined, 'acme', success('ch_2'))).toBe(false);
    expect(
      repeatsSettledOutcome({ status: 'failed', pspId: 'acme' }, 'acme', {
        kind: 'unknown_outcome',
        message: 't',
      }),
    ).toBe(false);
  });
});
