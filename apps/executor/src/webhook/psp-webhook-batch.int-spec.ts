import { createHmac, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PAYMENT_ORDER_EVENT_TYPES, type PaymentOrderExecutionRequestedPayload } from '@keel/contracts';
import { waitFor } from '@keel/testing';
import {
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
} from '../../test/executor-harness';
import { PspWebhookWriter } from './psp-webhook-writer.service';

jest.setTimeout(60_000);

const ACME_WEBHOOK_SECRET = 'whsec_acme_test';

let harness: ExecutorHarness;
let dataSource: DataSource;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_webhook_batch',
    // No webhook URLs: psp-sim sends none, so every webhook here is one the test sends.
    simulatorEnvironment: { PSP_SIM_PENDING_DELAY_MS: '60000' },
    environment: {
      EXECUTOR_INQUIRY_INITIAL_DELAY_MS: '40000',
      EXECUTOR_INQUIRY_MAX_DELAY_MS: '60000',
      EXECUTOR_WEBHOOK_BATCH_SIZE: '64',
      EXECUTOR_WEBHOOK_WRITE_ATTEMPTS_MAX: '2',
      EXECUTOR_WEBHOOK_WRITE_RETRY_DELAY_MS: '20',
    },
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
  dataSource = harness.app.get(DataSource);
});

afterAll(async () => {
  await harness?.stop();
});

interface SignedWebhook {
  readonly eventId: string;
  readonly body: string;
  readonly signature: string;
}

function acmeWebhook(
  type: string,
  paymentOrderId: string,
  charge: { id: string; status: string; amount?: number },
  eventId = `evt_${randomUUID()}`,
): SignedWebhook {
  const data = { amount: 15000, currency: 'KRW', ...charge, reference: paymentOrderId };
  const body = JSON.stringify({ id: eventId, type, data });
  const timestampSeconds = Math.floor(Date.now() / 1_000);
  const digest = createHmac('sha256', ACME_WEBHOOK_SECRET)
    .update(`${timestampSeconds}.${body}`)
    .digest('hex');
  return { eventId, body, signature: `t=${timestampSeconds},v1=${digest}` };
}

/** A refund notice changes nothing (`ignore`): the cheapest webhook, the common case's cost. */
function refundNotice(paymentOrderId: string, eventId?: string): SignedWebhook {
  return acmeWebhook(
    'charge.refunded',
    paymentOrderId,
    { id: `ch_${randomUUID()}`, status: 'declined' },
    eventId,
  );
}

function post(webhook: SignedWebhook): Promise<Response> {
  return fetch(`${harness.baseUrl}/v1/psp-webhooks/acme`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Acme-Signature': webhook.signature },
    body: webhook.body,
  });
}

const declineTokens = (count: number): string[] =>
  Array.from({ length: count }, () => 'tok_decline_insufficient_funds');

async function ordersIn(
  status: string,
  tokens: readonly string[],
): Promise<PaymentOrderExecutionRequestedPayload[]> {
  const requests = tokens.map((token) => executionRequestPayload(token));
  await harness.requestExecution(requests);
  for (const request of requests) await harness.paymentOrderIn(request.paymentOrderId, status);
  return requests;
}

interface StoredWebhook {
  event_id: string;
  received_at: Date;
}

async function storedWebhooks(eventIds: readonly string[]): Promise<StoredWebhook[]> {
  return (await dataSource.query(
    'SELECT event_id, received_at FROM psp_webhook_events WHERE psp_id = $1 AND event_id = ANY($2)',
    ['acme', eventIds],
  )) as StoredWebhook[];
}

/**
 * Sends the webhooks while the writer's transaction is held on a locked order, so that all of them
 * queue up and go together in the writer's next batch; answers them in the order sent.
 */
async function sendAsOneBatch(
  blockerOrderId: string,
  webhooks: readonly SignedWebhook[],
): Promise<Response[]> {
  const writer = harness.app.get(PspWebhookWriter);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    await runner.query('SELECT 1 FROM payment_orders WHERE payment_order_id = $1 FOR UPDATE', [
      blockerOrderId,
    ]);
    const held = post(refundNotice(blockerOrderId));
    await waitFor(
      async () => {
        const [row] = (await dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )) as { n: number }[];
        return (row?.n ?? 0) > 0;
      },
      { description: "the writer's batch waiting for the locked order" },
    );
    const answers = webhooks.map((webhook) => post(webhook));
    await waitFor(() => writer.pending === webhooks.length, { description: 'every webhook queued' });
    await runner.commitTransaction();
    expect((await held).status).toBe(200);
    return await Promise.all(answers);
  } finally {
    if (runner.isTransactionActive) await runner.rollbackTransaction();
    await runner.release();
  }
}

/** The first element and the rest, for lists the test built non-empty. */
function split<T>(list: readonly T[]): [T, T[]] {
  const [first, ...rest] = list;
  if (first === undefined) throw new Error('empty list');
  return [first, rest];
}

function succeededEvents(paymentOrderId: string): number {
  return harness
    .eventsAbout(paymentOrderId)
    .filter((event) => event.type === PAYMENT_ORDER_EVENT_TYPES.succeeded).length;
}

describe('PSP webhooks in micro-batches', () => {
  it('records webhooks sent at once once each, in fewer transactions than webhooks, and applies them, each success checked against its order', async () => {
    const [blocker, declined] = split(await ordersIn('declined', declineTokens(4)));
    const pending = await ordersIn(
      'unknown',
      Array.from({ length: 3 }, () => 'tok_pending'),
    );
    const settles: SignedWebhook[] = [];
    const chargeIds: string[] = [];
    for (const order of pending) {
      const [charge] = await harness.simulator.charges(order.paymentOrderId);
      chargeIds.push(charge?.id ?? '');
      settles.push(
        acmeWebhook('charge.succeeded', order.paymentOrderId, { id: charge?.id ?? '', status: 'succeeded' }),
      );
    }
    const [underpaid] = split(await ordersIn('unknown', ['tok_pending']));
    const [underpaidCharge] = await harness.simulator.charges(underpaid.paymentOrderId);
    // Signed by the PSP, for 14 000 of the order's 15 000 KRW: decided in the same batch, never applied.
    const mismatch = acmeWebhook('charge.succeeded', underpaid.paymentOrderId, {
      id: underpaidCharge?.id ?? '',
      status: 'succeeded',
      amount: 14000,
    });
    const notices = declined.map((order) => refundNotice(order.paymentOrderId));
    const [repeated, otherSettles] = split(settles);
    // Another event for the charge `repeated` settles: decided against the order as `repeated` left it.
    const sameChargeAgain = acmeWebhook('charge.succeeded', split(pending)[0].paymentOrderId, {
      id: chargeIds[0] ?? '',
      status: 'succeeded',
    });
    const webhooks = [repeated, ...notices, repeated, sameChargeAgain, ...otherSettles, mismatch, repeated];

    const answers = await sendAsOneBatch(blocker.paymentOrderId, webhooks);

    expect(answers.map((answer) => answer.status)).toEqual(webhooks.map(() => 200));
    const effects = (await Promise.all(answers.map((answer) => answer.json()))) as { effect: string }[];
    expect(effects).toEqual([
      { effect: 'apply' },
      ...notices.map(() => ({ effect: 'ignore' })),
      { effect: 'duplicate' },
      { effect: 'ignore' },
      ...otherSettles.map(() => ({ effect: 'apply' })),
      { effect: 'amount_mismatch' },
      { effect: 'duplicate' },
    ]);
    const distinctIds = [...new Set(webhooks.map((webhook) => webhook.eventId))];
    const stored = await storedWebhooks(distinctIds);
    expect(stored.map((row) => row.event_id).sort()).toEqual([...distinctIds].sort());
    // now() is the transaction's start: rows recorded by one transaction share it.
    const transactions = new Set(stored.map((row) => row.received_at.getTime())).size;
    expect(transactions).toBe(1);
    expect(transactions).toBeLessThan(webhooks.length);
    for (const order of pending) {
      expect((await harness.paymentOrder(order.paymentOrderId)).status).toBe('succeeded');
      await waitFor(() => succeededEvents(order.paymentOrderId) === 1, {
        description: 'one succeeded event',
      });
    }
    for (const order of declined) {
      expect((await harness.paymentOrder(order.paymentOrderId)).status).toBe('declined');
    }
    expect(await harness.paymentOrder(underpaid.paymentOrderId)).toMatchObject({
      status: 'failed',
      result: { code: 'amount_mismatch' },
    });
    const [orphan] = (await dataSource.query(
      'SELECT reason, amount_minor FROM orphan_charges WHERE payment_order_id = $1',
      [underpaid.paymentOrderId],
    )) as { reason: string; amount_minor: string }[];
    expect(orphan).toEqual({ reason: 'amount_mismatch', amount_minor: '14000' });
    expect(succeededEvents(underpaid.paymentOrderId)).toBe(0);
  });

  it('answers 503 to every webhook of a batch whose transaction fails, and records none of them', async () => {
    const [blocker, declined] = split(await ordersIn('declined', declineTokens(4)));
    const innocent = declined.map((order) => refundNotice(order.paymentOrderId));
    const [firstInnocent, otherInnocents] = split(innocent);
    const poison = refundNotice(split(declined)[0].paymentOrderId, `evt_poison_${randomUUID()}`);
    // The database refuses the poison's row, so its whole batch's transaction fails, every try.
    await dataSource.query(`
      CREATE FUNCTION refuse_poison_webhook() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.event_id LIKE 'evt_poison_%' THEN RAISE EXCEPTION 'poison webhook'; END IF;
        RETURN NEW;
      END $$`);
    await dataSource.query(`
      CREATE TRIGGER refuse_poison_webhook BEFORE INSERT ON psp_webhook_events
      FOR EACH ROW EXECUTE FUNCTION refuse_poison_webhook()`);
    let answers: Response[];
    try {
      answers = await sendAsOneBatch(blocker.paymentOrderId, [firstInnocent, poison, ...otherInnocents]);
    } finally {
      await dataSource.query('DROP TRIGGER refuse_poison_webhook ON psp_webhook_events');
      await dataSource.query('DROP FUNCTION refuse_poison_webhook()');
    }

    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(await answer.json()).toMatchObject({ status: 503 });
    }
    const sent = [poison, ...innocent].map((webhook) => webhook.eventId);
    expect(await storedWebhooks(sent)).toEqual([]);

    // As the PSP does after a 5xx: it sends them again, and now they are recorded, once.
    const retried = await Promise.all(innocent.map((webhook) => post(webhook)));
    expect(retried.map((answer) => answer.status)).toEqual(innocent.map(() => 200));
    expect(await storedWebhooks(innocent.map((webhook) => webhook.eventId))).toHaveLength(innocent.length);
  });
});
