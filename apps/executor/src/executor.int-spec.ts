import { DataSource } from 'typeorm';
import {
  OUTCOME_OVERDUE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  type PaymentMethodType,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { operatorAuthorization, waitFor } from '@keel/testing';
import {
  chargeAtAcme,
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
  type PublishedEvent,
} from '../test/executor-harness';

jest.setTimeout(60_000);

/** A pending charge stays unknown this long; far past the deadline below. */
const PENDING_DELAY_MS = 1_500;
const UNKNOWN_DEADLINE_MS = 200;

const OUTCOME_TYPES: readonly string[] = [
  PAYMENT_ORDER_EVENT_TYPES.succeeded,
  PAYMENT_ORDER_EVENT_TYPES.declined,
  PAYMENT_ORDER_EVENT_TYPES.failed,
];

let harness: ExecutorHarness;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor',
    simulatorEnvironment: { PSP_SIM_PENDING_DELAY_MS: String(PENDING_DELAY_MS) },
    environment: {
      LOG_LEVEL: 'warn',
      EXECUTOR_CHARGE_ATTEMPTS_MAX: '50',
      EXECUTOR_UNKNOWN_DEADLINE_MS: String(UNKNOWN_DEADLINE_MS),
      // These scenarios are about one PSP's answers; breakers and failover have their own spec.
      EXECUTOR_BREAKER_VOLUME_THRESHOLD: '100000',
    },
    routes: [
      { methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true },
      { methodType: 'easy_pay', provider: '*', pspId: 'swiftpay', weight: 100, enabled: true },
      { methodType: 'bank_transfer', provider: '*', pspId: 'nova', weight: 100, enabled: true },
    ],
  });
});

afterAll(async () => {
  await harness?.stop();
});

function executionRequest(
  methodType: PaymentMethodType,
  instrumentToken: string,
  provider?: string,
): PaymentOrderExecutionRequestedPayload {
  const paymentMethod = provider === undefined ? { type: methodType } : { type: methodType, provider };
  return executionRequestPayload(instrumentToken, paymentMethod);
}

function outcomesOf(paymentOrderId: string): PublishedEvent[] {
  return harness.eventsAbout(paymentOrderId).filter((event) => OUTCOME_TYPES.includes(event.type));
}

function outcomeOf(paymentOrderId: string, timeoutMs = 20_000): Promise<PublishedEvent> {
  return waitFor(() => outcomesOf(paymentOrderId)[0], {
    timeoutMs,
    description: `the outcome of ${paymentOrderId}`,
  });
}

describe('executor on real PostgreSQL, Kafka and psp-sim', () => {
  it('charges an approved card once through acme and publishes succeeded with the PSP reference', async () => {
    const request = executionRequest('card', 'tok_approve', 'shinhan');
    await harness.requestExecution([request]);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    const charges = await harness.simulator.charges(request.paymentOrderId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ psp: 'acme', amountMinor: '15000', status: 'approved' });
    expect(outcome.data).toMatchObject({
      paymentOrderId: request.paymentOrderId,
      paymentId: request.paymentId,
      merchantId: 'merchant-1',
      sellerId: 'seller-1',
      amount: { amountMinor: '15000', currency: 'KRW' },
      paymentMethod: { type: 'card', provider: 'shinhan' },
      pspId: 'acme',
      pspReference: charges[0]?.id,
    });

    const order = await harness.paymentOrder(request.paymentOrderId);
    expect(order).toMatchObject({
      status: 'succeeded',
      pspId: 'acme',
      pspReference: charges[0]?.id,
      attemptCount: 1,
    });
    expect(order.attempts).toEqual([
      expect.objectContaining({
        kind: 'charge',
        pspId: 'acme',
        outcome: 'succeeded',
        reason: 'weighted',
      }),
    ]);
  });

  it('publishes declined with the decline code, and charges nothing more', async () => {
    const request = executionRequest('card', 'tok_decline_insufficient_funds');
    await harness.requestExecution([request]);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.declined);
    expect(outcome.data).toMatchObject({
      pspId: 'acme',
      decline: { code: 'insufficient_funds', message: 'Insufficient funds' },
    });
    expect(await harness.simulator.charges(request.paymentOrderId)).toEqual([
      expect.objectContaining({ status: 'declined', attempts: 1 }),
    ]);
    expect(await harness.paymentOrder(request.paymentOrderId)).toMatchObject({
      status: 'declined',
      result: { code: 'insufficient_funds' },
    });
  });

  it('stores and charges an order requested twice only once', async () => {
    const request = executionRequest('card', 'tok_approve');
    const eventIds = await harness.requestExecution([request, request]);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    const dataSource = harness.app.get(DataSource);
    await waitFor(
      async () => {
        const rows = (await dataSource.query(
          'SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)',
          [eventIds],
        )) as { n: number }[];
        return rows[0]?.n === 2;
      },
      { description: 'both execution requests consumed' },
    );
    expect(await harness.simulator.charges(request.paymentOrderId)).toEqual([
      expect.objectContaining({ status: 'approved', attempts: 1 }),
    ]);
    expect(outcomesOf(request.paymentOrderId)).toHaveLength(1);
    expect((await harness.paymentOrder(request.paymentOrderId)).attemptCount).toBe(1);
  });

  it('charges easy_pay through swiftpay and bank_transfer through nova', async () => {
    const easyPay = executionRequest('easy_pay', 'tok_approve', 'kakaopay');
    const bankTransfer = executionRequest('bank_transfer', 'tok_approve', 'kb');
    await harness.requestExecution([easyPay, bankTransfer]);

    const [easyPayOutcome, bankOutcome] = await Promise.all([
      outcomeOf(easyPay.paymentOrderId),
      outcomeOf(bankTransfer.paymentOrderId),
    ]);
    expect(easyPayOutcome).toMatchObject({
      type: PAYMENT_ORDER_EVENT_TYPES.succeeded,
      data: { pspId: 'swiftpay' },
    });
    expect(bankOutcome).toMatchObject({ type: PAYMENT_ORDER_EVENT_TYPES.succeeded, data: { pspId: 'nova' } });
    const [swiftpayCharges, novaCharges] = await Promise.all([
      harness.simulator.charges(easyPay.paymentOrderId),
      harness.simulator.charges(bankTransfer.paymentOrderId),
    ]);
    expect(swiftpayCharges).toEqual([expect.objectContaining({ psp: 'swiftpay', status: 'approved' })]);
    expect(novaCharges).toEqual([expect.objectContaining({ psp: 'nova', status: 'approved' })]);
    expect(easyPayOutcome.data['pspReference']).toBe(swiftpayCharges[0]?.id);
    expect(bankOutcome.data['pspReference']).toBe(novaCharges[0]?.id);
  });

  it('fails a mobile payment as method_unavailable without calling any PSP', async () => {
    const request = executionRequest('mobile', 'tok_approve');
    await harness.requestExecution([request]);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.failed);
    expect(outcome.data).toMatchObject({ failure: { code: 'method_unavailable' } });
    expect(outcome.data['pspId']).toBeUndefined();
    expect(await harness.simulator.charges(request.paymentOrderId)).toEqual([]);
    expect(await harness.paymentOrder(request.paymentOrderId)).toMatchObject({
      status: 'failed',
      attemptCount: 0,
    });
  });

  it('retries through a PSP outage (503) and charges exactly once when it ends', async () => {
    const faultId = await harness.simulator.addFault({ psp: 'acme', issuer: 'outage-bank', errorRate: 1 });
    const request = executionRequest('card', 'tok_approve', 'outage-bank');
    await harness.requestExecution([request]);

    await waitFor(
      async () => {
        const order = await harness.paymentOrder(request.paymentOrderId);
        return order.attempts.filter((attempt) => attempt.outcome === 'unavailable').length >= 2 && order;
      },
      { description: 'two charge attempts refused with 503' },
    );
    expect(outcomesOf(request.paymentOrderId)).toEqual([]);
    await harness.simulator.removeFault(faultId);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    const charges = await harness.simulator.charges(request.paymentOrderId);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ status: 'approved' });
    const order = await harness.paymentOrder(request.paymentOrderId);
    expect(order.status).toBe('succeeded');
    expect(order.attemptCount).toBeGreaterThanOrEqual(3);
    expect(order.attempts.every((attempt) => attempt.kind === 'charge' && attempt.pspId === 'acme')).toBe(
      true,
    );
  });

  it('treats a refused connection as not charged, and charges once the PSP is back', async () => {
    const faultId = await harness.simulator.addFault({ psp: 'nova', outage: 'refuse' });
    const request = executionRequest('bank_transfer', 'tok_approve', 'kb');
    await harness.requestExecution([request]);

    await waitFor(
      async () => {
        const order = await harness.paymentOrder(request.paymentOrderId);
        const refused = order.attempts.filter((attempt) => attempt.errorMessage?.includes('ECONNREFUSED'));
        return refused.length >= 2 && order.status !== 'unknown' && order;
      },
      { description: 'two charge attempts refused at connect' },
    );
    await harness.simulator.removeFault(faultId);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome).toMatchObject({ type: PAYMENT_ORDER_EVENT_TYPES.succeeded, data: { pspId: 'nova' } });
    expect(await harness.simulator.charges(request.paymentOrderId)).toEqual([
      expect.objectContaining({ psp: 'nova', status: 'approved' }),
    ]);
    const order = await harness.paymentOrder(request.paymentOrderId);
    expect(order.attempts.every((attempt) => attempt.kind === 'charge')).toBe(true);
  });

  it('resolves a charge that timed out after the PSP took it by inquiry, never by charging anew', async () => {
    const faultId = await harness.simulator.addFault({
      psp: 'acme',
      issuer: 'slow-bank',
      chargeThenTimeoutRate: 1,
    });
    const request = executionRequest('card', 'tok_approve', 'slow-bank');
    await harness.requestExecution([request]);

    await harness.paymentOrderIn(request.paymentOrderId, 'unknown');
    await harness.simulator.removeFault(faultId);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    const charges = await harness.simulator.charges(request.paymentOrderId);
    expect(charges).toHaveLength(1);
    expect(outcome.data['pspReference']).toBe(charges[0]?.id);
    const order = await harness.paymentOrder(request.paymentOrderId);
    expect(order.attemptCount).toBe(1);
    expect(order.attempts[0]).toMatchObject({ kind: 'charge', outcome: 'unknown_outcome' });
    expect(order.attempts.slice(1).every((attempt) => attempt.kind === 'inquiry')).toBe(true);
  });

  it('follows a pending charge by inquiry until the PSP settles it', async () => {
    const request = executionRequest('card', 'tok_pending');
    await harness.requestExecution([request]);

    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    expect(await harness.simulator.charges(request.paymentOrderId)).toHaveLength(1);
    const order = await harness.paymentOrder(request.paymentOrderId);
    expect(order.attempts[0]).toMatchObject({ kind: 'charge', outcome: 'pending' });
    expect(order.attempts[order.attempts.length - 1]).toMatchObject({
      kind: 'inquiry',
      outcome: 'succeeded',
    });
  });

  it('reports an outcome unknown past the deadline once, and still resolves it by inquiry', async () => {
    const request = executionRequest('card', 'tok_pending');
    await harness.requestExecution([request]);
    const overdueEvents = (): PublishedEvent[] =>
      harness
        .eventsAbout(request.paymentOrderId)
        .filter((event) => event.type === OUTCOME_OVERDUE_EVENT_TYPES.overdue);

    const [overdue] = await waitFor(() => (overdueEvents().length > 0 ? overdueEvents() : undefined), {
      description: 'the outcome_overdue event',
    });
    expect(overdue?.data).toMatchObject({
      paymentOrderId: request.paymentOrderId,
      paymentId: request.paymentId,
      pspId: 'acme',
    });
    const data = overdue?.data ?? {};
    const unknownForMs = Date.parse(String(data['reportedAt'])) - Date.parse(String(data['unknownSince']));
    expect(unknownForMs).toBeGreaterThanOrEqual(UNKNOWN_DEADLINE_MS);
    expect(outcomesOf(request.paymentOrderId)).toHaveLength(0);

    // Still asked about after the report, and settled by the PSP's answer; never charged again.
    const outcome = await outcomeOf(request.paymentOrderId);
    expect(outcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    expect(await harness.simulator.charges(request.paymentOrderId)).toHaveLength(1);
    // The outbox relays an order's events in order: every overdue report is in before the outcome.
    expect(overdueEvents()).toHaveLength(1);
    const metrics = await (
      await fetch(`${harness.baseUrl}/metrics`, {
        headers: { authorization: operatorAuthorization('viewer') },
      })
    ).text();
    expect(metrics).toMatch(/keel_executor_unknown_overdue_total\{psp="acme"[^}]*\} [1-9]/);
    expect(metrics).toMatch(/keel_executor_unknown_orders\{psp="acme"[^}]*\} \d+/);
  });

  it('takes over an order left executing by a crashed process by inquiry, with the same key', async () => {
    const charged = executionRequest('card', 'tok_approve');
    const neverSent = executionRequest('card', 'tok_approve');
    // The crashed process got as far as the PSP for one order and not for the other.
    await chargeAtAcme(harness.simulator, {
      paymentOrderId: charged.paymentOrderId,
      amountMinor: 15000,
      currency: 'KRW',
      instrumentToken: 'tok_approve',
    });
    const dataSource = harness.app.get(DataSource);
    for (const request of [charged, neverSent]) {
      await dataSource.query(
        `INSERT INTO payment_orders (payment_order_id, payment_id, merchant_id, seller_id, amount_minor, currency,
           method_type, instrument_token, status, psp_id, attempts, lease_expires_at, requested_at)
         VALUES ($1, $2, 'merchant-1', 'seller-1', 15000, 'KRW', 'card', 'tok_approve', 'executing', 'acme', 1,
           now() - interval '1 second', now())`,
        [request.paymentOrderId, request.paymentId],
      );
    }

    const [chargedOutcome, neverSentOutcome] = await Promise.all([
      outcomeOf(charged.paymentOrderId),
      outcomeOf(neverSent.paymentOrderId),
    ]);
    expect(chargedOutcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    expect(neverSentOutcome.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    const chargedAtPsp = await harness.simulator.charges(charged.paymentOrderId);
    expect(chargedAtPsp).toEqual([expect.objectContaining({ attempts: 1 })]);
    expect(chargedOutcome.data['pspReference']).toBe(chargedAtPsp[0]?.id);
    expect(await harness.paymentOrder(charged.paymentOrderId)).toMatchObject({
      attemptCount: 1,
      attempts: [expect.objectContaining({ kind: 'inquiry', outcome: 'succeeded' })],
    });
    // Nothing at the PSP: only then is it charged again, under the same key.
    expect(await harness.simulator.charges(neverSent.paymentOrderId)).toHaveLength(1);
    expect(await harness.paymentOrder(neverSent.paymentOrderId)).toMatchObject({
      attemptCount: 2,
      attempts: [
        expect.objectContaining({ kind: 'inquiry', outcome: 'not_found' }),
        expect.objectContaining({ kind: 'charge', outcome: 'succeeded' }),
      ],
    });
  });

  it('answers an unknown payment order with problem+json 404', async () => {
    const response = await fetch(`${harness.baseUrl}/v1/payment-orders/po_missing`, {
      headers: { authorization: operatorAuthorization('viewer') },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({
      type: 'https://keel.dev/problems/payment_order_not_found',
    });
  });
});
