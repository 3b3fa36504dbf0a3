import { invariantLine } from './checker/invariant-result';
import { runChaos } from './chaos-run';
import { FAULT_CLASSES, type ScheduledFault } from './faults/fault';
import { PROFILES, type ChaosProfile } from './profiles';
import { faultTally } from './report/run-figures';

/** The seed CI runs; another seed that fails is reproduced with `npm run chaos -- --seed <N>`. */
const CI_SEED = 20261123;
const BROKEN_TRAFFIC_MS = 15_000;

jest.setTimeout(360_000);

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

it('short profile: every fault class injected, every invariant holds, checkout stays open', async () => {
  const outcome = await runChaos({ profile: PROFILES.short, seed: CI_SEED, log });

  const tally = faultTally(outcome.injected);
  expect(FAULT_CLASSES.filter((faultClass) => tally[faultClass].count === 0)).toEqual([]);
  expect(outcome.injected.filter((fault) => fault.error !== undefined)).toEqual([]);
  const completed = new Set(
    outcome.payments.filter((payment) => payment.status === 'completed').map((payment) => payment.checkoutId),
  );
  const completedMethods = outcome.checkouts
    .filter((record) => completed.has(record.planned.body.checkoutId))
    .map((record) => record.planned.body.paymentMethod.type);
  expect(new Set(completedMethods)).toEqual(new Set(['card', 'easy_pay', 'bank_transfer']));
  expect(outcome.results.filter((result) => !result.passed).map(invariantLine)).toEqual([]);
  expect(outcome.acceptance.share).toBeGreaterThanOrEqual(PROFILES.short.minAcceptedShare);
});

it('broken build (failover on unknown outcome): I1 fails and names the double-charged orders', async () => {
  const profile: ChaosProfile = {
    ...PROFILES.short,
    trafficMs: BROKEN_TRAFFIC_MS,
    mix: { ...PROFILES.short.mix, durationMs: BROKEN_TRAFFIC_MS, ratePerSecond: 4 },
    quiescenceTimeoutMs: 60_000,
  };
  const chargeThenTimeoutOnAcme: ScheduledFault = {
    atMs: 0,
    durationMs: BROKEN_TRAFFIC_MS,
    faultClass: 'psp-charge-then-timeout',
    target: 'acme',
    parameters: { chargeThenTimeoutRate: 0.5 },
  };
  const outcome = await runChaos({
    profile,
    seed: CI_SEED,
    breakName: 'failover-on-unknown-outcome',
    schedule: [chargeThenTimeoutOnAcme],
    log,
  });

  const singleCharge = outcome.results.find((result) => result.invariant === 'I1');
  expect(singleCharge?.passed).toBe(false);
  expect(singleCharge?.offendingCount).toBeGreaterThan(0);
  const orderIds = new Set(outcome.payments.flatMap((payment) => payment.orders.map((order) => order.id)));
  expect(singleCharge?.offending.every((orderId) => orderIds.has(orderId))).toBe(true);
});
