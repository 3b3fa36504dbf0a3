// Rate limits per API key on the real service (PostgreSQL and Kafka), with rates small enough to
// reach: each key has its own buckets, one for writes and one for reads. Requests of a burst are
// sent at once, so the bucket cannot refill (1 token a second) while the burst arrives.
import { setTimeout as sleep } from 'node:timers/promises';
import { Registry } from '@keel/observability';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from '../../test/payment-fixtures';
import { PaymentHarness, type HttpResult } from '../../test/payment-harness';

jest.setTimeout(60_000);

const WRITE_BURST = 3;
const READ_BURST = 4;

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start({
    PAYMENT_KEY_WRITE_RATE_PER_S: '1',
    PAYMENT_KEY_WRITE_BURST: String(WRITE_BURST),
    PAYMENT_KEY_READ_RATE_PER_S: '1',
    PAYMENT_KEY_READ_BURST: String(READ_BURST),
  });
});

afterAll(async () => {
  await harness.stop();
});

async function keyOf(merchantId: string): Promise<string> {
  return (await harness.apiKeys.create({ merchantId })).key;
}

const create = (key: string): Promise<HttpResult> =>
  harness.request('POST', '/v1/payments', {
    headers: { Authorization: `Bearer ${key}`, 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify(paymentBody()),
  });

const list = (key: string): Promise<HttpResult> =>
  harness.request('GET', '/v1/payments', { headers: { Authorization: `Bearer ${key}` } });

const burstOf = (count: number, send: () => Promise<HttpResult>): Promise<HttpResult[]> =>
  Promise.all(Array.from({ length: count }, send));

function statusesOf(answers: readonly HttpResult[]): number[] {
  return answers.map((answer) => answer.status).sort();
}

function expectRateLimited(answer: HttpResult): void {
  expect(answer.status).toBe(429);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.headers.get('retry-after')).toBe('1');
  expect(answer.json).toMatchObject({
    type: `${PROBLEM_TYPE_BASE}rate_limited`,
    title: 'Too many requests with this API key',
    status: 429,
    retryAfterSeconds: 1,
    correlationId: expect.any(String),
  });
}

async function rateLimitedCount(operation: 'read' | 'write'): Promise<number> {
  const metric = await harness.app.get(Registry).getSingleMetric('keel_http_rate_limited_total')?.get();
  return metric?.values.find((sample) => sample.labels['operation'] === operation)?.value ?? 0;
}

describe('rate limits per API key', () => {
  it('refuses writes over a key’s burst with 429 and Retry-After, storing nothing, while another key of the merchant is served', async () => {
    const merchantId = newMerchant();
    const [limitedKey, otherKey] = await Promise.all([keyOf(merchantId), keyOf(merchantId)]);
    const countsBefore = await harness.settledCounts();

    const answers = await burstOf(WRITE_BURST + 2, () => create(limitedKey));
    expect(statusesOf(answers)).toEqual([202, 202, 202, 429, 429]);
    for (const answer of answers.filter((candidate) => candidate.status === 429)) expectRateLimited(answer);
    const countsAfter = await harness.settledCounts();
    expect(countsAfter.payments - countsBefore.payments).toBe(WRITE_BURST);
    expect(countsAfter.idempotency_keys - countsBefore.idempotency_keys).toBe(WRITE_BURST);
    expect(await rateLimitedCount('write')).toBe(2);

    expect((await create(otherKey)).status).toBe(202);
    await sleep(1_000);
    expect((await create(limitedKey)).status).toBe(202);
  });

  it('limits reads apart from writes: a key out of reads still creates, one out of writes still reads', async () => {
    const readerKey = await keyOf(newMerchant());
    const writerKey = await keyOf(newMerchant());
    expect(statusesOf(await burstOf(WRITE_BURST + 1, () => create(writerKey)))).toEqual([202, 202, 202, 429]);

    const reads = await burstOf(READ_BURST + 2, () => list(readerKey));
    expect(statusesOf(reads)).toEqual([200, 200, 200, 200, 429, 429]);
    for (const answer of reads.filter((candidate) => candidate.status === 429)) expectRateLimited(answer);
    expect(await rateLimitedCount('read')).toBe(2);

    expect((await create(readerKey)).status).toBe(202);
    expect((await list(writerKey)).status).toBe(200);
    expectRateLimited(await list(readerKey));
  });
});
