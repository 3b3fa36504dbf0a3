import { waitFor } from '@keel/testing';
import { postCardPayment } from '@keel/traffic';
import { FAULT_CLASSES, type ScheduledFault } from '../faults/fault';
import { startChaosEnvironment, type ChaosEnvironment } from './chaos-environment';

const MERCHANT_ID = 'merchant_chaos';

/** One short fault of every class, all within the first few seconds; payment's second instance killed too. */
const TINY_SCHEDULE: readonly ScheduledFault[] = [
  {
    atMs: 0,
    durationMs: 3_000,
    faultClass: 'service-kill',
    target: 'wallet',
    parameters: { signal: 'SIGKILL' },
  },
  {
    atMs: 0,
    durationMs: 3_000,
    faultClass: 'service-kill',
    target: 'payment',
    parameters: { signal: 'SIGKILL', instance: 1 },
  },
  {
    atMs: 0,
    durationMs: 5_000,
    faultClass: 'kafka-broker-restart',
    target: 'kafka',
    parameters: { signal: 'SIGKILL' },
  },
  {
    atMs: 500,
    durationMs: 2_000,
    faultClass: 'postgres-terminate',
    target: 'all',
    parameters: { rounds: 2 },
  },
  { atMs: 0, durationMs: 2_000, faultClass: 'psp-outage', target: 'acme', parameters: { outage: 'refuse' } },
  { atMs: 0, durationMs: 2_000, faultClass: 'psp-latency', target: 'nova', parameters: { latencyMs: 500 } },
  {
    atMs: 0,
    durationMs: 2_000,
    faultClass: 'psp-charge-then-timeout',
    target: 'swiftpay',
    parameters: { chargeThenTimeoutRate: 0.5 },
  },
  {
    atMs: 2_500,
    durationMs: 2_000,
    faultClass: 'webhook-duplicate',
    target: 'acme',
    parameters: { webhookDuplicateRate: 1 },
  },
  {
    atMs: 2_500,
    durationMs: 2_000,
    faultClass: 'webhook-out-of-order',
    target: 'nova',
    parameters: { webhookDelayMs: 1_000 },
  },
  {
    atMs: 1_000,
    durationMs: 2_000,
    faultClass: 'network-delay',
    target: 'postgres',
    parameters: { delayMs: 100 },
  },
];

async function paymentStatus(environment: ChaosEnvironment, paymentId: string): Promise<string> {
  const response = await fetch(`${environment.system.url('payment')}/v1/payments/${paymentId}`, {
    headers: { authorization: await environment.system.keys().authorizationFor(MERCHANT_ID) },
  });
  return ((await response.json()) as { status: string }).status;
}

describe('chaos environment', () => {
  let environment: ChaosEnvironment;

  beforeAll(async () => {
    const startedAtMs = Date.now();
    environment = await startChaosEnvironment({ label: 'chaos_int', instances: { payment: 2 } });
    console.log(`chaos environment started in ${Date.now() - startedAtMs} ms`);
  }, 240_000);

  afterAll(async () => {
    await environment?.stop();
  }, 60_000);

  it('injects one fault of every class, heals every instance, and still completes a payment', async () => {
    expect(new Set(TINY_SCHEDULE.map((fault) => fault.faultClass))).toEqual(new Set(FAULT_CLASSES));
    const faultsStartedAtMs = Date.now();
    const injected = await environment.runFaults(TINY_SCHEDULE);
    // An instance down with no fault to undo (as a kill whose restart gave up): heal() starts it.
    const secondPayment = environment.system.instances('payment')[1];
    await secondPayment?.process.kill();
    expect(secondPayment?.process.isRunning()).toBe(false);
    const healStartedAtMs = Date.now();
    await environment.heal();
    console.log(
      `faults ran ${healStartedAtMs - faultsStartedAtMs} ms, healed in ${Date.now() - healStartedAtMs} ms`,
    );
    console.log(
      injected.map((fault) => `${fault.faultClass} ${fault.target}: ${fault.observation}`).join('\n'),
    );

    expect(injected.filter((fault) => fault.error !== undefined)).toEqual([]);
    expect(injected.every((fault) => fault.endedAt !== undefined && fault.observation !== undefined)).toBe(
      true,
    );
    const kills = injected.filter((fault) => fault.faultClass === 'service-kill');
    expect(kills.map((fault) => fault.observation)).toEqual([
      expect.stringMatching(/^killed .*\(wallet, pid \d+\)$/),
      expect.stringMatching(/^killed .*\(payment-2, pid \d+\)$/),
    ]);
    for (const name of environment.system.names()) {
      const path = name === 'psp-sim' ? '/health/live' : '/health/ready';
      for (const instance of environment.system.instances(name))
        expect((await fetch(`${instance.url}${path}`)).status).toBe(200);
    }

    const answer = await postCardPayment(environment.system.url('payment'), {
      apiKey: await environment.system.keys().keyFor(MERCHANT_ID),
      sellerId: 'seller_chaos',
      amountMinor: 12_000n,
      checkoutPrefix: 'chaos-int',
    });
    expect(answer.httpStatus).toBe(202);
    const paymentId = answer.paymentId ?? '';
    const paymentSentAtMs = Date.now();
    await waitFor(async () => (await paymentStatus(environment, paymentId)) === 'completed', {
      timeoutMs: 60_000,
      intervalMs: 500,
      description: `payment ${paymentId} to complete after the faults`,
    });
    console.log(`payment completed ${Date.now() - paymentSentAtMs} ms after it was sent`);
  }, 180_000);
});
