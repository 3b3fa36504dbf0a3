import { dlqTopicOf, toKafkaRecord, TOPICS, type EventEnvelope } from '@keel/contracts';
import { headerAsString } from '@keel/messaging';
import type { KeelOrderView } from '@keel/reconciliation-domain';
import { operatorAuthorization, TopicReader, waitFor } from '@keel/testing';
import {
  chargeRecorded,
  declined,
  failed,
  KeelViewFixture,
  newOrderId,
  orphanDetected,
  orphanRefunded,
  orphanRefundRecorded,
  republished,
  succeeded,
  succeededData,
  succeededV2,
  walletCredited,
} from '../../test/keel-view-fixture';
import { KeelViewReader } from './keel-view.reader';

jest.setTimeout(120_000);

let view: KeelViewFixture;

beforeAll(async () => {
  // Two rows per fetch, so that a day's read takes several fetches from its cursor.
  view = await KeelViewFixture.start({ CONSUMER_CHUNK_SIZE: '50', RECON_VIEW_FETCH_ROWS: '2' });
});

afterAll(async () => {
  await view?.stop();
});

async function collect(orders: AsyncIterable<KeelOrderView>): Promise<KeelOrderView[]> {
  const all: KeelOrderView[] = [];
  for await (const order of orders) all.push(order);
  return all;
}

async function appliedByType(): Promise<Map<string, number>> {
  const text = await (
    await fetch(`${view.service.baseUrl}/metrics`, {
      headers: { authorization: operatorAuthorization('viewer') },
    })
  ).text();
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^keel_reconciliation_view_events_applied_total\{.*type="([^"]+)".*\} (\d+)$/.exec(line);
    if (match !== null) counts.set(match[1] ?? '', Number(match[2]));
  }
  return counts;
}

describe("the executor's, ledger's and wallet's events", () => {
  it('end up in the view, each type in its table, succeeded.v2 skipped', async () => {
    const countsBefore = await appliedByType();
    const success = succeededData({ psp: 'acme' });
    const successV2 = succeededV2(success);
    const declinedAtNova = declined({ psp: 'nova' });
    const failedAtAcme = failed({ psp: 'acme' });
    const failedOrderId = (failedAtAcme.data as { paymentOrderId: string }).paymentOrderId;
    const orphan = {
      psp: 'acme',
      paymentOrderId: failedOrderId,
      pspReference: 'ch_orphan',
      amountMinor: 10_000n,
      detectedAt: '2026-12-07T01:00:00.000Z',
    };
    const orphanAtSwiftpay = {
      psp: 'swiftpay',
      paymentOrderId: newOrderId(),
      pspReference: 'S_orphan',
      amountMinor: 7_000n,
      detectedAt: '2026-12-07T02:00:00.000Z',
    };
    const failedUntried = failed({ psp: null });
    const paymentOrderEvents = [
      succeeded(success),
      successV2,
      declinedAtNova,
      failedAtAcme,
      orphanDetected(orphan),
      orphanRefunded({ ...orphan, refundReference: 're_orphan', refundedAt: '2026-12-07T01:05:00.000Z' }),
      orphanDetected(orphanAtSwiftpay),
      failedUntried,
    ];
    const ledgerEvents = [
      chargeRecorded({ psp: 'acme', amountMinor: 10_000n, recordedAt: '2026-12-07T00:00:01.000Z' }),
      orphanRefundRecorded({ psp: 'acme', amountMinor: 10_000n, recordedAt: '2026-12-07T01:05:01.000Z' }),
    ];
    const walletEvents = [
      walletCredited({ merchantId: 'merchant-view', sellerId: 'seller-view', amountMinor: 9_700n }),
      walletCredited({ merchantId: 'merchant-view', sellerId: 'seller-view', amountMinor: 300n }),
      walletCredited({ sellerId: 'seller-view', amountMinor: 1_000n }),
    ];
    await view.publish(TOPICS.paymentOrder, paymentOrderEvents);
    await view.publish(TOPICS.ledger, ledgerEvents);
    await view.publish(TOPICS.wallet, walletEvents);
    const applied = [
      ...paymentOrderEvents.filter((event) => event !== successV2),
      ...ledgerEvents,
      ...walletEvents,
    ];
    await view.processedByInbox(applied);
    // Skipped by its type header: the inbox never recorded it.
    expect(await view.queryRows('SELECT 1 FROM inbox WHERE event_id = $1', [successV2.id])).toEqual([]);

    expect(await view.paymentOrder('acme', success.paymentOrderId)).toMatchObject({
      merchant_id: 'merchant-1',
      psp_reference: success.pspReference,
      amount_minor: '10000',
      currency: 'KRW',
      status: 'succeeded',
      outcome_at: new Date(success.succeededAt),
      orphan_detected_at: null,
    });
    const declinedOrderId = (declinedAtNova.data as { paymentOrderId: string }).paymentOrderId;
    expect(await view.paymentOrder('nova', declinedOrderId)).toMatchObject({
      merchant_id: null,
      psp_reference: null,
      status: 'declined',
    });
    // The orphan charge keeps the order failed and gives it the PSP's reference.
    expect(await view.paymentOrder('acme', failedOrderId)).toMatchObject({
      psp_reference: 'ch_orphan',
      status: 'failed',
      outcome_at: new Date((failedAtAcme.data as { failedAt: string }).failedAt),
      orphan_detected_at: new Date(orphan.detectedAt),
    });
    expect(await view.paymentOrder('swiftpay', orphanAtSwiftpay.paymentOrderId)).toMatchObject({
      psp_reference: 'S_orphan',
      status: null,
      outcome_at: new Date(orphanAtSwiftpay.detectedAt),
    });
    const untriedId = (failedUntried.data as { paymentOrderId: string }).paymentOrderId;
    expect(
      await view.queryRows('SELECT 1 FROM keel_payment_orders WHERE payment_order_id = $1', [untriedId]),
    ).toEqual([]);
    expect(
      await view.queryRows('SELECT psp, payment_order_id, psp_reference, amount_minor FROM keel_refunds'),
    ).toEqual([
      { psp: 'acme', payment_order_id: failedOrderId, psp_reference: 'ch_orphan', amount_minor: '10000' },
    ]);
    expect(
      await view.queryRows(
        `SELECT psp, currency, amount_minor, kind FROM keel_psp_clearing_movements
         WHERE transaction_id = ANY($1::text[]) ORDER BY recorded_at`,
        [ledgerEvents.map((event) => (event.data as { transactionId: string }).transactionId)],
      ),
    ).toEqual([
      { psp: 'acme', currency: 'KRW', amount_minor: '10000', kind: 'payment_charge' },
      { psp: 'acme', currency: 'KRW', amount_minor: '-10000', kind: 'orphan_charge_refund' },
    ]);
    expect(
      await view.queryRows(
        `SELECT merchant_id, currency, credited_minor, credits FROM keel_wallet_totals
         WHERE seller_id = 'seller-view' ORDER BY merchant_id`,
      ),
    ).toEqual([
      { merchant_id: 'merchant-view', currency: 'KRW', credited_minor: '10000', credits: '2' },
      { merchant_id: 'unknown', currency: 'KRW', credited_minor: '1000', credits: '1' },
    ]);

    const countsAfter = await appliedByType();
    const delta = (type: string) => (countsAfter.get(type) ?? 0) - (countsBefore.get(type) ?? 0);
    expect(delta('keel.payment_order.succeeded.v1')).toBe(1);
    expect(delta('keel.payment_order.succeeded.v2')).toBe(0);
    expect(delta('keel.payment_order.failed.v1')).toBe(2);
    expect(delta('keel.payment_order.orphan_charge_detected.v1')).toBe(2);
    expect(delta('keel.ledger.transaction_recorded.v1')).toBe(2);
    expect(delta('keel.wallet.credited.v1')).toBe(3);
  });
});

describe('duplicates', () => {
  it('within a chunk and across chunks have one effect', async () => {
    const success = succeededData({ psp: 'nova' });
    const first = succeeded(success);
    const credit = walletCredited({
      merchantId: 'merchant-dup',
      sellerId: 'seller-dup',
      amountMinor: 5_000n,
    });
    const charge = chargeRecorded({
      psp: 'nova',
      amountMinor: 5_000n,
      recordedAt: '2026-11-01T10:00:00.000Z',
    });
    // The same event twice (one id) and the same facts under new ids, all in one send: one chunk.
    await view.publish(TOPICS.paymentOrder, [first, first, republished(first), republished(first)]);
    await view.publish(TOPICS.wallet, [credit, republished(credit), credit]);
    await view.publish(TOPICS.ledger, [charge, republished(charge)]);
    await view.processedByInbox([first, credit, charge]);
    // And again in later chunks.
    const later = [republished(first)];
    const laterCredit = [republished(credit)];
    const laterCharge = [republished(charge)];
    await view.publish(TOPICS.paymentOrder, later);
    await view.publish(TOPICS.wallet, laterCredit);
    await view.publish(TOPICS.ledger, laterCharge);
    await view.processedByInbox([...later, ...laterCredit, ...laterCharge]);

    expect(
      await view.queryRows('SELECT status FROM keel_payment_orders WHERE payment_order_id = $1', [
        success.paymentOrderId,
      ]),
    ).toEqual([{ status: 'succeeded' }]);
    expect(
      await view.queryRows(
        `SELECT credited_minor, credits FROM keel_wallet_totals WHERE merchant_id = 'merchant-dup'`,
      ),
    ).toEqual([{ credited_minor: '5000', credits: '1' }]);
    expect(
      await view.queryRows('SELECT amount_minor FROM keel_psp_clearing_movements WHERE transaction_id = $1', [
        (charge.data as { transactionId: string }).transactionId,
      ]),
    ).toEqual([{ amount_minor: '5000' }]);
  });
});

describe('a chunk with poison records', () => {
  it('dead-letters them and applies the rest', async () => {
    const earlier = succeededData({ psp: 'acme' });
    const earlierEvent = succeeded(earlier);
    await view.publish(TOPICS.paymentOrder, [earlierEvent]);
    await view.processedByInbox([earlierEvent]);
    const good = [succeeded(succeededData({ psp: 'acme' })), declined({ psp: 'acme' })];
    const unknownCurrency = declined({ psp: 'acme', currency: 'XYZ' });
    // The order succeeded at acme; a decline of it there contradicts the view.
    const contradiction = declined({ psp: 'acme', paymentOrderId: earlier.paymentOrderId });
    const otherReference = succeeded({ ...earlier, pspReference: 'ch_another' });
    const poison: EventEnvelope[] = [unknownCurrency, contradiction, otherReference];
    const dlq = await TopicReader.start(
      view.service.namespace.kafka,
      view.service.namespace.topic(dlqTopicOf(TOPICS.paymentOrder)),
    );
    try {
      // A record of a handled type whose body is not JSON: refused by the contracts, before any handler.
      const malformed = declined({ psp: 'acme' });
      await view.service.producer.send([
        {
          topic: view.service.namespace.topic(TOPICS.paymentOrder),
          ...toKafkaRecord(malformed),
          value: Buffer.from('{"paymentOrderId":', 'utf8'),
        },
      ]);
      await view.publish(TOPICS.paymentOrder, [
        ...good.slice(0, 1),
        unknownCurrency,
        contradiction,
        ...good.slice(1),
        otherReference,
      ]);
      const dead = await waitFor(
        () => {
          const ids = dlq.records.map((record) => headerAsString(record.headers['ce_id']));
          return (
            [...poison.map((event) => event.id), malformed.id].every((id) => ids.includes(id)) && dlq.records
          );
        },
        { description: 'every poison record on the dead-letter topic' },
      );
      const reasonOf = (id: string) =>
        headerAsString(
          dead.find((record) => headerAsString(record.headers['ce_id']) === id)?.headers['keel_dlq_reason'] ??
            '',
        );
      expect(poison.map((event) => reasonOf(event.id))).toEqual(poison.map(() => 'handler_rejected'));
      expect(reasonOf(malformed.id)).toBe('invalid_json');
      await view.processedByInbox(good);
    } finally {
      await dlq.stop();
    }
    for (const event of good) {
      const { paymentOrderId } = event.data as { paymentOrderId: string };
      expect(await view.paymentOrder('acme', paymentOrderId)).toMatchObject({ currency: 'KRW' });
    }
    expect(await view.paymentOrder('acme', earlier.paymentOrderId)).toMatchObject({
      status: 'succeeded',
      psp_reference: earlier.pspReference,
    });
  });
});

describe("the matcher's reads", () => {
  // swiftpay's day 2026-11-20 in Asia/Seoul (UTC+9) runs from 2026-11-19T15:00Z to 2026-11-20T15:00Z.
  const DAY = '2026-11-20';
  const ZONE = 'Asia/Seoul';

  it("return a PSP's day in its zone, sorted by either key in byte order, a fetch at a time", async () => {
    const reader = view.service.app.get(KeelViewReader);
    const inDay = [
      succeededData({
        psp: 'swiftpay',
        paymentOrderId: 'po-view-B',
        pspReference: 'S-b',
        at: '2026-11-19T15:00:00.000Z',
      }),
      succeededData({
        psp: 'swiftpay',
        paymentOrderId: 'po-view-a',
        pspReference: 'SB',
        at: '2026-11-20T14:59:59.999Z',
      }),
      succeededData({
        psp: 'swiftpay',
        paymentOrderId: 'po-view_A',
        pspReference: 'S_c',
        at: '2026-11-20T03:00:00.000Z',
      }),
      succeededData({
        psp: 'swiftpay',
        paymentOrderId: 'po-view-1',
        pspReference: 'Sa',
        at: '2026-11-20T04:00:00.000Z',
      }),
    ];
    const outOfDay = [
      succeededData({ psp: 'swiftpay', paymentOrderId: 'po-view-before', at: '2026-11-19T14:59:59.999Z' }),
      succeededData({ psp: 'swiftpay', paymentOrderId: 'po-view-after', at: '2026-11-20T15:00:00.000Z' }),
      succeededData({ psp: 'acme', paymentOrderId: 'po-view-acme', at: '2026-11-20T03:00:00.000Z' }),
    ];
    const declinedInDay = declined({
      psp: 'swiftpay',
      paymentOrderId: 'po-view-Z',
      at: '2026-11-20T05:00:00.000Z',
    });
    // Failed the day before; its orphan charge refunded on the day.
    const orphan = {
      psp: 'swiftpay',
      paymentOrderId: 'po-view-orphan',
      pspReference: 'S0rphan',
      amountMinor: 10_000n,
      detectedAt: '2026-11-19T14:00:00.000Z',
    };
    const events = [
      ...[...inDay, ...outOfDay].map((data) => succeeded(data)),
      declinedInDay,
      failed({ psp: 'swiftpay', paymentOrderId: orphan.paymentOrderId, at: '2026-11-19T13:00:00.000Z' }),
      orphanDetected(orphan),
      orphanRefunded({ ...orphan, refundReference: 'SR1', refundedAt: '2026-11-20T01:00:00.000Z' }),
    ];
    await view.publish(TOPICS.paymentOrder, events);
    await view.processedByInbox(events);

    const byPspReference = await collect(reader.keelOrdersOfDay('swiftpay', DAY, ZONE, 'pspReference'));
    const references = byPspReference.map((order) => order.pspReference ?? '');
    expect(references).toEqual(['S-b', 'S0rphan', 'SB', 'S_c', 'Sa']);
    expect(references).toEqual([...references].sort());
    const byOrderId = await collect(reader.keelOrdersOfDay('swiftpay', DAY, ZONE, 'merchantReference'));
    const orderIds = byOrderId.map((order) => order.merchantReference);
    expect(orderIds).toEqual([
      'po-view-1',
      'po-view-B',
      'po-view-Z',
      'po-view-a',
      'po-view-orphan',
      'po-view_A',
    ]);
    expect(orderIds).toEqual([...orderIds].sort());

    expect(byOrderId.find((order) => order.merchantReference === 'po-view-B')).toEqual({
      merchantReference: 'po-view-B',
      pspReference: 'S-b',
      status: 'succeeded',
      amountMinor: 10_000n,
      currency: 'KRW',
      chargedOn: DAY,
      refundedMinor: 0n,
      // swiftpay's contract: 320 basis points.
      expectedFeeMinor: 320n,
    });
    expect(byOrderId.find((order) => order.merchantReference === 'po-view-Z')).toMatchObject({
      pspReference: undefined,
      status: 'declined',
      chargedOn: undefined,
    });
    expect(byOrderId.find((order) => order.merchantReference === 'po-view-orphan')).toMatchObject({
      pspReference: 'S0rphan',
      status: 'failed',
      chargedOn: undefined,
      refundedMinor: 10_000n,
    });
  });

  it('release their connection when the matcher stops early', async () => {
    const reader = view.service.app.get(KeelViewReader);
    for await (const order of reader.keelOrdersOfDay('swiftpay', DAY, ZONE, 'merchantReference')) {
      expect(order.merchantReference).toBe('po-view-1');
      break;
    }
    expect(
      await view.queryRows(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
      ),
    ).toEqual([{ n: 0 }]);
  });

  it('sum the ledger clearing movements of a PSP day in its zone, and wallets against seller payables', async () => {
    const reader = view.service.app.get(KeelViewReader);
    const usdOf = async () => {
      const { totals } = await reader.walletsAgainstLedger(10);
      const usd = totals.find((total) => total.currency === 'USD');
      return { wallet: usd?.walletMinor ?? 0n, ledger: usd?.ledgerMinor ?? 0n };
    };
    const before = await usdOf();
    // nova's day 2026-11-20 in Europe/Berlin (UTC+1) runs from 2026-11-19T23:00Z to 2026-11-20T23:00Z.
    const ledgerEvents = [
      chargeRecorded({ psp: 'nova', amountMinor: 10_000n, recordedAt: '2026-11-19T23:30:00.000Z' }),
      chargeRecorded({
        psp: 'nova',
        amountMinor: 2_500n,
        currency: 'EUR',
        recordedAt: '2026-11-20T12:00:00.000Z',
      }),
      orphanRefundRecorded({ psp: 'nova', amountMinor: 4_000n, recordedAt: '2026-11-20T22:59:59.999Z' }),
      chargeRecorded({ psp: 'nova', amountMinor: 99_000n, recordedAt: '2026-11-20T23:00:00.000Z' }),
      chargeRecorded({ psp: 'acme', amountMinor: 77_000n, recordedAt: '2026-11-20T12:00:00.000Z' }),
      chargeRecorded({
        psp: 'acme',
        amountMinor: 1_000n,
        currency: 'USD',
        recordedAt: '2026-11-20T12:00:00.000Z',
        merchantId: 'merchant-sum',
        sellerId: 's1',
      }),
    ];
    const walletEvents = [
      walletCredited({ merchantId: 'merchant-sum', sellerId: 's1', amountMinor: 1_234n, currency: 'USD' }),
      walletCredited({ merchantId: 'merchant-sum', sellerId: 's2', amountMinor: 66n, currency: 'USD' }),
    ];
    await view.publish(TOPICS.ledger, ledgerEvents);
    await view.publish(TOPICS.wallet, walletEvents);
    // Delivered again under new ids: a transaction's seller payable movement counts once.
    const again = [republished(ledgerEvents.at(-1) as EventEnvelope)];
    await view.publish(TOPICS.ledger, again);
    await view.processedByInbox([...ledgerEvents, ...walletEvents, ...again]);

    expect(await reader.pspClearingOfDay('nova', DAY, 'Europe/Berlin')).toEqual([
      { currency: 'EUR', amountMinor: 2_500n },
      { currency: 'KRW', amountMinor: 6_000n },
    ]);
    // The ledger owes merchant-sum's s1 990 USD (1,000 less its fee); the wallets credited 1,300.
    const after = await usdOf();
    expect({ wallet: after.wallet - before.wallet, ledger: after.ledger - before.ledger }).toEqual({
      wallet: 1_300n,
      ledger: 990n,
    });
    const { differing } = await reader.walletsAgainstLedger(10);
    expect(differing.filter((seller) => seller.merchantId === 'merchant-sum')).toEqual([
      expect.objectContaining({ sellerId: 's1', currency: 'USD', walletMinor: 1_234n, ledgerMinor: 990n }),
      expect.objectContaining({ sellerId: 's2', currency: 'USD', walletMinor: 66n, ledgerMinor: 0n }),
    ]);
  });
});
