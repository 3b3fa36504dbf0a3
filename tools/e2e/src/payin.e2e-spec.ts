import { randomUUID } from 'node:crypto';
import { waitFor } from '@keel/testing';
import { startTestSystem, type TestSystem } from './test-system';

jest.setTimeout(120_000);

const MERCHANT = 'merchant_e2e';
const TERMINAL = new Set(['completed', 'failed', 'partially_failed']);

interface Money {
  amountMinor: string;
  currency: string;
}
interface PaymentView {
  id: string;
  checkoutId: string;
  status: string;
  amount: Money;
  orders: { id: string; sellerId: string; amount: Money; status: string }[];
}
interface SimulatorCharge {
  psp: string;
  idempotencyKey: string;
  amountMinor: string;
  status: string;
}

let sut: TestSystem;

beforeAll(async () => {
  sut = await startTestSystem();
}, 240_000);

afterAll(async () => {
  await sut?.stop();
});

function url(service: 'payment' | 'wallet' | 'ledger' | 'psp-sim', path: string): string {
  return `${sut.system.url(service)}${path}`;
}

/** The e2e merchant's test key, made in the system's payment database on first use. */
async function authorization(): Promise<{ authorization: string }> {
  return { authorization: await sut.system.keys().authorizationFor(MERCHANT) };
}

/** A viewer's token: wallet and ledger reads are for operators. */
function asViewer(): { headers: { authorization: string } } {
  return { headers: { authorization: sut.system.operatorAuthorization('viewer') } };
}

async function postPayment(body: object, idempotencyKey = randomUUID()): Promise<Response> {
  return fetch(url('payment', '/v1/payments'), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
      ...(await authorization()),
    },
    body: JSON.stringify(body),
  });
}

function checkout(sellers: readonly string[], token = 'tok_approve', amount = 10_000) {
  return {
    checkoutId: `co_${randomUUID()}`,
    currency: 'KRW',
    buyer: { id: `buyer_${randomUUID().slice(0, 8)}`, country: 'KR' },
    paymentMethod: { type: 'card', token, issuer: 'shinhan' },
    orders: sellers.map((sellerId, index) => ({ sellerId, amount: amount + index * 1_000 })),
  };
}

async function finalState(paymentId: string): Promise<PaymentView> {
  return waitFor(
    async () => {
      const response = await fetch(url('payment', `/v1/payments/${paymentId}`), {
        headers: await authorization(),
      });
      const view = (await response.json()) as PaymentView;
      return TERMINAL.has(view.status) && view;
    },
    { timeoutMs: 60_000, intervalMs: 200, description: `payment ${paymentId} to end` },
  );
}

async function chargesFor(idempotencyKey: string): Promise<SimulatorCharge[]> {
  const response = await fetch(
    url('psp-sim', `/admin/charges?idempotencyKey=${encodeURIComponent(idempotencyKey)}`),
  );
  const body = (await response.json()) as SimulatorCharge[] | { charges: SimulatorCharge[] };
  return Array.isArray(body) ? body : body.charges;
}

async function walletBalance(sellerId: string): Promise<bigint | undefined> {
  const response = await fetch(url('wallet', `/v1/merchants/${MERCHANT}/wallets/${sellerId}`), asViewer());
  if (response.status === 404) return undefined;
  const wallet = (await response.json()) as { balances: { balance: Money }[] };
  return wallet.balances.reduce((total, row) => total + BigInt(row.balance.amountMinor), 0n);
}

/** Seller payables are per merchant and seller; their ids are derived, so they are found by both. */
async function ledgerPayable(sellerId: string): Promise<bigint | undefined> {
  const response = await fetch(
    url('ledger', `/v1/accounts?kind=seller_payable&merchantId=${MERCHANT}&owner=${sellerId}&currency=KRW`),
    asViewer(),
  );
  const { data } = (await response.json()) as { data: { balance: Money }[] };
  return data[0] === undefined ? undefined : BigInt(data[0].balance.amountMinor);
}

describe('pay-in, end to end over real HTTP, Kafka and PostgreSQL', () => {
  it('completes a multi-seller checkout; wallets equal ledger payables; the trial balance is zero; one charge per order', async () => {
    const sellers = [
      `seller_${randomUUID().slice(0, 8)}`,
      `seller_${randomUUID().slice(0, 8)}`,
      `seller_${randomUUID().slice(0, 8)}`,
    ];
    const response = await postPayment(checkout(sellers));
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as PaymentView;
    expect(accepted.orders).toHaveLength(3);

    const payment = await finalState(accepted.id);
    expect(payment.status).toBe('completed');
    expect(payment.orders.map((order) => order.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    for (const order of payment.orders) {
      const charges = await chargesFor(order.id);
      expect(charges).toHaveLength(1);
      expect(charges[0]?.status).toBe('approved');
      expect(charges[0]?.amountMinor).toBe(order.amount.amountMinor);
    }
    for (const sellerId of sellers) {
      const wallet = await walletBalance(sellerId);
      expect(wallet).toBeGreaterThan(0n);
      expect(await ledgerPayable(sellerId)).toBe(wallet);
    }
    const trialBalance = (await (await fetch(url('ledger', '/v1/trial-balance'), asViewer())).json()) as {
      currencies: { currency: string; balanced: boolean }[];
    };
    expect(trialBalance.currencies.length).toBeGreaterThan(0);
    expect(trialBalance.currencies.every((row) => row.balanced)).toBe(true);
  });

  it.each([
    [
      'easy pay through swiftpay',
      { type: 'easy_pay', provider: 'kakaopay', token: 'tok_approve' },
      'swiftpay',
    ],
    ['bank transfer through nova', { type: 'bank_transfer', bank: 'woori', token: 'tok_approve' }, 'nova'],
  ])('completes a payment by %s', async (_label, paymentMethod, psp) => {
    const sellerId = `seller_${randomUUID().slice(0, 8)}`;
    const response = await postPayment({ ...checkout([sellerId]), paymentMethod });
    const payment = await finalState(((await response.json()) as PaymentView).id);
    expect(payment.status).toBe('completed');
    const charges = await chargesFor(payment.orders[0]?.id ?? '');
    expect(charges.map((charge) => [charge.psp, charge.status])).toEqual([[psp, 'approved']]);
    expect(await ledgerPayable(sellerId)).toBe(await walletBalance(sellerId));
  });

  it('leaves no wallet or ledger effect for a declined order', async () => {
    const sellerId = `seller_${randomUUID().slice(0, 8)}`;
    const response = await postPayment(checkout([sellerId], 'tok_decline_insufficient_funds'));
    const payment = await finalState(((await response.json()) as PaymentView).id);
    expect(payment.status).toBe('failed');
    expect(payment.orders[0]?.status).toBe('declined');
    const charges = await chargesFor(payment.orders[0]?.id ?? '');
    expect(charges.map((charge) => charge.status)).toEqual(['declined']);
    expect(await walletBalance(sellerId)).toBeUndefined();
    expect(await ledgerPayable(sellerId)).toBeUndefined();
  });

  it('refuses a checkout without an API key or with one of another system, and lets a key read only its merchant’s payments', async () => {
    const body = checkout([`seller_${randomUUID().slice(0, 8)}`]);
    for (const headers of [{}, { authorization: `Bearer sk_test_${'0'.repeat(43)}` }]) {
      const refused = await fetch(url('payment', '/v1/payments'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers },
        body: JSON.stringify(body),
      });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="keel"');
    }
    const accepted = (await (await postPayment(body)).json()) as PaymentView;
    const other = await fetch(url('payment', `/v1/payments/${accepted.id}`), {
      headers: { authorization: await sut.system.keys().authorizationFor('merchant_e2e_other') },
    });
    expect(other.status).toBe(404);
    await finalState(accepted.id);
  });

  it('answers a retried POST with the same key with the same payment and creates nothing', async () => {
    const body = checkout([`seller_${randomUUID().slice(0, 8)}`]);
    const key = randomUUID();
    const first = (await (await postPayment(body, key)).json()) as PaymentView;
    const retry = await postPayment(body, key);
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as PaymentView).id).toBe(first.id);
    await finalState(first.id);
    const listed = (await (
      await fetch(url('payment', `/v1/payments?checkoutId=${body.checkoutId}`), {
        headers: await authorization(),
      })
    ).json()) as { data: PaymentView[] };
    expect(listed.data).toHaveLength(1);
    expect(await chargesFor(first.orders[0]?.id ?? '')).toHaveLength(1);
  });

  it('creates one payment from concurrent identical POSTs', async () => {
    const body = checkout([`seller_${randomUUID().slice(0, 8)}`]);
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 8 }, () => postPayment(body, key)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
    const ids = new Set<string>();
    for (const response of responses) {
      if (response.status === 202) ids.add(((await response.json()) as PaymentView).id);
    }
    expect(ids.size).toBe(1);
    const [paymentId] = [...ids];
    const payment = await finalState(paymentId ?? '');
    expect(payment.status).toBe('completed');
    expect(await chargesFor(payment.orders[0]?.id ?? '')).toHaveLength(1);
  });
});
