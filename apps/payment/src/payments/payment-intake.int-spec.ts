// The accept path under concurrency and its cost, on real PostgreSQL and Kafka: one buyer's
// concurrent payments respect the velocity rule, every key makes one payment and replays it, and a
// fresh payment is accepted in one transaction of a few statements.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, type PaymentView } from '../../test/payment-fixtures';
import { PaymentHarness, VELOCITY_MAX, type HttpResult } from '../../test/payment-harness';

jest.setTimeout(60_000);

const CONCURRENT_ACCEPTS = 50;
/**
 * BEGIN, the key's claim (with the buyer's lock), the velocity read, the payment's write with its
 * outbox rows, COMMIT. The velocity read stays apart from the claim: a statement's snapshot
 * predates its wait for the buyer's lock, so it would miss a payment committed meanwhile.
 */
const ACCEPT_ROUND_TRIPS_MAX = 5;

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start({
    // Admission must let all of them in at once; shedding is tested in admission.int-spec.ts.
    PAYMENT_MAX_CONCURRENT_CREATES: String(CONCURRENT_ACCEPTS * 2),
    // The background re-read of method availability (every second by default) must not land in the
    // window where the accept's own statements are recorded: CI caught one there.
    METHOD_AVAILABILITY_REFRESH_MS: '60000',
  });
});

afterAll(async () => {
  await harness.stop();
});

function postAll(
  merchantId: string,
  requests: readonly { body: unknown; key: string }[],
): Promise<HttpResult[]> {
  return Promise.all(requests.map((request) => harness.post(merchantId, request.body, request.key)));
}

describe('accepting one buyer’s payments concurrently', () => {
  it(`accepts exactly ${VELOCITY_MAX} of ${CONCURRENT_ACCEPTS} concurrent payments, makes one payment per key, and replays every answer`, async () => {
    const merchantId = newMerchant();
    const buyer = { id: `buyer-${randomUUID().slice(0, 8)}` };
    const requests = Array.from({ length: CONCURRENT_ACCEPTS }, () => ({
      body: paymentBody({ buyer }),
      key: randomUUID(),
    }));

    const first = await postAll(merchantId, requests);
    expect(first.map((response) => response.status)).toEqual(requests.map(() => 202));
    expect(first.every((response) => response.headers.get('idempotent-replayed') === null)).toBe(true);
    const payments = first.map((response) => response.json as unknown as PaymentView);
    const approved = payments.filter((payment) => payment.status === 'processing');
    const refused = payments.filter((payment) => payment.status !== 'processing');
    expect(approved).toHaveLength(VELOCITY_MAX);
    expect(refused.map((payment) => [payment.status, payment.failure?.code])).toEqual(
      refused.map(() => ['failed', 'velocity_exceeded']),
    );
    expect(new Set(payments.map((payment) => payment.id)).size).toBe(CONCURRENT_ACCEPTS);

    const rows = (await harness.dataSource.query(
      `SELECT p.id, p.status, k.response_body
         FROM payments p
         JOIN idempotency_keys k ON k.merchant_id = p.merchant_id
          AND k.response_headers ->> 'Location' = '/v1/payments/' || p.id
        WHERE p.merchant_id = $1 AND p.buyer_id = $2`,
      [merchantId, buyer.id],
    )) as { id: string; status: string; response_body: string }[];
    expect(rows).toHaveLength(CONCURRENT_ACCEPTS);
    expect(rows.filter((row) => row.status === 'processing')).toHaveLength(VELOCITY_MAX);
    const answered = new Map(rows.map((row) => [row.id, row.response_body]));
    for (const [index, payment] of payments.entries())
      expect(answered.get(payment.id)).toBe(first[index]?.text);

    // An approved payment publishes its request and one execution request per order; a refused one its failure.
    const eventsExpected = approved.length * 3 + refused.length;
    await waitFor(
      () =>
        payments.reduce((sum, payment) => sum + harness.publishedTypes(payment.id).length, 0) ===
        eventsExpected,
      { description: 'the events of the first answers' },
    );
    const countsBefore = await harness.settledCounts();
    const recordsBefore = harness.totalRecords();

    const again = await postAll(merchantId, requests);
    expect(again.map((response) => response.status)).toEqual(requests.map(() => 202));
    expect(again.map((response) => response.text)).toEqual(first.map((response) => response.text));
    expect(again.every((response) => response.headers.get('idempotent-replayed') === 'true')).toBe(true);
    expect(await harness.settledCounts()).toEqual(countsBefore);
    await harness.expectNothingPublishedSince(recordsBefore);
  });
});

/** The statements each pg connection ran, in order, while `action` ran. */
async function statementsPerConnection(action: () => Promise<unknown>): Promise<Map<Client, string[]>> {
  const perConnection = new Map<Client, string[]>();
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  function recorded(this: Client, ...args: unknown[]): unknown {
    const [config] = args;
    const text = typeof config === 'string' ? config : (config as { text: string }).text;
    perConnection.set(this, [...(perConnection.get(this) ?? []), text]);
    return query.apply(this, args);
  }
  const spy = jest.spyOn(Client.prototype, 'query').mockImplementation(recorded as never);
  try {
    await action();
  } finally {
    spy.mockRestore();
  }
  return perConnection;
}

describe('the cost of accepting a fresh payment', () => {
  it(`is one transaction of at most ${ACCEPT_ROUND_TRIPS_MAX} round trips, with one commit`, async () => {
    const merchantId = newMerchant();
    // A first payment on every pooled connection's path, so what is counted is the steady state.
    await harness.accepted(merchantId);
    let response: HttpResult | undefined;
    const perConnection = await statementsPerConnection(async () => {
      response = await harness.post(merchantId, paymentBody());
    });
    expect(response?.status).toBe(202);
    const accepting = [...perConnection.values()].filter((texts) =>
      texts.some((text) => text.includes('INSERT INTO payment_events')),
    );
    expect(accepting).toHaveLength(1);
    const statements = accepting[0] ?? [];
    const begin = statements.findIndex((text) => text === 'START TRANSACTION');
    const transaction = statements.slice(begin, statements.indexOf('COMMIT', begin) + 1);
    expect(transaction[0]).toBe('START TRANSACTION');
    expect(transaction.at(-1)).toBe('COMMIT');
    expect(transaction.length).toBeLessThanOrEqual(ACCEPT_ROUND_TRIPS_MAX);
    expect(statements.filter((text) => text === 'COMMIT')).toHaveLength(1);
    // Nothing of the accept runs outside its transaction: no availability or checkout read-ahead.
    const outside = [...perConnection.values()]
      .flat()
      .filter((text) => /method_availability|idempotency_keys|FROM payments WHERE merchant_id/.test(text));
    expect(outside.filter((text) => !transaction.includes(text))).toEqual([]);
  });
});
