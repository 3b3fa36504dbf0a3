// Keel never takes a card number: on real PostgreSQL and Kafka, a request with one in any field or
// header is answered 400 (401 for the merchant header) problem+json naming where it was, and
// afterwards the card number is in no table and no record the service published.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from '../../test/payment-fixtures';
import { PaymentHarness, type HttpResult } from '../../test/payment-harness';

jest.setTimeout(60_000);

const VISA = '4111111111111111';
const VISA_DASHED = '4111-1111-1111-1111';
const AMEX = '378282246310005';
const CARD_NUMBER_TEXTS = [VISA, VISA_DASHED, AMEX];

let harness: PaymentHarness;

beforeAll(async () => {
  harness = await PaymentHarness.start();
});

afterAll(async () => {
  await harness.stop();
});

/** How many rows of any table of the service's database hold `text`. */
async function rowsHolding(text: string): Promise<number> {
  const tables = (await harness.dataSource.query(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
  )) as { tablename: string }[];
  let count = 0;
  for (const { tablename } of tables) {
    const [row] = (await harness.dataSource.query(
      `SELECT count(*)::int AS n FROM "${tablename}" AS t WHERE t::text LIKE $1`,
      [`%${text}%`],
    )) as { n: number }[];
    count += row?.n ?? 0;
  }
  return count;
}

function publishedHolding(text: string): number {
  return [...harness.readers.payment.records, ...harness.readers.paymentOrder.records].filter((record) =>
    record.value?.toString('utf8').includes(text),
  ).length;
}

function expectCardNumberRefused(response: HttpResult, fields: string[]): void {
  expect(response.status).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.json['type']).toBe(`${PROBLEM_TYPE_BASE}validation-failed`);
  expect(response.json['errors']).toEqual(
    fields.map((field) => ({
      field,
      message: `${field.split('.').at(-1)} must not contain a card number`,
    })),
  );
  for (const text of CARD_NUMBER_TEXTS) expect(response.text).not.toContain(text);
}

describe('a card number in a request', () => {
  const buyer = { id: 'buyer-card-data', email: 'buyer@example.com', country: 'KR' };

  it.each<[string, Record<string, unknown>, string[]]>([
    ['buyer.id', { buyer: { ...buyer, id: VISA } }, ['buyer.id']],
    [
      'the card token',
      { paymentMethod: { type: 'card', token: VISA, issuer: 'shinhan' } },
      ['paymentMethod.token'],
    ],
    ['checkoutId', { checkoutId: VISA }, ['checkoutId']],
    ['checkoutId, dashed', { checkoutId: `order-${VISA_DASHED}` }, ['checkoutId']],
    ['buyer.email', { buyer: { ...buyer, email: `${AMEX}@example.com` } }, ['buyer.email']],
    [
      'the card issuer',
      { paymentMethod: { type: 'card', token: 'tok_1', issuer: AMEX } },
      ['paymentMethod.issuer'],
    ],
    [
      'the easy-pay token',
      { paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: `kp_${VISA}` } },
      ['paymentMethod.token'],
    ],
    [
      'the bank',
      { paymentMethod: { type: 'bank_transfer', bank: VISA, token: 'tok_b' } },
      ['paymentMethod.bank'],
    ],
    ['a sellerId', { orders: [{ sellerId: AMEX, amount: 1_000 }] }, ['orders.0.sellerId']],
  ])(
    'in %s is refused with 400 naming the field, and nothing is stored',
    async (_case, overrides, fields) => {
      const countsBefore = await harness.settledCounts();
      const merchantId = newMerchant();
      const key = randomUUID();

      expectCardNumberRefused(await harness.post(merchantId, paymentBody(overrides), key), fields);

      expect(await harness.settledCounts()).toEqual(countsBefore);
      // The refused request claimed nothing: its key is free for another body.
      const valid = await harness.post(merchantId, paymentBody(), key);
      expect(valid.status).toBe(202);
      expect(valid.headers.get('idempotent-replayed')).toBeNull();
    },
  );

  it('as Idempotency-Key is refused with 400 before anything is stored', async () => {
    const countsBefore = await harness.settledCounts();
    const response = await harness.post(newMerchant(), paymentBody(), VISA_DASHED);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.json).toMatchObject({
      type: `${PROBLEM_TYPE_BASE}idempotency_key_invalid`,
      detail: 'Idempotency-Key must not contain a card number.',
    });
    expect(await harness.settledCounts()).toEqual(countsBefore);
  });

  it('as the merchant id of an API key is refused before the key is stored', async () => {
    await expect(harness.apiKeys.create({ merchantId: VISA })).rejects.toThrow('is not an identifier');
    expect(await harness.apiKeys.list(VISA)).toEqual([]);
  });

  it('in a list query is refused with 400 naming the parameter', async () => {
    const response = await harness.request('GET', `/v1/payments?checkoutId=${VISA}`, {
      headers: await harness.authorizationOf(newMerchant()),
    });
    expectCardNumberRefused(response, ['checkoutId']);
  });

  it('as the payment id of a read is refused with 400, not looked up or echoed', async () => {
    const response = await harness.request('GET', `/v1/payments/${VISA}`, {
      headers: await harness.authorizationOf(newMerchant()),
    });
    expectCardNumberRefused(response, ['id']);
  });

  it('is afterwards in no table and no published record', async () => {
    // The relay sends in commit order: once a payment made now is read, so is all that came before.
    const marker = await harness.accepted(newMerchant());
    await waitFor(() => harness.publishedTypes(marker.id).length === 3, { description: 'the marker events' });
    for (const text of CARD_NUMBER_TEXTS) {
      expect(await rowsHolding(text)).toBe(0);
      expect(publishedHolding(text)).toBe(0);
    }
  });
});
