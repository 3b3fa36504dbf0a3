// Load shedding at POST /v1/payments on real PostgreSQL and Kafka, with limits small enough to
// reach (each API key's own rate: key-rate-limit.int-spec.ts). No executor, wallet or ledger runs here: the test plays the executor's charge outcomes and
// never sends a wallet credit or a ledger record, so every payment stays processing.
import { randomUUID } from 'node:crypto';
import { operatorAuthorization, waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from '../../test/payment-fixtures';
import { PaymentHarness, type HttpResult } from '../../test/payment-harness';
import { orderSucceeded } from '../../test/peer-events';

jest.setTimeout(60_000);

const PENDING_LIMIT_FLOOR = 4;
const SHED_RETRY_AFTER_MAX_S = 60;
// With the rate window as long as the budget, the budget holds about as many pending payments as
// got a charge outcome within the window (above the floor): easy to reach.
const MAX_CHARGE_WAIT_MS = 120_000;

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start({
    PAYMENT_MAX_PENDING_PAYMENTS: '50',
    PAYMENT_PENDING_LIMIT_FLOOR: String(PENDING_LIMIT_FLOOR),
    PAYMENT_MAX_CHARGE_WAIT_MS: String(MAX_CHARGE_WAIT_MS),
    PAYMENT_CHARGE_RATE_WINDOW_MS: String(MAX_CHARGE_WAIT_MS),
    PAYMENT_BACKLOG_SAMPLE_MS: '50',
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

async function metric(name: string, labels = ''): Promise<number | undefined> {
  const metrics = await harness.request('GET', '/metrics', {
    headers: { Authorization: operatorAuthorization('viewer') },
  });
  const line = metrics.text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

async function shedCount(reason: string): Promise<number> {
  return (await metric('keel_http_shed_total', `reason="${reason}"`)) ?? 0;
}

async function untilSampledBacklog(payments: number): Promise<void> {
  await waitFor(async () => (await metric('keel_payment_backlog_payments')) === payments, {
    description: `a sampled charge backlog of ${payments}`,
  });
}

async function scalar(sql: string): Promise<number> {
  const [row] = (await harness.dataSource.query(sql)) as { n: number }[];
  return row?.n ?? 0;
}

const processingPayments = () =>
  scalar(`SELECT count(*)::int AS n FROM payments WHERE status = 'processing'`);
const paymentsAwaitingCharge = () =>
  scalar(`SELECT count(DISTINCT payment_id)::int AS n FROM payment_orders WHERE status = 'executing'`);
const chargedPayments = () =>
  scalar(`SELECT count(DISTINCT payment_id)::int AS n FROM payment_events
           WHERE type IN ('OrderSucceeded', 'OrderDeclined', 'OrderFailed')`);

/** Plays the executor: every order still executing succeeds (`ordersPerPayment` of each, in order). */
async function chargeEveryPendingOrder(ordersPerPayment = Number.POSITIVE_INFINITY): Promise<void> {
  const rows = (await harness.dataSource.query(
    `SELECT DISTINCT p.id, p.merchant_id FROM payments p JOIN payment_orders o ON o.payment_id = p.id
      WHERE o.status = 'executing'`,
  )) as { id: string; merchant_id: string }[];
  for (const row of rows) {
    const payment = await harness.paymentOf(row.merchant_id, row.id);
    const executing = payment.orders.filter((order) => order.status === 'executing');
    for (const order of executing.slice(0, ordersPerPayment)) {
      await orderSucceeded(harness, payment, order, row.merchant_id);
    }
  }
}

async function acceptNew(count: number): Promise<void> {
  for (let accepted = 0; accepted < count; accepted += 1) {
    expect((await harness.post(newMerchant(), paymentBody())).status).toBe(202);
  }
}

describe('admission control', () => {
  it('counts a payment until every order has its charge outcome, and never after, whatever wallet and ledger lag', async () => {
    await chargeEveryPendingOrder();
    await untilSampledBacklog(0);
    await acceptNew(1);
    await untilSampledBacklog(1);
    await chargeEveryPendingOrder(1);
    await waitFor(async () => (await paymentsAwaitingCharge()) === 1 && (await chargedPayments()) === 1, {
      description: 'one of its two orders charged',
    });
    await untilSampledBacklog(1);

    for (let round = 0; round < 3; round += 1) {
      await chargeEveryPendingOrder();
      await untilSampledBacklog(0);
      await acceptNew(PENDING_LIMIT_FLOOR);
    }
    await chargeEveryPendingOrder();
    await untilSampledBacklog(0);

    // Thirteen payments wait for wallet and ledger, over three times the floor: the previous rule,
    // which counted every payment not yet terminal, had seen no completion and would refuse them all.
    expect(await processingPayments()).toBe(13);
    expect(await metric('keel_payment_admission_wait_seconds')).toBe(0);
    await acceptNew(1);
    expect(await shedCount('charge_backlog')).toBe(0);
  });

  it('refuses new payments with 503 overloaded once one admitted now would wait the budget, and still replays', async () => {
    // The outcomes so far recorded long enough ago that the rate spans most of the window, as under
    // steady traffic (a rate that began within the window is measured over its own span instead).
    await harness.dataSource.query(
      `UPDATE payment_events SET recorded_at = now() - interval '100 seconds'
        WHERE type IN ('OrderSucceeded', 'OrderDeclined', 'OrderFailed')`,
    );
    const merchantId = newMerchant();
    const body = paymentBody();
    const key = randomUUID();
    const accepted = await harness.post(merchantId, body, key);
    expect(accepted.status).toBe(202);
    let shed: HttpResult | undefined;
    for (let pending = await paymentsAwaitingCharge(); shed === undefined && pending <= 50; pending += 1) {
      await untilSampledBacklog(pending);
      const answer = await harness.post(newMerchant(), paymentBody());
      if (answer.status !== 202) shed = answer;
    }
    if (shed === undefined) throw new Error('the charge backlog reached the cap without a refusal');
    // Refused at the budget: one more pending payment would take longer than the budget to charge
    // at the recent rate (the limit is a whole number of payments).
    const pending = await paymentsAwaitingCharge();
    expect(pending).toBeGreaterThan(PENDING_LIMIT_FLOOR);
    const waitS = (await metric('keel_payment_admission_wait_seconds')) ?? 0;
    expect((waitS * (pending + 1)) / pending).toBeGreaterThan(MAX_CHARGE_WAIT_MS / 1_000);
    const retryAfterS = Number(shed.headers.get('retry-after'));
    expect(Number.isInteger(retryAfterS) && retryAfterS >= 1 && retryAfterS <= SHED_RETRY_AFTER_MAX_S).toBe(
      true,
    );
    expectProblem(shed, 503, 'overloaded', String(retryAfterS));
    expect(shed.json['reason']).toBe('charge_backlog');
    expect(shed.json['retryAfterSeconds']).toBe(retryAfterS);
    const countsBefore = await harness.settledCounts();
    const replay = await harness.post(merchantId, body, key);
    expect(replay.status).toBe(202);
    expect(replay.text).toBe(accepted.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const reused = await harness.post(merchantId, paymentBody(), key);
    expect(reused.status).toBe(422);
    expect(await harness.settledCounts()).toEqual(countsBefore);
    expect(await shedCount('charge_backlog')).toBe(1);

    await chargeEveryPendingOrder();
    await untilSampledBacklog(0);
    await acceptNew(1);
  });
});
