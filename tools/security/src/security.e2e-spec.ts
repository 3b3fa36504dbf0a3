// The security suite: a whole running Keel attacked from outside, as issue 15's acceptance says.
// One system for the file; every assertion is on what the real processes answered and stored.
import { createHmac, randomUUID } from 'node:crypto';
import { waitFor } from '@keel/testing';
import { CardNumberSearch, type CardNumberSighting } from './card-number-search';
import { answerOf, send, type Answer, type Call } from './security-http';
import { startSecuritySystem, type SecuritySystem } from './security-system';
import { logTexts, tableTexts, topicTexts, type StoredText } from './stored-text';

jest.setTimeout(120_000);

const PROBLEM_TYPE_BASE = 'https://keel.dev/problems/';
const BODY_LIMIT_BYTES = 16_384;
/** This system's acme webhook secret, which the simulator signs with; the attacker does not hold it. */
const ACME_WEBHOOK_SECRET = `whsec_security_suite_${randomUUID()}`;
/** The simulator's public default: what a forger would try first. */
const PUBLIC_SIMULATOR_SECRET = 'whsec_acme_test';

const VISA = '4111111111111111';
const MASTERCARD = '5555555555554444';
const AMEX = '378282246310005';
const VISA_SPACED = '4111 1111 1111 1111';
const MASTERCARD_DASHED = '5555-5555-5555-4444';
/** The card numbers sent, in the forms a caller could write them in. */
const CARD_NUMBER_FORMS = [VISA, VISA_SPACED, MASTERCARD_DASHED, AMEX];
const cardNumbers = new CardNumberSearch([VISA, MASTERCARD, AMEX]);

let sut: SecuritySystem;

beforeAll(async () => {
  sut = await startSecuritySystem({
    HTTP_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
    PSP_ACME_WEBHOOK_SECRET: ACME_WEBHOOK_SECRET,
    PSP_SIM_ACME_WEBHOOK_SECRET: ACME_WEBHOOK_SECRET,
    // A pending charge's own webhook comes after the run, so the webhooks that settle one are the test's.
    PSP_SIM_PENDING_DELAY_MS: '3600000',
  });
}, 240_000);

afterAll(async () => {
  await sut?.stop();
});

interface Money {
  amountMinor: string;
  currency: string;
}
interface PaymentView {
  id: string;
  checkoutId: string;
  status: string;
  orders: { id: string; sellerId: string; amount: Money; status: string }[];
}

function payment(path: string, call: Call = {}): Promise<Answer> {
  return send(`${sut.system.url('payment')}${path}`, call);
}

const authorizationOf = (merchantId: string): Promise<string> =>
  sut.system.keys().authorizationFor(merchantId);

function checkout(sellerId = `seller_${randomUUID().slice(0, 8)}`, token = 'tok_approve', amount = 10_000) {
  return {
    checkoutId: `co_${randomUUID()}`,
    currency: 'KRW',
    buyer: { id: `buyer_${randomUUID().slice(0, 8)}`, email: 'buyer@example.com', country: 'KR' },
    paymentMethod: { type: 'card', token, issuer: 'shinhan' },
    orders: [{ sellerId, amount }],
  };
}

async function createPayment(merchantId: string, body: object = checkout()): Promise<PaymentView> {
  const answer = await payment('/v1/payments', {
    authorization: await authorizationOf(merchantId),
    headers: { 'idempotency-key': randomUUID() },
    body,
  });
  expect({ status: answer.status, body: answer.json }).toMatchObject({ status: 202 });
  return answer.json as unknown as PaymentView;
}

async function paymentInEnd(merchantId: string, paymentId: string): Promise<PaymentView> {
  const authorization = await authorizationOf(merchantId);
  return waitFor(
    async () => {
      const view = (await payment(`/v1/payments/${paymentId}`, { authorization }))
        .json as unknown as PaymentView;
      return ['completed', 'failed', 'partially_failed'].includes(view.status) && view;
    },
    { timeoutMs: 60_000, intervalMs: 200, description: `payment ${paymentId} to end` },
  );
}

function expectProblem(answer: Answer, status: number, code?: string): void {
  expect({ status: answer.status, body: answer.json }).toMatchObject({
    status,
    body: { status, ...(code === undefined ? {} : { type: `${PROBLEM_TYPE_BASE}${code}` }) },
  });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
}

function expectUnauthenticated(answer: Answer): void {
  expectProblem(answer, 401, 'api_key_invalid');
  expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="keel"');
}

/** Every operation of the payment API (apps/payment/src/http/payments.controller.ts) for one payment. */
function publicOperations(existing: PaymentView): [string, string, Call][] {
  return [
    ['create', '/v1/payments', { headers: { 'idempotency-key': randomUUID() }, body: checkout() }],
    ['list', '/v1/payments', {}],
    ['find a checkout', `/v1/payments?checkoutId=${encodeURIComponent(existing.checkoutId)}`, {}],
    ['read one', `/v1/payments/${existing.id}`, {}],
  ];
}

describe('the payment API without a valid API key', () => {
  const MERCHANT = 'merchant_sec_auth';
  let existing: PaymentView;
  let revoked: string;
  let expired: string;

  beforeAll(async () => {
    existing = await createPayment(MERCHANT);
    const store = sut.system.apiKeyStore();
    const toRevoke = await store.create({ merchantId: MERCHANT, name: 'revoked by the security suite' });
    // Seen valid first, so a verdict that was cached would be what refuses or lets it through.
    expect((await payment('/v1/payments', { authorization: `Bearer ${toRevoke.key}` })).status).toBe(200);
    await store.revoke(toRevoke.record.prefix);
    revoked = toRevoke.key;
    expired = (await store.create({ merchantId: MERCHANT, expiresAt: new Date(Date.now() - 1_000) })).key;
  });

  const credentials: [string, (key: { revoked: string; expired: string }) => string | undefined][] = [
    ['no Authorization header', () => undefined],
    ['an empty bearer token', () => 'Bearer '],
    ['another scheme', () => 'Basic bWVyY2hhbnQ6c2VjcmV0'],
    ['a malformed key', () => 'Bearer sk_test_short'],
    ['an unknown key', () => `Bearer sk_test_${'A'.repeat(43)}`],
    [
      'a key of another system',
      () =>
        `Bearer sk_test_${Buffer.from(randomUUID() + randomUUID())
          .toString('base64url')
          .slice(0, 43)}`,
    ],
    ['a revoked key', ({ revoked }) => `Bearer ${revoked}`],
    ['an expired key', ({ expired }) => `Bearer ${expired}`],
  ];

  it.each(credentials)('answers every operation with 401 for %s', async (_case, credential) => {
    const authorization = credential({ revoked, expired });
    const answers = await Promise.all(
      publicOperations(existing).map(async ([operation, path, call]) => ({
        operation,
        answer: await payment(path, { ...call, ...(authorization === undefined ? {} : { authorization }) }),
      })),
    );
    for (const { operation, answer } of answers) {
      expect({ operation, status: answer.status }).toEqual({ operation, status: 401 });
      expectUnauthenticated(answer);
    }
  });

  it('created nothing for any refused create', async () => {
    const listed = await payment('/v1/payments?limit=100', {
      authorization: await authorizationOf(MERCHANT),
    });
    expect((listed.json['data'] as PaymentView[]).map((view) => view.id)).toEqual([existing.id]);
  });
});

describe("another merchant's objects", () => {
  const OWNER = 'merchant_sec_owner';
  const OTHER = 'merchant_sec_other';
  let owned: PaymentView;
  let ownedBody: ReturnType<typeof checkout>;
  const ownedKey = randomUUID();

  beforeAll(async () => {
    ownedBody = checkout();
    const created = await payment('/v1/payments', {
      authorization: await authorizationOf(OWNER),
      headers: { 'idempotency-key': ownedKey },
      body: ownedBody,
    });
    expect(created.status).toBe(202);
    owned = created.json as unknown as PaymentView;
  });

  it("answers another merchant's payment exactly like an unknown id", async () => {
    const other = await authorizationOf(OTHER);
    const unknownId = randomUUID();
    const [foreign, unknown] = await Promise.all([
      payment(`/v1/payments/${owned.id}`, { authorization: other }),
      payment(`/v1/payments/${unknownId}`, { authorization: other }),
    ]);
    expectProblem(foreign, 404, 'payment_not_found');
    expectProblem(unknown, 404, 'payment_not_found');
    // The same answer but for the id asked about and the request's own correlation id: nothing
    // tells a foreign payment from no payment.
    const comparable = (answer: Answer, id: string) => {
      const { correlationId, ...rest } = JSON.parse(answer.text.replaceAll(id, '<id>')) as Record<
        string,
        unknown
      >;
      expect(correlationId).toEqual(expect.any(String));
      return rest;
    };
    expect(comparable(foreign, owned.id)).toEqual(comparable(unknown, unknownId));
    expect([...foreign.headers.keys()].sort()).toEqual([...unknown.headers.keys()].sort());
  });

  it("leaves another merchant's payments out of every list", async () => {
    const other = await authorizationOf(OTHER);
    const [all, byCheckout] = await Promise.all([
      payment('/v1/payments?limit=100', { authorization: other }),
      payment(`/v1/payments?checkoutId=${encodeURIComponent(owned.checkoutId)}`, { authorization: other }),
    ]);
    expect(all.status).toBe(200);
    expect((all.json['data'] as PaymentView[]).map((view) => view.id)).not.toContain(owned.id);
    expect(byCheckout.status).toBe(200);
    expect(byCheckout.json['data']).toEqual([]);
  });

  it("neither replays nor squats another merchant's Idempotency-Key and checkout id", async () => {
    const answer = await payment('/v1/payments', {
      authorization: await authorizationOf(OTHER),
      headers: { 'idempotency-key': ownedKey },
      body: ownedBody,
    });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
    const own = answer.json as unknown as PaymentView;
    expect(own.id).not.toBe(owned.id);
    expect(own.checkoutId).toBe(owned.checkoutId);
    const ownersView = await payment(`/v1/payments?checkoutId=${encodeURIComponent(owned.checkoutId)}`, {
      authorization: await authorizationOf(OWNER),
    });
    expect((ownersView.json['data'] as PaymentView[]).map((view) => view.id)).toEqual([owned.id]);
  });
});

describe('an oversized body', () => {
  it('is refused with 413 problem+json before anything is read from it', async () => {
    const body = checkout();
    const oversized = JSON.stringify({ ...body, padding: 'x'.repeat(BODY_LIMIT_BYTES) });
    const answer = await payment('/v1/payments', {
      authorization: await authorizationOf('merchant_sec_size'),
      headers: { 'idempotency-key': randomUUID() },
      body: oversized,
    });
    expectProblem(answer, 413, 'payload-too-large');
    const listed = await payment(`/v1/payments?checkoutId=${body.checkoutId}`, {
      authorization: await authorizationOf('merchant_sec_size'),
    });
    expect(listed.json['data']).toEqual([]);
  });
});

// --- PSP webhooks into the executor ---------------------------------------------------------

const WEBHOOK_MERCHANT = 'merchant_sec_webhooks';
const ORDER_AMOUNT = 15_000;
const nowSeconds = (): number => Math.floor(Date.now() / 1_000);

interface AwaitedOrder {
  paymentId: string;
  paymentOrderId: string;
  sellerId: string;
  chargeId: string;
}

/** Cards go to acme or nova by weight; a test webhook is acme's, so orders routed to nova are left. */
const ROUTING_TRIES_MAX = 20;

/** A payment whose one charge the simulator holds pending at acme: its order waits for its outcome. */
async function orderAwaitingOutcome(): Promise<AwaitedOrder> {
  for (let attempt = 1; attempt <= ROUTING_TRIES_MAX; attempt += 1) {
    const sellerId = `seller_${randomUUID().slice(0, 8)}`;
    const created = await createPayment(WEBHOOK_MERCHANT, checkout(sellerId, 'tok_pending', ORDER_AMOUNT));
    const paymentOrderId = created.orders[0]?.id ?? '';
    const order = await waitFor(
      async () => {
        const [row] = await sut.query<{ status: string; psp_id: string }>(
          'executor',
          'SELECT status, psp_id FROM payment_orders WHERE payment_order_id = $1',
          [paymentOrderId],
        );
        return row?.status === 'unknown' && row;
      },
      { timeoutMs: 30_000, intervalMs: 100, description: `order ${paymentOrderId} to wait for its outcome` },
    );
    if (order.psp_id !== 'acme') continue;
    const response = await fetch(
      `${sut.system.url('psp-sim')}/admin/charges?idempotencyKey=${encodeURIComponent(paymentOrderId)}`,
    );
    const charges = (await response.json()) as { id: string; status: string }[];
    expect(charges.map((charge) => charge.status)).toEqual(['pending']);
    return { paymentId: created.id, paymentOrderId, sellerId, chargeId: charges[0]?.id ?? '' };
  }
  throw new Error(`no card payment went to acme in ${ROUTING_TRIES_MAX} tries`);
}

/** acme's `charge.succeeded` for the order's charge, as the simulator writes it. */
function chargeSucceeded(
  order: AwaitedOrder,
  captured: { amount: number; currency: string } = { amount: ORDER_AMOUNT, currency: 'KRW' },
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    id: `evt_${randomUUID()}`,
    type: 'charge.succeeded',
    data: {
      id: order.chargeId,
      status: 'succeeded',
      ...captured,
      reference: order.paymentOrderId,
      created: nowSeconds(),
      ...extra,
    },
  });
}

function signatureOf(body: string, secret = ACME_WEBHOOK_SECRET, timestampSeconds = nowSeconds()): string {
  const digest = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}

async function postWebhook(body: string, signature?: string): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['Acme-Signature'] = signature;
  return answerOf(
    await fetch(`${sut.system.url('executor')}/v1/psp-webhooks/acme`, { method: 'POST', headers, body }),
  );
}

function effectOf(answer: Answer): unknown {
  expect(answer.status).toBe(200);
  return answer.json['effect'];
}

/** What the order left in the wallet and the ledger databases, read directly. */
async function moneyMovedFor(order: AwaitedOrder) {
  const [walletEntries, wallets, ledgerTransactions, sellerPayables] = await Promise.all([
    sut.query<{ amount_minor: string }>(
      'wallet',
      'SELECT amount_minor FROM wallet_entries WHERE payment_order_id = $1',
      [order.paymentOrderId],
    ),
    sut.query<{ balance_minor: string }>('wallet', 'SELECT balance_minor FROM wallets WHERE seller_id = $1', [
      order.sellerId,
    ]),
    sut.query<{ kind: string }>(
      'ledger',
      'SELECT kind FROM ledger_transactions WHERE reference = $1 ORDER BY kind',
      [order.paymentOrderId],
    ),
    sut.query<{ balance_minor: string }>(
      'ledger',
      // A credit account: the table keeps debits minus credits, so what the seller is owed is its negation.
      "SELECT (-balance_minor)::text AS balance_minor FROM accounts WHERE kind = 'seller_payable' AND merchant_id = $1 AND owner = $2",
      [WEBHOOK_MERCHANT, order.sellerId],
    ),
  ]);
  return {
    walletEntries: walletEntries.map((row) => row.amount_minor),
    walletBalances: wallets.map((row) => row.balance_minor),
    ledgerTransactions: ledgerTransactions.map((row) => row.kind),
    sellerPayables: sellerPayables.map((row) => row.balance_minor),
  };
}

async function executorOrder(order: AwaitedOrder) {
  const [row] = await sut.query<{ status: string; result_code: string | null }>(
    'executor',
    'SELECT status, result_code FROM payment_orders WHERE payment_order_id = $1',
    [order.paymentOrderId],
  );
  const [deliveries] = await sut.query<{ n: number }>(
    'executor',
    'SELECT count(*)::int AS n FROM psp_webhook_events WHERE payment_order_id = $1',
    [order.paymentOrderId],
  );
  return { status: row?.status, resultCode: row?.result_code, deliveries: deliveries?.n };
}

const NOTHING_MOVED = { walletEntries: [], walletBalances: [], ledgerTransactions: [], sellerPayables: [] };

describe('PSP webhooks into the executor', () => {
  let attacked: AwaitedOrder;
  let lessCaptured: AwaitedOrder;
  let otherCurrency: AwaitedOrder;

  beforeAll(async () => {
    [attacked, lessCaptured, otherCurrency] = await Promise.all([
      orderAwaitingOutcome(),
      orderAwaitingOutcome(),
      orderAwaitingOutcome(),
    ]);
  });

  it('refuses forged, tampered, stale, future and unsigned webhooks with 401 and no effect', async () => {
    const body = chargeSucceeded(attacked);
    const tampered = body.replace(`"amount":${ORDER_AMOUNT}`, '"amount":1');
    expect(tampered).not.toBe(body);
    const attacks: [string, string, string | undefined][] = [
      ["signed with the simulator's public secret", body, signatureOf(body, PUBLIC_SIMULATOR_SECRET)],
      ['signed with a guessed secret', body, signatureOf(body, `whsec_${randomUUID()}`)],
      ['tampered after signing', tampered, signatureOf(body)],
      ['stale', body, signatureOf(body, ACME_WEBHOOK_SECRET, nowSeconds() - 3_600)],
      ['from the future', body, signatureOf(body, ACME_WEBHOOK_SECRET, nowSeconds() + 3_600)],
      ['without a signature header', body, undefined],
      ['with a malformed signature header', body, 'v1=not-a-signature'],
    ];
    const answers = await Promise.all(
      attacks.map(async ([attack, sent, signature]) => ({
        attack,
        answer: await postWebhook(sent, signature),
      })),
    );
    for (const { attack, answer } of answers) {
      expect({ attack, status: answer.status }).toEqual({ attack, status: 401 });
      expectProblem(answer, 401, 'webhook_signature_invalid');
    }
    expect(await executorOrder(attacked)).toEqual({ status: 'unknown', resultCode: null, deliveries: 0 });
    expect(await moneyMovedFor(attacked)).toEqual(NOTHING_MOVED);
  });

  it('applies a genuine webhook once however often it is replayed, and stores no card number it carries', async () => {
    // A PSP may echo card details; the executor keeps the body with them masked.
    const body = chargeSucceeded(attacked, undefined, {
      description: `card ${VISA_SPACED} approved`,
      payment_method_details: { card: { number: VISA } },
    });
    const signature = signatureOf(body);
    expect(effectOf(await postWebhook(body, signature))).toBe('apply');
    const replays = await Promise.all(
      [1, 2, 3].map(async () => effectOf(await postWebhook(body, signature))),
    );
    expect(replays).toEqual(['duplicate', 'duplicate', 'duplicate']);

    expect((await paymentInEnd(WEBHOOK_MERCHANT, attacked.paymentId)).status).toBe('completed');
    const moved = await waitFor(
      async () => {
        const now = await moneyMovedFor(attacked);
        return now.walletEntries.length > 0 && now.sellerPayables.length > 0 && now;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: 'the wallet credit and the ledger posting' },
    );
    const [net] = moved.walletEntries;
    expect(moved).toEqual({
      walletEntries: [net],
      walletBalances: [net],
      ledgerTransactions: ['payment_order_charge'],
      sellerPayables: [net],
    });
    expect(await executorOrder(attacked)).toEqual({ status: 'succeeded', resultCode: null, deliveries: 1 });
  });

  it.each([
    ['less than the order', () => lessCaptured, { amount: ORDER_AMOUNT - 1_000, currency: 'KRW' }],
    ['in another currency', () => otherCurrency, { amount: ORDER_AMOUNT, currency: 'USD' }],
  ])(
    'fails the order and credits nothing for a genuine success that captured %s',
    async (_case, orderOf, captured) => {
      const order = orderOf();
      const body = chargeSucceeded(order, captured);
      expect(effectOf(await postWebhook(body, signatureOf(body)))).toBe('amount_mismatch');

      expect((await paymentInEnd(WEBHOOK_MERCHANT, order.paymentId)).status).toBe('failed');
      expect(await executorOrder(order)).toEqual({
        status: 'failed',
        resultCode: 'amount_mismatch',
        deliveries: 1,
      });
      // The ledger has read the order's events once it books the charge to refund: by then a credit
      // would have been booked too.
      const moved = await waitFor(
        async () => {
          const now = await moneyMovedFor(order);
          return now.ledgerTransactions.includes('orphan_charge') && now;
        },
        { timeoutMs: 30_000, intervalMs: 200, description: 'the charge to refund booked' },
      );
      expect(moved.walletEntries).toEqual([]);
      expect(moved.walletBalances).toEqual([]);
      expect(moved.sellerPayables).toEqual([]);
      expect(moved.ledgerTransactions.filter((kind) => kind !== 'orphan_charge_refund')).toEqual([
        'orphan_charge',
      ]);
    },
  );
});

// --- Card numbers -------------------------------------------------------------------------

const PAN_MERCHANT = 'merchant_sec_pan';

/** Where a card number may go in a create request, and the field the answer must name. */
function cardNumberBodies(): [string, object, string][] {
  const [digits, spaced, dashed, amex] = [VISA, VISA_SPACED, MASTERCARD_DASHED, AMEX];
  const base = checkout();
  return [
    ['checkoutId', { ...base, checkoutId: digits }, 'checkoutId'],
    ['checkoutId, inside a reference', { ...base, checkoutId: `order-${dashed}` }, 'checkoutId'],
    ['buyer.id', { ...base, buyer: { ...base.buyer, id: digits } }, 'buyer.id'],
    ['buyer.id, dashed', { ...base, buyer: { ...base.buyer, id: dashed } }, 'buyer.id'],
    ['buyer.email', { ...base, buyer: { ...base.buyer, email: `${amex}@example.com` } }, 'buyer.email'],
    [
      'the card token',
      { ...base, paymentMethod: { type: 'card', token: digits, issuer: 'shinhan' } },
      'paymentMethod.token',
    ],
    [
      'the card token, spaced',
      { ...base, paymentMethod: { type: 'card', token: spaced, issuer: 'shinhan' } },
      'paymentMethod.token',
    ],
    [
      'the card issuer',
      { ...base, paymentMethod: { type: 'card', token: 'tok_approve', issuer: amex } },
      'paymentMethod.issuer',
    ],
    [
      'the easy-pay token',
      { ...base, paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: `kp_${dashed}` } },
      'paymentMethod.token',
    ],
    [
      'the easy-pay provider',
      { ...base, paymentMethod: { type: 'easy_pay', provider: digits, token: 'tok_approve' } },
      'paymentMethod.provider',
    ],
    [
      'the bank',
      { ...base, paymentMethod: { type: 'bank_transfer', bank: digits, token: 'tok_approve' } },
      'paymentMethod.bank',
    ],
    [
      'the bank-transfer token',
      { ...base, paymentMethod: { type: 'bank_transfer', bank: 'woori', token: spaced } },
      'paymentMethod.token',
    ],
    [
      'a seller id',
      {
        ...base,
        orders: [
          { sellerId: 'seller_ok', amount: 1_000 },
          { sellerId: digits, amount: 1_000 },
        ],
      },
      'orders.1.sellerId',
    ],
  ];
}

function expectCardNumberRefused(answer: Answer, field?: string): void {
  expectProblem(answer, 400);
  if (field !== undefined) {
    expect(answer.json['type']).toBe(`${PROBLEM_TYPE_BASE}validation-failed`);
    expect(answer.json['errors']).toContainEqual({
      field,
      message: `${field.split('.').at(-1)} must not contain a card number`,
    });
  }
  expect(cardNumbers.sightingsIn('the answer', answer.text)).toEqual([]);
}

describe('a card number in a public request', () => {
  it.each(cardNumberBodies())('in %s is refused with 400 naming the field', async (_case, body, field) => {
    const answer = await payment('/v1/payments', {
      authorization: await authorizationOf(PAN_MERCHANT),
      headers: { 'idempotency-key': randomUUID() },
      body,
    });
    expectCardNumberRefused(answer, field);
  });

  it.each([
    ['a metadata value', { metadata: { note: VISA } }],
    ['a metadata key', { metadata: { [MASTERCARD_DASHED]: 'x' } }],
    ['an unknown top-level field named by one', { [VISA]: 'x' }],
  ])('in %s is refused with 400 and not echoed', async (_case, extra) => {
    const answer = await payment('/v1/payments', {
      authorization: await authorizationOf(PAN_MERCHANT),
      headers: { 'idempotency-key': randomUUID() },
      body: { ...checkout(), ...extra },
    });
    expectCardNumberRefused(answer);
  });

  it.each(CARD_NUMBER_FORMS)('as the Idempotency-Key %s is refused with 400', async (form) => {
    const answer = await payment('/v1/payments', {
      authorization: await authorizationOf(PAN_MERCHANT),
      headers: { 'idempotency-key': form },
      body: checkout(),
    });
    expectCardNumberRefused(answer);
    expect(answer.json['type']).toBe(`${PROBLEM_TYPE_BASE}idempotency_key_invalid`);
  });

  it.each([
    ['the checkoutId of a list query', `/v1/payments?checkoutId=${VISA}`, 'checkoutId'],
    ['the checkoutId of a list query, dashed', `/v1/payments?checkoutId=${MASTERCARD_DASHED}`, 'checkoutId'],
    ['the cursor of a list query', `/v1/payments?cursor=${encodeURIComponent(VISA_SPACED)}`, 'cursor'],
    ['an unknown query parameter', `/v1/payments?reference=${VISA}`, undefined],
    ['the payment id of a read', `/v1/payments/${VISA}`, undefined],
    ['the payment id of a read, spaced', `/v1/payments/${encodeURIComponent(VISA_SPACED)}`, undefined],
  ])('in %s is refused with 400', async (_case, path, field) => {
    const answer = await payment(path, { authorization: await authorizationOf(PAN_MERCHANT) });
    expectCardNumberRefused(answer, field);
  });

  it('as an API key is refused with 401, like any key that is not one', async () => {
    expectUnauthenticated(await payment('/v1/payments', { authorization: `Bearer sk_test_${VISA}` }));
    expectUnauthenticated(await payment('/v1/payments', { authorization: `Bearer ${VISA_SPACED}` }));
  });

  it('stored nothing for any refused request', async () => {
    const listed = await payment('/v1/payments?limit=100', {
      authorization: await authorizationOf(PAN_MERCHANT),
    });
    expect(listed.status).toBe(200);
    expect(listed.json['data']).toEqual([]);
  });
});

// Last in the file: it stops the system, so that every log line is written and every record sent.
describe('after the run', () => {
  it('no database, topic or log file of the system holds any card number sent to it', async () => {
    // A payment made now is published after every earlier one: once it is terminal, the rest is too.
    const marker = await createPayment('merchant_sec_marker');
    await paymentInEnd('merchant_sec_marker', marker.id);
    await sut.system.stop();
    const [tables, topics, logs] = await Promise.all([tableTexts(sut), topicTexts(sut), logTexts(sut)]);

    // The search saw the whole system: every service's database, the marker's records, every log.
    const databases = [...(await sut.databases()).values()];
    for (const database of databases) {
      expect(tables.some((table) => table.where.startsWith(`${database}.`))).toBe(true);
    }
    expect(tables.some((table) => table.text.includes(marker.id))).toBe(true);
    expect(topics.some((record) => record.text.includes(marker.id))).toBe(true);
    expect(logs.map((log) => log.where).join('\n')).toContain('payment.log');

    const sightings = (texts: readonly StoredText[]): CardNumberSighting[] =>
      texts.flatMap((stored) => cardNumbers.sightingsIn(stored.where, stored.text));
    expect(sightings(tables)).toEqual([]);
    expect(sightings(topics)).toEqual([]);
    expect(sightings(logs)).toEqual([]);
  });
});
