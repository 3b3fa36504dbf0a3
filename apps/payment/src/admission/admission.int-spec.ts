// Load shedding at POST /v1/payments on real PostgreSQL and Kafka, with limits small enough to
// reach: no executor runs here, so every accepted payment stays processing and the backlog only grows.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from '../../test/payment-fixtures';
import { PaymentHarness, type HttpResult } from '../../test/payment-harness';

jest.setTimeout(60_000);

const MAX_PENDING_PAYMENTS = 4;
const MERCHANT_BURST = 2;
const SHED_RETRY_AFTER_MAX_S = 20;

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start({
    PAYMENT_MAX_PENDING_PAYMENTS: String(MAX_PENDING_PAYMENTS),
    PAYMENT_BACKLOG_SAMPLE_MS: '50',
    PAYMENT_MERCHANT_RATE_PER_S: '1',
    PAYMENT_MERCHANT_BURST: String(MERCHANT_BURST),
    PAYMENT_SHED_RETRY_AFTER_MAX_S: String(SHED_RETRY_AFTER_MAX_S),
  });
});

afterAll(async () => {
  await harness.stop();
});

function expectProblem(response: HttpResult, status: number, code: string, retryAfterS: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json['type']).toBe(`${PROBLEM_TYPE_BASE}${code}`);
  expect(response.headers.get('retry-after')).toBe(retryAfterS);
}

async function shedCount(reason: string): Promise<number> {
  const metrics = await harness.request('GET', '/metrics');
  const line = metrics.text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith('keel_http_shed_total{') && candidate.includes(`reason="${reason}"`),
    );
  return line === undefined ? 0 : Number(line.split(' ').at(-1));
}

async function processingPayments(): Promise<number> {
  const [row] = (await harness.dataSource.query(
    `SELECT count(*)::int AS n FROM payments WHERE status = 'processing'`,
  )) as { n: number }[];
  return row?.n ?? 0;
}

describe('admission control', () => {
  it('limits each merchant to its rate with 429 rate_limited, and still replays an accepted key', async () => {
    const merchantId = newMerchant();
    const body = paymentBody();
    const key = randomUUID();
    const first = await harness.post(merchantId, body, key);
    expect(first.status).toBe(202);
    expect((await harness.post(merchantId, paymentBody())).status).toBe(202);
    const countsBefore = await harness.settledCounts();

    const limited = await harness.post(merchantId, paymentBody());
    expectProblem(limited, 429, 'rate_limited', '1');
    const replay = await harness.post(merchantId, body, key);
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await harness.settledCounts()).toEqual(countsBefore);
    expect((await harness.post(newMerchant(), paymentBody())).status).toBe(202);
    expect(await shedCount('merchant_rate')).toBe(1);
  });

  it('refuses new payments with 503 overloaded while the backlog is at its limit, and still replays', async () => {
    const merchantId = newMerchant();
    const body = paymentBody();
    const key = randomUUID();
    const accepted = await harness.post(merchantId, body, key);
    expect(accepted.status).toBe(202);
    for (let pending = await processingPayments(); pending < MAX_PENDING_PAYMENTS; pending += 1) {
      expect((await harness.post(newMerchant(), paymentBody())).status).toBe(202);
    }
    await waitFor(
      async () => {
        const metrics = await harness.request('GET', '/metrics');
        return metrics.text.includes(
          `keel_payment_backlog_payments{service="payment"} ${MAX_PENDING_PAYMENTS}`,
        );
      },
      { description: 'the sampled backlog at its limit' },
    );
    const countsBefore = await harness.settledCounts();

    const shed = await harness.post(newMerchant(), paymentBody());
    // Nothing has completed, so no completion rate promises an earlier slot: the longest wait.
    expectProblem(shed, 503, 'overloaded', String(SHED_RETRY_AFTER_MAX_S));
    expect(shed.json['reason']).toBe('backlog');
    const replay = await harness.post(merchantId, body, key);
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(accepted.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await harness.post(merchantId, paymentBody(), key);
    expect(reused.status).toBe(422);
    expect(await harness.settledCounts()).toEqual(countsBefore);
    expect(await shedCount('backlog')).toBe(1);
  });
});
