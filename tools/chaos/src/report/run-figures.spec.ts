import { SeededRandom } from '@keel/seeded-random';
import type { CheckoutRecord } from '../workload/checkout-client';
import { DEFAULT_CHECKOUT_MIX, planCheckouts } from '../workload/checkout-plan';
import { clientFigures, faultTally, METHOD_UNAVAILABLE_PROBLEM, paymentFigures } from './run-figures';

function checkoutWith(attempts: CheckoutRecord['attempts']): CheckoutRecord {
  const [planned] = planCheckouts(new SeededRandom(1), {
    ...DEFAULT_CHECKOUT_MIX,
    ratePerSecond: 1,
    durationMs: 1_000,
  });
  if (planned === undefined) throw new Error('no checkout planned');
  return { planned, attempts };
}

describe('run figures', () => {
  it('counts faults per class, with their errors and how many started late', () => {
    const fault = {
      atMs: 0,
      durationMs: 1_000,
      target: 'acme',
      parameters: {},
      startedAt: '2026-11-23T10:00:00Z',
    };
    const tally = faultTally([
      { ...fault, faultClass: 'psp-outage' },
      { ...fault, faultClass: 'psp-outage', error: 'psp-sim answered 500' },
      { ...fault, faultClass: 'kafka-broker-restart', startDelayMs: 4_200 },
      { ...fault, faultClass: 'kafka-broker-restart', startDelayMs: 17_300 },
      { ...fault, faultClass: 'kafka-broker-restart' },
    ]);
    expect(tally['psp-outage']).toEqual({ count: 2, errors: 1, startedLate: 0, maxStartDelayMs: 0 });
    expect(tally['kafka-broker-restart']).toEqual({
      count: 3,
      errors: 0,
      startedLate: 2,
      maxStartDelayMs: 17_300,
    });
    expect(tally['service-kill']).toEqual({ count: 0, errors: 0, startedLate: 0, maxStartDelayMs: 0 });
  });

  it('counts retries, timeouts and statuses, and takes latency only from answered requests', () => {
    const figures = clientFigures([
      checkoutWith([
        { copy: 1, attempt: 1, startedAtMs: 0, latencyMs: 3_000, status: 'timeout' },
        { copy: 1, attempt: 2, startedAtMs: 0, latencyMs: 40, status: 202, paymentId: 'pay_1' },
        { copy: 2, attempt: 1, startedAtMs: 0, latencyMs: 20, status: 409 },
      ]),
    ]);
    expect(figures).toMatchObject({ requests: 3, retries: 1, timeouts: 1, networkErrors: 0 });
    expect(figures.statusCounts).toEqual({ timeout: 1, '202': 1, '409': 1 });
    expect(figures.latencyMs).toEqual({ p50: 20, p95: 40, p99: 40, max: 40 });
  });

  it('counts refusals for an unavailable method apart from the acceptance share', () => {
    const overloaded = 'https://keel.dev/problems/overloaded';
    const accepted = { ...checkoutWith([]), paymentId: 'pay_1' };
    const refusedByKeel = checkoutWith([
      { copy: 1, attempt: 1, startedAtMs: 0, latencyMs: 5, status: 503, problemType: overloaded },
    ]);
    const noPsp = checkoutWith([
      { copy: 1, attempt: 1, startedAtMs: 0, latencyMs: 5, status: 503, problemType: overloaded },
      { copy: 1, attempt: 2, startedAtMs: 0, latencyMs: 5, status: 'timeout' },
      {
        copy: 1,
        attempt: 3,
        startedAtMs: 0,
        latencyMs: 5,
        status: 503,
        problemType: METHOD_UNAVAILABLE_PROBLEM,
      },
    ]);
    const figures = paymentFigures([accepted, refusedByKeel, noPsp], []);
    expect(figures).toMatchObject({ attempted: 3, accepted: 1, rejected: 2, rejectedMethodUnavailable: 1 });
    expect(figures.acceptedShare).toBe(0.5);
  });
});
