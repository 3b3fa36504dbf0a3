import { randomUUID } from 'node:crypto';
import { dlqTopicOf, TOPICS, type PaymentMethodType } from '@keel/contracts';
import { headerAsString } from '@keel/messaging';
import { Money } from '@keel/money';
import { operatorAuthorization, TopicReader, waitFor } from '@keel/testing';
import {
  creditedPayloadOf,
  DEFAULT_MERCHANT_ID,
  netOf,
  newSellerId,
  succeededEvent,
  succeededOrder,
  WalletFixture,
} from '../test/wallet-fixture';
import { WalletCreditService } from './credits/wallet-credit.service';
import type { WalletView } from './wallets/wallet.view';

jest.setTimeout(60_000);

let wallet: WalletFixture;

beforeAll(async () => {
  // Small chunks, so the partitions' transactions interleave and contend for one wallet row.
  wallet = await WalletFixture.start({ CONSUMER_CHUNK_SIZE: '5' });
});

afterAll(async () => {
  await wallet.stop();
});

describe('crediting succeeded payment orders', () => {
  it('credits the amount less the fee the event carries once, and publishes wallet.credited with the new balance', async () => {
    const sellerId = newSellerId();
    // 1.23 %, no rate of any fee table: the wallet applies the fee it is given and computes none.
    const first = succeededOrder({ sellerId, amountMinor: 10_000n, methodType: 'card', feeMinor: 123n });
    await wallet.produce([succeededEvent(first)]);
    const [credited] = await wallet.waitForCreditsPublished(sellerId, 1);
    expect(credited).toEqual({
      merchantId: DEFAULT_MERCHANT_ID,
      sellerId,
      paymentOrderId: first.paymentOrderId,
      paymentId: first.paymentId,
      amount: { amountMinor: '9877', currency: 'KRW' },
      balance: { amountMinor: '9877', currency: 'KRW' },
      creditedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const record = wallet.walletTopic.records.find((each) => creditedPayloadOf(each)?.sellerId === sellerId);
    expect(record?.key?.toString('utf8')).toBe(sellerId);

    const second = succeededOrder({ sellerId, amountMinor: 5_000n, methodType: 'easy_pay', feeMinor: 0n });
    await wallet.produce([succeededEvent(second)]);
    const credits = await wallet.waitForCreditsPublished(sellerId, 2);
    expect(credits[1]?.amount).toEqual({ amountMinor: '5000', currency: 'KRW' });
    expect(credits[1]?.balance).toEqual({ amountMinor: '14877', currency: 'KRW' });
    expect(await wallet.walletRow(sellerId)).toEqual({ balance_minor: '14877', version: '2' });

    const entries = await wallet.queryRows(
      `SELECT payment_order_id, amount_minor, gross_amount_minor, fee_amount_minor, fee_basis_points,
              fee_rounding, payment_method_type, balance_after_minor
       FROM wallet_entries WHERE seller_id = $1 ORDER BY id`,
      [sellerId],
    );
    // The fee came decided, so no rate or rounding is recorded with it.
    expect(entries).toEqual([
      {
        payment_order_id: first.paymentOrderId,
        amount_minor: '9877',
        gross_amount_minor: '10000',
        fee_amount_minor: '123',
        fee_basis_points: null,
        fee_rounding: null,
        payment_method_type: 'card',
        balance_after_minor: '9877',
      },
      {
        payment_order_id: second.paymentOrderId,
        amount_minor: '5000',
        gross_amount_minor: '5000',
        fee_amount_minor: '0',
        fee_basis_points: null,
        fee_rounding: null,
        payment_method_type: 'easy_pay',
        balance_after_minor: '14877',
      },
    ]);
  });

  it('credits an order once, repeated under its own and other event ids, in one chunk and across chunks', async () => {
    const sellerId = newSellerId();
    const order = succeededOrder({ sellerId, amountMinor: 20_000n });
    const original = succeededEvent(order);
    const republished = succeededEvent(order);
    // One key, so one partition and one chunk, in this order.
    await wallet.produce([original, succeededEvent(order, original.id), republished]);
    await wallet.processedByInbox([original.id, republished.id]);
    expect(await wallet.walletRow(sellerId)).toEqual({
      balance_minor: netOf(20_000n).toString(),
      version: '1',
    });

    // Later chunks: an event seen before, the order under a third event id, and under a fourth alone.
    const third = succeededEvent(order);
    await wallet.produce([succeededEvent(order, republished.id), third]);
    await wallet.processedByInbox([third.id]);
    const fourth = succeededEvent(order);
    await wallet.produce([fourth]);
    await wallet.processedByInbox([fourth.id]);

    expect(await wallet.walletRow(sellerId)).toEqual({
      balance_minor: netOf(20_000n).toString(),
      version: '1',
    });
    const [entries] = await wallet.queryRows<{ n: number }>(
      'SELECT count(*)::int AS n FROM wallet_entries WHERE payment_order_id = $1',
      [order.paymentOrderId],
    );
    expect(entries?.n).toBe(1);
    // wallet.credited is keyed by seller and relayed in order per key: once the credit of a later
    // order is read, any second credit of the repeated order would have been read before it.
    const later = succeededOrder({ sellerId, amountMinor: 1_000n });
    await wallet.produce([succeededEvent(later)]);
    const credits = await wallet.waitForCreditsPublished(sellerId, 2);
    expect(credits.map((credit) => credit.paymentOrderId)).toEqual([
      order.paymentOrderId,
      later.paymentOrderId,
    ]);
  });

  it.each([
    ['another amount', { amount: { amountMinor: '7001', currency: 'KRW' } }],
    ['another fee', { platformFee: { amountMinor: '1', currency: 'KRW' } }],
  ])(
    'dead-letters a delivery that contradicts the credited order with %s, and changes nothing',
    async (_name, change) => {
      const sellerId = newSellerId();
      const order = succeededOrder({ sellerId, amountMinor: 7_000n });
      const contradiction = succeededEvent({ ...order, ...change });
      const dlqTopic = wallet.namespace.topic(dlqTopicOf(TOPICS.paymentOrder));
      const dlq = await TopicReader.start(wallet.namespace.kafka, dlqTopic);
      try {
        const credited = succeededEvent(order);
        await wallet.produce([credited, contradiction]);
        const dead = await waitFor(
          () => dlq.records.find((record) => headerAsString(record.headers['ce_id']) === contradiction.id),
          { description: 'the contradicting event on the dead-letter topic' },
        );
        expect(headerAsString(dead.headers['keel_dlq_reason'])).toBe('handler_rejected');
        // In one chunk, the contradiction is dead-lettered first and the credit applied again after.
        await wallet.processedByInbox([credited.id]);
        expect(await wallet.walletRow(sellerId)).toEqual({
          balance_minor: netOf(7_000n).toString(),
          version: '1',
        });
      } finally {
        await dlq.stop();
      }
    },
  );

  it('applies 100 credits racing through Kafka for one wallet, each exactly once', async () => {
    const sellerId = newSellerId();
    const methods: PaymentMethodType[] = ['card', 'easy_pay', 'bank_transfer', 'mobile'];
    const orders = Array.from({ length: 100 }, (_, index) =>
      succeededOrder({
        sellerId,
        amountMinor: 1_000n + BigInt(index) * 137n,
        methodType: methods[index % 4],
      }),
    );
    const expectedBalance = orders
      .map((order) => netOf(BigInt(order.amount.amountMinor), order.paymentMethod.type))
      .reduce((total, net) => total + net, 0n);
    await wallet.produce(orders.map((order) => succeededEvent(order)));

    const credits = await wallet.waitForCreditsPublished(sellerId, 100);
    expect(await wallet.walletRow(sellerId)).toEqual({
      balance_minor: expectedBalance.toString(),
      version: '100',
    });
    await wallet.expectEntriesChainUp(sellerId, 100, expectedBalance);
    const publishedBalances = credits.map((credit) => BigInt(credit.balance.amountMinor));
    expect(new Set(publishedBalances).size).toBe(100);
    expect(publishedBalances.reduce((max, value) => (value > max ? value : max), 0n)).toBe(expectedBalance);
  });

  it('keeps balances exact under 25 concurrent chunk transactions over three shared wallets', async () => {
    const sellerIds = [newSellerId(), newSellerId(), newSellerId()];
    const credits = wallet.app.get(WalletCreditService);
    // Each chunk credits all three sellers, in a different order, so every transaction wants every lock.
    const chunks = Array.from({ length: 25 }, (_, chunk) =>
      Array.from({ length: 4 }, (_, index) => ({
        sellerId: sellerIds[(chunk + index) % 3] ?? '',
        amountMinor: 500n + BigInt(chunk * 4 + index),
      })),
    );
    await Promise.all(
      chunks.map((chunk) =>
        wallet.dataSource.transaction((manager) =>
          credits.creditPaymentOrders(
            manager,
            chunk.map(({ sellerId, amountMinor }) => ({
              eventId: randomUUID(),
              traceparent: undefined,
              paymentOrderId: `po-${randomUUID()}`,
              paymentId: `pay-${randomUUID()}`,
              merchantId: DEFAULT_MERCHANT_ID,
              sellerId,
              gross: Money.of(amountMinor, 'USD'),
              fee: Money.of(amountMinor - netOf(amountMinor, 'mobile', 'USD'), 'USD'),
              methodType: 'mobile',
            })),
          ),
        ),
      ),
    );
    for (const sellerId of sellerIds) {
      const own = chunks.flat().filter((credit) => credit.sellerId === sellerId);
      const expectedBalance = own.reduce(
        (total, credit) => total + netOf(credit.amountMinor, 'mobile', 'USD'),
        0n,
      );
      expect(await wallet.walletRow(sellerId, 'USD')).toEqual({
        balance_minor: expectedBalance.toString(),
        version: own.length.toString(),
      });
      await wallet.expectEntriesChainUp(sellerId, own.length, expectedBalance);
    }
  });
});

describe('GET /v1/merchants/{merchantId}/wallets/{sellerId}', () => {
  const sellerId = newSellerId();
  const orders = [
    succeededOrder({ sellerId, amountMinor: 10_000n, currency: 'KRW' }),
    succeededOrder({ sellerId, amountMinor: 1_999n, currency: 'USD', methodType: 'bank_transfer' }),
    succeededOrder({ sellerId, amountMinor: 30_000n, currency: 'KRW', methodType: 'mobile' }),
    succeededOrder({ sellerId, amountMinor: 2_500n, currency: 'USD' }),
    succeededOrder({ sellerId, amountMinor: 50_000n, currency: 'KRW', methodType: 'easy_pay' }),
  ];
  const newestFirst = [...orders].reverse().map((order) => order.paymentOrderId);

  beforeAll(async () => {
    // One at a time, so that the entries' order is the orders' order.
    for (const [index, order] of orders.entries()) {
      await wallet.produce([succeededEvent(order)]);
      await wallet.waitForCreditsPublished(sellerId, index + 1);
    }
  });

  async function getWallet(path: string): Promise<{ status: number; contentType: string; body: unknown }> {
    const response = await fetch(`${wallet.baseUrl}/v1/merchants/${DEFAULT_MERCHANT_ID}/wallets/${path}`, {
      headers: { authorization: operatorAuthorization('viewer') },
    });
    const contentType = response.headers.get('content-type') ?? '';
    return { status: response.status, contentType, body: await response.json() };
  }

  it('answers the balance per currency and the newest entries', async () => {
    const { status, body } = await getWallet(sellerId);
    expect(status).toBe(200);
    const view = body as WalletView;
    const krw = netOf(10_000n) + netOf(30_000n, 'mobile') + netOf(50_000n, 'easy_pay');
    const usd = netOf(1_999n, 'bank_transfer', 'USD') + netOf(2_500n, 'card', 'USD');
    expect(view.merchantId).toBe(DEFAULT_MERCHANT_ID);
    expect(view.sellerId).toBe(sellerId);
    expect(view.balances).toEqual([
      {
        currency: 'KRW',
        balance: { amountMinor: `${krw}`, currency: 'KRW' },
        version: 3,
        updatedAt: expect.any(String),
      },
      {
        currency: 'USD',
        balance: { amountMinor: `${usd}`, currency: 'USD' },
        version: 2,
        updatedAt: expect.any(String),
      },
    ]);
    expect(view.entries.map((entry) => entry.paymentOrderId)).toEqual(newestFirst);
    expect(view.entries[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      kind: 'payment_order_credit',
      amount: { amountMinor: netOf(50_000n, 'easy_pay').toString(), currency: 'KRW' },
      grossAmount: { amountMinor: '50000', currency: 'KRW' },
      feeAmount: { amountMinor: '1500', currency: 'KRW' },
      paymentOrderId: orders[4]?.paymentOrderId,
      paymentId: orders[4]?.paymentId,
      paymentMethodType: 'easy_pay',
      balanceAfter: { amountMinor: `${krw}`, currency: 'KRW' },
      createdAt: expect.any(String),
    });
    expect(view.nextCursor).toBeNull();
  });

  it('pages the entries with a cursor until the last page', async () => {
    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${encodeURIComponent(cursor)}`;
      const { status, body } = await getWallet(`${sellerId}${query}`);
      expect(status).toBe(200);
      const page = body as WalletView;
      pageSizes.push(page.entries.length);
      seen.push(...page.entries.map((entry) => entry.paymentOrderId));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(newestFirst);
  });

  it('answers a wallet to operators only: 401 problem+json with the operator challenge otherwise', async () => {
    for (const authorization of [undefined, 'Bearer sk_test_notanoperatortoken', 'Bearer op_forged.token']) {
      const response = await fetch(
        `${wallet.baseUrl}/v1/merchants/${DEFAULT_MERCHANT_ID}/wallets/${sellerId}`,
        {
          headers: authorization === undefined ? {} : { authorization },
        },
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keel-operator"');
      expect(await response.json()).toMatchObject({
        type: 'https://keel.dev/problems/operator_unauthenticated',
      });
    }
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      const response = await fetch(
        `${wallet.baseUrl}/v1/merchants/${DEFAULT_MERCHANT_ID}/wallets/${sellerId}`,
        {
          headers: { authorization: operatorAuthorization(role) },
        },
      );
      expect(response.status).toBe(200);
      expect(((await response.json()) as WalletView).sellerId).toBe(sellerId);
    }
  });

  it('answers 404 problem+json for a seller without a wallet', async () => {
    const unknown = newSellerId();
    const { status, contentType, body } = await getWallet(unknown);
    expect(status).toBe(404);
    expect(contentType).toContain('application/problem+json');
    expect(body).toEqual(
      expect.objectContaining({ type: 'https://keel.dev/problems/wallet-not-found', sellerId: unknown }),
    );
  });

  it('answers 404 for the seller under another merchant, and the old route no longer answers', async () => {
    const response = await fetch(`${wallet.baseUrl}/v1/merchants/merchant-other/wallets/${sellerId}`, {
      headers: { authorization: operatorAuthorization('viewer') },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(
      expect.objectContaining({
        type: 'https://keel.dev/problems/wallet-not-found',
        merchantId: 'merchant-other',
        sellerId,
      }),
    );
    expect((await fetch(`${wallet.baseUrl}/v1/wallets/${sellerId}`)).status).toBe(404);
  });

  it.each([
    ['a cursor it did not issue', '?cursor=bm90LWEtY3Vyc29y', 'invalid-cursor'],
    ['a limit above the maximum', '?limit=101', 'invalid-page-limit'],
    ['a limit of zero', '?limit=0', 'validation-failed'],
    ['an unknown parameter', '?offset=3', 'validation-failed'],
  ])('answers 400 problem+json for %s', async (_case, query, code) => {
    const { status, contentType, body } = await getWallet(`${sellerId}${query}`);
    expect(status).toBe(400);
    expect(contentType).toContain('application/problem+json');
    expect(body).toEqual(expect.objectContaining({ type: `https://keel.dev/problems/${code}` }));
  });
});

describe('wallet entries', () => {
  it('cannot be updated, deleted or truncated', async () => {
    const sellerId = newSellerId();
    await wallet.produce([succeededEvent(succeededOrder({ sellerId, amountMinor: 3_000n }))]);
    await wallet.waitForCreditsPublished(sellerId, 1);
    await expect(
      wallet.queryRows('UPDATE wallet_entries SET amount_minor = amount_minor + 1 WHERE seller_id = $1', [
        sellerId,
      ]),
    ).rejects.toThrow(/wallet entries are immutable: UPDATE/);
    await expect(
      wallet.queryRows('DELETE FROM wallet_entries WHERE seller_id = $1', [sellerId]),
    ).rejects.toThrow(/wallet entries are immutable: DELETE/);
    await expect(wallet.queryRows('TRUNCATE wallet_entries CASCADE')).rejects.toThrow(
      /wallet entries are immutable: TRUNCATE/,
    );
    expect(await wallet.walletRow(sellerId)).toEqual({
      balance_minor: netOf(3_000n).toString(),
      version: '1',
    });
  });
});
