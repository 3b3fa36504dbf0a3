import { DataSource } from 'typeorm';
import {
  dlqTopicOf,
  PAYMENT_ORDER_EVENT_TYPES,
  TOPICS,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { headerAsString, type IncomingRecord } from '@keel/messaging';
import { waitFor, type TopicReader } from '@keel/testing';
import {
  executionRequestPayload,
  startExecutorHarness,
  type ExecutorHarness,
  type PublishedEvent,
} from '../../test/executor-harness';

jest.setTimeout(60_000);

let harness: ExecutorHarness;
let dataSource: DataSource;
let deadLetters: TopicReader;

beforeAll(async () => {
  harness = await startExecutorHarness({
    databaseName: 'executor_intake',
    // One partition: the events of one send reach the executor in order, mostly as one chunk.
    partitions: 1,
    environment: { LOG_LEVEL: 'warn' },
    routes: [{ methodType: 'card', provider: '*', pspId: 'acme', weight: 100, enabled: true }],
  });
  dataSource = harness.app.get(DataSource);
  deadLetters = await harness.startReader(dlqTopicOf(TOPICS.paymentOrder));
});

afterAll(async () => {
  await harness?.stop();
});

function succeededCount(paymentOrderId: string): number {
  return harness
    .eventsAbout(paymentOrderId)
    .filter((event) => event.type === PAYMENT_ORDER_EVENT_TYPES.succeeded).length;
}

async function waitSucceeded(paymentOrderIds: readonly string[]): Promise<void> {
  await waitFor(() => paymentOrderIds.every((id) => succeededCount(id) > 0), {
    timeoutMs: 30_000,
    description: `${paymentOrderIds.length} orders succeeded`,
  });
}

async function consumed(eventIds: readonly string[]): Promise<void> {
  await waitFor(
    async () => {
      const rows = (await dataSource.query('SELECT count(*)::int AS n FROM inbox WHERE event_id = ANY($1)', [
        eventIds,
      ])) as { n: number }[];
      return rows[0]?.n === eventIds.length;
    },
    { description: `${eventIds.length} execution requests consumed` },
  );
}

interface StoredRow {
  payment_order_id: string;
  amount_minor: string;
  platform_fee_minor: string | null;
  status: string;
  attempts: number;
  created_at: Date;
  updated_at: Date;
}

async function storedRows(paymentOrderIds: readonly string[]): Promise<StoredRow[]> {
  return (await dataSource.query(
    `SELECT payment_order_id, amount_minor, platform_fee_minor, status, attempts, created_at, updated_at
     FROM payment_orders WHERE payment_order_id = ANY($1)`,
    [paymentOrderIds],
  )) as StoredRow[];
}

type Request = PaymentOrderExecutionRequestedPayload;

/**
 * Publishes `poison` between two good requests in one send; answers its dead letter and the two
 * good requests once both of them succeeded.
 */
async function deadLetterAmongGood(
  poison: Request,
): Promise<{ deadLetter: IncomingRecord; good: readonly [Request, Request] }> {
  const good = [executionRequestPayload(), executionRequestPayload()] as const;
  const [, poisonEventId] = await harness.requestExecution([good[0], poison, good[1]]);
  await waitSucceeded(good.map((request) => request.paymentOrderId));
  const deadLetter = await waitFor(
    () => deadLetters.records.find((record) => headerAsString(record.headers['ce_id']) === poisonEventId),
    { description: `the request for ${poison.paymentOrderId} dead-lettered` },
  );
  return { deadLetter, good };
}

async function expectChargedOnce(paymentOrderId: string): Promise<void> {
  expect(await harness.simulator.charges(paymentOrderId)).toEqual([
    expect.objectContaining({ psp: 'acme', status: 'approved', attempts: 1 }),
  ]);
}

describe('payment order intake, a run of requests at a time', () => {
  it('stores and charges once an order requested twice in one chunk and again in a later one', async () => {
    const repeated = executionRequestPayload();
    const other = executionRequestPayload();
    const firstIds = await harness.requestExecution([repeated, other, repeated]);
    await waitSucceeded([repeated.paymentOrderId, other.paymentOrderId]);
    await consumed(firstIds);
    const laterIds = await harness.requestExecution([repeated]);
    await consumed(laterIds);

    await expectChargedOnce(repeated.paymentOrderId);
    await expectChargedOnce(other.paymentOrderId);
    expect(succeededCount(repeated.paymentOrderId)).toBe(1);
    const rows = await storedRows([repeated.paymentOrderId, other.paymentOrderId]);
    expect(rows).toHaveLength(2);
    expect(rows.every((row) => row.status === 'succeeded' && row.attempts === 1)).toBe(true);
    const attempts = (await dataSource.query(
      'SELECT count(*)::int AS n FROM payment_order_attempts WHERE payment_order_id = $1',
      [repeated.paymentOrderId],
    )) as { n: number }[];
    expect(attempts[0]?.n).toBe(1);
  });

  it('dead-letters the one request with other terms for an existing order and stores the rest', async () => {
    const existing = executionRequestPayload();
    await harness.requestExecution([existing]);
    await waitSucceeded([existing.paymentOrderId]);

    const poison: PaymentOrderExecutionRequestedPayload = {
      ...existing,
      amount: { amountMinor: '99000', currency: 'KRW' },
    };
    const {
      deadLetter,
      good: [before, after],
    } = await deadLetterAmongGood(poison);
    expect(headerAsString(deadLetter.headers['keel_dlq_detail'])).toContain('other terms');
    await expectChargedOnce(existing.paymentOrderId);
    await expectChargedOnce(before.paymentOrderId);
    await expectChargedOnce(after.paymentOrderId);
    const [stored] = await storedRows([existing.paymentOrderId]);
    expect(stored?.amount_minor).toBe('15000');
  });

  it('charges each of many orders stored in one chunk exactly once, applying outcomes in batches', async () => {
    const requests = Array.from({ length: 40 }, () => executionRequestPayload());
    const ids = requests.map((request) => request.paymentOrderId);
    await harness.requestExecution(requests);
    await waitSucceeded(ids);

    for (const id of ids) await expectChargedOnce(id);
    expect(ids.every((id) => succeededCount(id) === 1)).toBe(true);
    const rows = await storedRows(ids);
    expect(rows).toHaveLength(ids.length);
    expect(rows.every((row) => row.status === 'succeeded' && row.attempts === 1)).toBe(true);
    // now() is the transaction's start: rows written by one transaction share it.
    const storeTransactions = new Set(rows.map((row) => row.created_at.getTime())).size;
    const outcomeTransactions = new Set(rows.map((row) => row.updated_at.getTime())).size;
    expect(storeTransactions).toBeLessThan(ids.length);
    expect(outcomeTransactions).toBeLessThan(ids.length);
  });
});

describe('the platform fee, carried from the request to succeeded.v2', () => {
  function outcomesOf(paymentOrderId: string): PublishedEvent[] {
    return harness
      .eventsAbout(paymentOrderId)
      .filter((event) => event.type !== PAYMENT_ORDER_EVENT_TYPES.executionRequested);
  }

  it('publishes succeeded.v2 with the requested fee right after succeeded.v1, which stays as it was', async () => {
    const request = { ...executionRequestPayload(), platformFee: { amountMinor: '1234', currency: 'KRW' } };
    await harness.requestExecution([request]);
    await waitFor(() => outcomesOf(request.paymentOrderId).length === 2, {
      timeoutMs: 30_000,
      description: 'succeeded v1 and v2',
    });
    const [v1, v2] = outcomesOf(request.paymentOrderId);
    expect(v1?.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeeded);
    expect(v1?.data).not.toHaveProperty('platformFee');
    expect(v2?.type).toBe(PAYMENT_ORDER_EVENT_TYPES.succeededV2);
    expect(v2?.data).toEqual({ ...v1?.data, platformFee: { amountMinor: '1234', currency: 'KRW' } });
    const [stored] = await storedRows([request.paymentOrderId]);
    expect(stored?.platform_fee_minor).toBe('1234');
  });

  it('announces an order requested without a fee (by an older payment service) with succeeded.v1 alone', async () => {
    const { platformFee: _none, ...request } = executionRequestPayload();
    const eventIds = await harness.requestExecution([request]);
    await waitSucceeded([request.paymentOrderId]);
    // A later order on the one partition: once its outcome is read, the first order's are all in.
    const later = executionRequestPayload();
    await harness.requestExecution([later]);
    await waitSucceeded([later.paymentOrderId]);
    await consumed(eventIds);
    expect(outcomesOf(request.paymentOrderId).map((outcome) => outcome.type)).toEqual([
      PAYMENT_ORDER_EVENT_TYPES.succeeded,
    ]);
  });

  it.each([
    ['the whole amount', { amountMinor: '15000', currency: 'KRW' }, 'outside 0 ≤ fee < 15000 KRW'],
    ['another currency', { amountMinor: '10', currency: 'USD' }, 'not in the currency of 15000 KRW'],
  ])(
    'dead-letters a request whose fee is %s, charging nothing, and stores the rest',
    async (_name, fee, why) => {
      const poison = { ...executionRequestPayload(), platformFee: fee };
      const { deadLetter } = await deadLetterAmongGood(poison);
      expect(headerAsString(deadLetter.headers['keel_dlq_reason'])).toBe('handler_rejected');
      expect(headerAsString(deadLetter.headers['keel_dlq_detail'])).toContain(why);
      expect(await storedRows([poison.paymentOrderId])).toEqual([]);
      expect(await harness.simulator.charges(poison.paymentOrderId)).toEqual([]);
    },
  );
});
