import {
  METHOD_AVAILABILITY_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  PSP_EVENT_TYPES,
  TOPICS,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { operatorAuthorization, waitFor, type TopicReader } from '@keel/testing';
import {
  executionRequestPayload,
  publishedEvents,
  startExecutorHarness,
  type ExecutorHarness,
  type PublishedEvent,
} from '../../test/executor-harness';

jest.setTimeout(90_000);

let harness: ExecutorHarness;
let pspReader: TopicReader;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_resilience',
    environment: {
      EXECUTOR_BREAKER_VOLUME_THRESHOLD: '4',
      EXECUTOR_BREAKER_RESET_TIMEOUT_MS: '1000',
    },
  });
  pspReader = await harness.startReader(TOPICS.psp);
});

afterAll(async () => {
  await harness?.stop();
});

function outcomeTypeOf(paymentOrderId: string): string | undefined {
  return harness
    .eventsAbout(paymentOrderId)
    .find((event) => event.type !== PAYMENT_ORDER_EVENT_TYPES.executionRequested)?.type;
}

/** The PSP topic's health events: breaker and availability changes, without the attempts. */
function healthEvents(): PublishedEvent[] {
  return publishedEvents(pspReader.records).filter((event) => event.type !== PSP_EVENT_TYPES.attemptRecorded);
}

function breakerStates(pspId: string): string[] {
  return publishedEvents(pspReader.records)
    .filter((event) => event.type === PSP_EVENT_TYPES.breakerStateChanged && event.data['pspId'] === pspId)
    .filter((event) => event.data['paymentMethodType'] === undefined)
    .map((event) => String(event.data['state']));
}

async function allTerminal(orders: PaymentOrderExecutionRequestedPayload[]): Promise<string[]> {
  return waitFor(
    () => {
      const types = orders.map((order) => outcomeTypeOf(order.paymentOrderId));
      return types.every((type) => type !== undefined) ? (types as string[]) : undefined;
    },
    { timeoutMs: 30_000, description: `${orders.length} outcomes` },
  );
}

async function approvedChargeCount(paymentOrderId: string): Promise<number> {
  const charges = await harness.simulator.charges(paymentOrderId);
  return charges.filter((charge) => charge.status === 'approved').length;
}

describe('PSP resilience on real PostgreSQL, Kafka and psp-sim', () => {
  it('serves the seeded routing table and refuses a table naming a PSP it has no connector for', async () => {
    const seeded = (await (
      await fetch(`${harness.baseUrl}/v1/routes`, {
        headers: { authorization: operatorAuthorization('viewer') },
      })
    ).json()) as { routes: unknown[] };
    expect(seeded.routes).toEqual([
      { methodType: 'bank_transfer', provider: '*', pspId: 'nova', weight: 100, enabled: true },
      { methodType: 'card', provider: '*', pspId: 'acme', weight: 70, enabled: true },
      { methodType: 'card', provider: '*', pspId: 'nova', weight: 30, enabled: true },
      { methodType: 'easy_pay', provider: '*', pspId: 'swiftpay', weight: 100, enabled: true },
    ]);
    const refused = await fetch(`${harness.baseUrl}/v1/routes`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: operatorAuthorization('operator') },
      body: JSON.stringify({
        routes: [{ methodType: 'card', provider: '*', pspId: 'nowhere', weight: 1, enabled: true }],
      }),
    });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ type: 'https://keel.dev/problems/invalid_routes' });
  });

  it('fails card payments over to nova while acme refuses connections; acme’s breaker opens, half-opens and closes', async () => {
    const fault = await harness.simulator.addFault({ psp: 'acme', outage: 'refuse' });
    const during = Array.from({ length: 24 }, () => executionRequestPayload('tok_approve'));
    await harness.requestExecution(during);
    expect(new Set(await allTerminal(during))).toEqual(new Set([PAYMENT_ORDER_EVENT_TYPES.succeeded]));
    for (const order of during) expect(await approvedChargeCount(order.paymentOrderId)).toBe(1);
    await waitFor(() => breakerStates('acme').includes('open') || undefined, {
      description: 'acme breaker open',
    });

    const views = await Promise.all(during.map((order) => harness.paymentOrder(order.paymentOrderId)));
    const reasons = views.flatMap((view) => view.attempts.map((attempt) => attempt.reason));
    expect(reasons.some((reason) => reason.startsWith('failover_from_acme'))).toBe(true);
    expect(views.every((view) => view.pspId === 'nova')).toBe(true);

    await harness.simulator.removeFault(fault);
    // Traffic after recovery: the breaker half-opens, a trial reaches acme, and it closes.
    await waitFor(
      async () => {
        await harness.requestExecution([executionRequestPayload('tok_approve')]);
        const states = breakerStates('acme');
        return states.includes('closed') ? states : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'acme breaker closed again' },
    );
    expect(breakerStates('acme')).toEqual(['open', 'half_open', 'closed']);
    // Card kept a PSP throughout, so card was never reported unavailable.
    expect(
      publishedEvents(pspReader.records).filter(
        (event) => event.type === METHOD_AVAILABILITY_EVENT_TYPES.changed,
      ),
    ).toEqual([]);
  });

  it('does not open any breaker when half of the card payments are declined', async () => {
    const transitionsBefore = healthEvents().length;
    const orders = Array.from({ length: 40 }, (_, index) =>
      executionRequestPayload(index % 2 === 0 ? 'tok_approve' : 'tok_decline_insufficient_funds'),
    );
    await harness.requestExecution(orders);
    const outcomes = await allTerminal(orders);
    expect(outcomes.filter((type) => type === PAYMENT_ORDER_EVENT_TYPES.declined)).toHaveLength(20);
    expect(outcomes.filter((type) => type === PAYMENT_ORDER_EVENT_TYPES.succeeded)).toHaveLength(20);
    expect(healthEvents().slice(transitionsBefore)).toEqual([]);
  });

  it('reports a method unavailable when its only PSP’s breaker opens, and available again after', async () => {
    const fault = await harness.simulator.addFault({ psp: 'nova', method: 'bank', outage: '503' });
    const orders = Array.from({ length: 6 }, () => ({
      ...executionRequestPayload('tok_approve'),
      paymentMethod: { type: 'bank_transfer' as const, provider: 'kb' },
    }));
    await harness.requestExecution(orders);
    const changes = (): Record<string, unknown>[] =>
      publishedEvents(pspReader.records)
        .filter((event) => event.type === METHOD_AVAILABILITY_EVENT_TYPES.changed)
        .map((event) => event.data);
    await waitFor(() => changes().find((change) => change['available'] === false), {
      description: 'bank_transfer unavailable',
    });
    expect(changes()[0]).toMatchObject({
      paymentMethodType: 'bank_transfer',
      available: false,
      retryAfterSeconds: 1,
    });
    await harness.simulator.removeFault(fault);
    await waitFor(() => changes().find((change) => change['available'] === true), {
      timeoutMs: 30_000,
      description: 'bank_transfer available again',
    });
    await allTerminal(orders);
    for (const order of orders)
      expect(await approvedChargeCount(order.paymentOrderId)).toBeLessThanOrEqual(1);
  });
});
