import { dlqTopicOf, TOPICS, type PaymentMethodType } from '@keel/contracts';
import { headerAsString } from '@keel/messaging';
import type { CurrencyCode } from '@keel/money';
import { operatorAuthorization, TopicReader, waitFor } from '@keel/testing';
import {
  netOf,
  newSellerId,
  succeededEvent,
  succeededOrder,
  succeededOrderBeside,
  WalletFixture,
} from '../../test/wallet-fixture';

jest.setTimeout(120_000);

let wallet: WalletFixture;

beforeAll(async () => {
  // Chunks large enough to hold a whole send of one test, and several sellers' wallets at once.
  wallet = await WalletFixture.start({ CONSUMER_CHUNK_SIZE: '20' });
});

afterAll(async () => {
  await wallet.stop();
});

/** The sum of every series of one counter on an instance's /metrics, optionally of matching labels only. */
async function counterOf(baseUrl: string, metric: string, labels = ''): Promise<number> {
  const text = await (
    await fetch(`${baseUrl}/metrics`, { headers: { authorization: operatorAuthorization('viewer') } })
  ).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && line.includes(labels))
    .reduce((total, line) => total + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

describe('a chunk with an event that can never be applied', () => {
  it('dead-letters that event alone and applies the rest of the chunk', async () => {
    const sellerId = newSellerId();
    const otherSellerId = newSellerId();
    const earlier = succeededOrder({ sellerId, amountMinor: 7_000n });
    const earlierEvent = succeededEvent(earlier);
    await wallet.produce([earlierEvent]);
    await wallet.waitForCreditsPublished(sellerId, 1);

    // Every event below is on the partition of the earlier order, whose contradiction is among them.
    const goodOrders = [3_000n, 4_000n, 5_000n].map((amountMinor) =>
      succeededOrderBeside(earlier, { sellerId, amountMinor }),
    );
    const [first, second, third] = goodOrders.map((order) => succeededEvent(order));
    // The order credited in an earlier chunk, now said to be another seller's.
    const contradiction = succeededEvent({ ...earlier, sellerId: otherSellerId });
    const unknownCurrency = succeededEvent(
      succeededOrderBeside(earlier, {
        sellerId,
        amountMinor: 1_000n,
        currency: 'XYZ' as CurrencyCode,
        feeMinor: 10n,
      }),
    );
    // Fees no credit can apply: the whole amount, and one in another currency.
    const wholeAmountFee = succeededEvent(
      succeededOrderBeside(earlier, { sellerId, amountMinor: 1_000n, feeMinor: 1_000n }),
    );
    const otherCurrencyFee = succeededEvent({
      ...succeededOrderBeside(earlier, { sellerId, amountMinor: 1_000n }),
      platformFee: { amountMinor: '10', currency: 'USD' },
    });
    const poison = [contradiction, unknownCurrency, wholeAmountFee, otherCurrencyFee];
    const chunk = [first, contradiction, second, unknownCurrency, wholeAmountFee, otherCurrencyFee, third];
    const dlq = await TopicReader.start(
      wallet.namespace.kafka,
      wallet.namespace.topic(dlqTopicOf(TOPICS.paymentOrder)),
    );
    try {
      // One send to one partition: fetched together and applied as one chunk.
      await wallet.produce(chunk);
      const dead = await waitFor(
        () => {
          const ids = dlq.records.map((record) => headerAsString(record.headers['ce_id']));
          return poison.every((event) => ids.includes(event.id)) && dlq.records;
        },
        { description: 'every poison event on the dead-letter topic' },
      );
      expect(dead.map((record) => headerAsString(record.headers['keel_dlq_reason']))).toEqual(
        poison.map(() => 'handler_rejected'),
      );
      const detailOf = (eventId: string) =>
        headerAsString(
          dead.find((record) => headerAsString(record.headers['ce_id']) === eventId)?.headers[
            'keel_dlq_detail'
          ] ?? '',
        );
      expect(detailOf(wholeAmountFee.id)).toContain('outside 0 ≤ fee < 1000 KRW');
      expect(detailOf(otherCurrencyFee.id)).toContain('not in the currency of 1000 KRW');
      await wallet.processedByInbox([first, second, third].map((event) => event?.id ?? ''));
    } finally {
      await dlq.stop();
    }
    const partitions = await wallet.queryRows<{ kafka_partition: number }>(
      'SELECT DISTINCT kafka_partition FROM inbox WHERE event_id = ANY($1::text[])',
      [[earlierEvent, first, second, third].map((event) => event?.id)],
    );
    expect(partitions).toHaveLength(1);

    const expectedBalance = netOf(7_000n) + netOf(3_000n) + netOf(4_000n) + netOf(5_000n);
    expect(await wallet.walletRow(sellerId)).toEqual({
      balance_minor: expectedBalance.toString(),
      version: '4',
    });
    await wallet.expectEntriesChainUp(sellerId, 4, expectedBalance);
    // The contradiction opened the other seller's wallet in a transaction that rolled back.
    expect(await wallet.queryRows('SELECT 1 FROM wallets WHERE seller_id = $1', [otherSellerId])).toEqual([]);
    const credits = await wallet.waitForCreditsPublished(sellerId, 4);
    expect(credits.map((credit) => credit.paymentOrderId)).toEqual([
      earlier.paymentOrderId,
      ...goodOrders.map((order) => order.paymentOrderId),
    ]);
  });
});

describe('two merchants with the same seller id', () => {
  it('credit two wallets in one chunk, each published with its merchant and read only under it', async () => {
    const sellerId = newSellerId();
    const first = succeededOrder({ merchantId: 'merchant-a', sellerId, amountMinor: 10_000n });
    // On one partition, so that both merchants' credits are applied in one chunk.
    const orders = [
      first,
      succeededOrderBeside(first, { merchantId: 'merchant-b', sellerId, amountMinor: 3_000n }),
      succeededOrderBeside(first, { merchantId: 'merchant-a', sellerId, amountMinor: 5_000n }),
    ];
    await wallet.produce(orders.map((order) => succeededEvent(order)));
    const credits = await wallet.waitForCreditsPublished(sellerId, 3);

    const balanceOfA = netOf(10_000n) + netOf(5_000n);
    expect(await wallet.walletRow(sellerId, 'KRW', 'merchant-a')).toEqual({
      balance_minor: balanceOfA.toString(),
      version: '2',
    });
    expect(await wallet.walletRow(sellerId, 'KRW', 'merchant-b')).toEqual({
      balance_minor: netOf(3_000n).toString(),
      version: '1',
    });
    await wallet.expectEntriesChainUp(sellerId, 2, balanceOfA, 'merchant-a');
    await wallet.expectEntriesChainUp(sellerId, 1, netOf(3_000n), 'merchant-b');
    expect(
      credits.map((credit) => [credit.merchantId, credit.paymentOrderId, credit.balance.amountMinor]),
    ).toEqual([
      ['merchant-a', orders[0]?.paymentOrderId, netOf(10_000n).toString()],
      ['merchant-b', orders[1]?.paymentOrderId, netOf(3_000n).toString()],
      ['merchant-a', orders[2]?.paymentOrderId, balanceOfA.toString()],
    ]);

    const read = async (merchantId: string) =>
      (
        await fetch(`${wallet.baseUrl}/v1/merchants/${merchantId}/wallets/${sellerId}`, {
          headers: { authorization: operatorAuthorization('viewer') },
        })
      ).json() as Promise<{
        balances: { balance: { amountMinor: string } }[];
        entries: { paymentOrderId: string }[];
      }>;
    const ofA = await read('merchant-a');
    expect(ofA.balances.map((balance) => balance.balance.amountMinor)).toEqual([balanceOfA.toString()]);
    expect(ofA.entries.map((entry) => entry.paymentOrderId)).toEqual([
      orders[2]?.paymentOrderId,
      orders[0]?.paymentOrderId,
    ]);
    const ofB = await read('merchant-b');
    expect(ofB.balances.map((balance) => balance.balance.amountMinor)).toEqual([netOf(3_000n).toString()]);
    expect(ofB.entries.map((entry) => entry.paymentOrderId)).toEqual([orders[1]?.paymentOrderId]);
  });

  it('refuses a payment order delivered again under another merchant', async () => {
    const sellerId = newSellerId();
    const order = succeededOrder({ merchantId: 'merchant-a', sellerId, amountMinor: 7_000n });
    await wallet.produce([succeededEvent(order)]);
    await wallet.waitForCreditsPublished(sellerId, 1);
    const dlq = await TopicReader.start(
      wallet.namespace.kafka,
      wallet.namespace.topic(dlqTopicOf(TOPICS.paymentOrder)),
    );
    try {
      const otherMerchant = succeededEvent({ ...order, merchantId: 'merchant-b' });
      await wallet.produce([otherMerchant]);
      const [dead] = await waitFor(
        () => {
          const found = dlq.records.filter(
            (record) => headerAsString(record.headers['ce_id']) === otherMerchant.id,
          );
          return found.length > 0 && found;
        },
        { description: 'the other merchant’s delivery on the dead-letter topic' },
      );
      expect(headerAsString(dead?.headers['keel_dlq_detail'] ?? '')).toContain('of merchant merchant-a');
    } finally {
      await dlq.stop();
    }
    expect(
      await wallet.queryRows('SELECT 1 FROM wallets WHERE merchant_id = $1 AND seller_id = $2', [
        'merchant-b',
        sellerId,
      ]),
    ).toEqual([]);
  });
});

describe('two wallet instances in one consumer group', () => {
  it('credit many orders of a few shared sellers at once, each once, without a deadlock', async () => {
    const other = await wallet.startAnotherInstance();
    const instanceUrls = [wallet.baseUrl, await other.getUrl()];
    const appliedBy = () =>
      Promise.all(instanceUrls.map((url) => counterOf(url, 'keel_inbox_applied_total')));
    const sellerIds = Array.from({ length: 4 }, () => newSellerId());
    const methods: PaymentMethodType[] = ['card', 'easy_pay', 'bank_transfer', 'mobile'];
    const orders: ReturnType<typeof succeededOrder>[] = [];
    // Keyed by payment order, as the executor publishes them: every partition carries every seller.
    const send = async (count: number): Promise<void> => {
      const wave = Array.from({ length: count }, (_, index) =>
        succeededOrder({
          sellerId: sellerIds[(orders.length + index) % sellerIds.length] ?? '',
          amountMinor: 1_000n + BigInt((orders.length + index) * 37),
          methodType: methods[index % methods.length],
        }),
      );
      orders.push(...wave);
      await wallet.produce(wave.map((order) => succeededEvent(order)));
    };
    const creditedCount = async () =>
      (
        await wallet.queryRows<{ n: number }>(
          'SELECT count(*)::int AS n FROM wallet_entries WHERE seller_id = ANY($1::text[])',
          [sellerIds],
        )
      )[0]?.n;

    // Until the group has shared the partitions out, one instance may still hold them all.
    await waitFor(
      async () => {
        await send(12);
        await waitFor(async () => (await creditedCount()) === orders.length, {
          description: 'a warm-up wave',
        });
        return (await appliedBy()).every((applied) => applied > 0);
      },
      { timeoutMs: 60_000, description: 'both instances applying events' },
    );
    const appliedBefore = await appliedBy();
    const failuresBy = () =>
      Promise.all(
        instanceUrls.map(
          async (url) =>
            (await counterOf(url, 'keel_inbox_retries_total')) +
            (await counterOf(url, 'keel_dlq_records_total')),
        ),
      );
    const failuresBefore = await failuresBy();
    await send(600);
    await waitFor(async () => (await creditedCount()) === orders.length, {
      timeoutMs: 90_000,
      description: `${orders.length} orders credited`,
    });

    const appliedAfter = await appliedBy();
    expect(appliedAfter.every((applied, index) => applied > (appliedBefore[index] ?? 0))).toBe(true);
    // A deadlock would surface as a database retry; a contradiction or a bug as a retry or dead letter.
    expect(await failuresBy()).toEqual(failuresBefore);
    const [perOrder] = await wallet.queryRows<{ entries: number; orders: number }>(
      `SELECT count(*)::int AS entries, count(DISTINCT payment_order_id)::int AS orders
       FROM wallet_entries WHERE seller_id = ANY($1::text[])`,
      [sellerIds],
    );
    expect(perOrder).toEqual({ entries: orders.length, orders: orders.length });
    for (const sellerId of sellerIds) {
      const own = orders.filter((order) => order.sellerId === sellerId);
      const expectedBalance = own
        .map((order) => netOf(BigInt(order.amount.amountMinor), order.paymentMethod.type))
        .reduce((total, net) => total + net, 0n);
      expect(await wallet.walletRow(sellerId)).toEqual({
        balance_minor: expectedBalance.toString(),
        version: own.length.toString(),
      });
      const [sums] = await wallet.queryRows<{ total: string }>(
        'SELECT sum(amount_minor)::text AS total FROM wallet_entries WHERE seller_id = $1',
        [sellerId],
      );
      expect(sums?.total).toBe(expectedBalance.toString());
      await wallet.expectEntriesChainUp(sellerId, own.length, expectedBalance);
    }
  });
});
