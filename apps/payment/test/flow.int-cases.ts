// The pay-in flow: intake, the risk check, and the saga with the executor, wallet and ledger played
// by producing their events. Run by src/payment.int-spec.ts, on its one running service.
import { randomUUID } from 'node:crypto';
import { PAYMENT_EVENT_TYPES, PAYMENT_ORDER_EVENT_TYPES } from '@keel/contracts';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, type PaymentView } from './payment-fixtures';
import { PaymentHarness, VELOCITY_MAX } from './payment-harness';
import { ledgerRecorded, orderDeclined, orderSucceeded, walletCredited } from './peer-events';

export function flowCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  describe('accepting a payment', () => {
    it('answers 202 with Location and the payment, and publishes requested + one execution request per order', async () => {
      const merchantId = newMerchant();
      const body = paymentBody();
      const response = await harness.post(merchantId, body);
      expect(response.status).toBe(202);
      const payment = response.json as unknown as PaymentView;
      expect(response.headers.get('location')).toBe(`/v1/payments/${payment.id}`);
      expect(response.headers.get('idempotent-replayed')).toBeNull();
      expect(payment.id).toMatch(/^pay_[a-z2-7]{26}$/);
      expect(payment).toMatchObject({
        checkoutId: body['checkoutId'],
        status: 'processing',
        amount: { amountMinor: '15000', currency: 'KRW' },
        failure: null,
      });
      expect(payment.orders.map((order) => [order.sellerId, order.amount.amountMinor, order.status])).toEqual(
        [
          ['seller-1', '10000', 'executing'],
          ['seller-2', '5000', 'executing'],
        ],
      );
      expect(payment.orders.every((order) => /^po_[a-z2-7]{26}$/.test(order.id))).toBe(true);

      await waitFor(() => harness.publishedTypes(payment.id).length === 3, { description: 'three events' });
      const events = harness.published(payment.id);
      expect(events.map((event) => event.type).sort()).toEqual([
        PAYMENT_EVENT_TYPES.requested,
        PAYMENT_ORDER_EVENT_TYPES.executionRequested,
        PAYMENT_ORDER_EVENT_TYPES.executionRequested,
      ]);
      const requested = events.find((event) => event.type === PAYMENT_EVENT_TYPES.requested);
      expect(requested?.key).toBe(payment.id);
      expect(requested?.data).toMatchObject({ merchantId, merchantReference: body['checkoutId'] });
      const execution = events.find(
        (event) =>
          event.type === PAYMENT_ORDER_EVENT_TYPES.executionRequested && event.key === payment.orders[0]?.id,
      );
      expect(execution?.data).toEqual({
        paymentOrderId: payment.orders[0]?.id,
        paymentId: payment.id,
        merchantId,
        sellerId: 'seller-1',
        amount: { amountMinor: '10000', currency: 'KRW' },
        paymentMethod: { type: 'card', provider: 'shinhan' },
        instrumentToken: 'tok_visa_1',
        // PAYMENT_FEE_BPS's default for cards, 2.5 %: the fee is decided here, once, per order.
        platformFee: { amountMinor: '250', currency: 'KRW' },
        requestedAt: expect.any(String),
      });
      const second = events.find((event) => event.key === payment.orders[1]?.id);
      expect(second?.data).toMatchObject({ platformFee: { amountMinor: '125', currency: 'KRW' } });
    });

    it('sends the easy-pay provider and token, and no token for a bank transfer', async () => {
      const easyPay = await harness.accepted(
        newMerchant(),
        paymentBody({ paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: 'tok_kakao' } }),
      );
      const bank = await harness.accepted(
        newMerchant(),
        paymentBody({ paymentMethod: { type: 'bank_transfer', bank: 'kb', token: 'tok_bank' } }),
      );
      const easyPayRequest = await harness.untilPublished(
        easyPay.id,
        PAYMENT_ORDER_EVENT_TYPES.executionRequested,
      );
      expect(easyPayRequest).toMatchObject({
        paymentMethod: { type: 'easy_pay', provider: 'kakaopay' },
        instrumentToken: 'tok_kakao',
      });
      const bankRequest = await harness.untilPublished(bank.id, PAYMENT_ORDER_EVENT_TYPES.executionRequested);
      expect(bankRequest['paymentMethod']).toEqual({ type: 'bank_transfer', provider: 'kb' });
      expect(bankRequest['instrumentToken']).toBe('tok_bank');
    });
  });

  describe('the saga', () => {
    it('completes once every order succeeded and is confirmed by wallet and ledger, in any arrival order', async () => {
      const merchantId = newMerchant();
      const payment = await harness.accepted(merchantId);
      const [first, second] = payment.orders;
      if (first === undefined || second === undefined) throw new Error('two orders expected');
      // The second order's confirmations arrive before the executor's success is seen.
      await walletCredited(harness, payment, second);
      await ledgerRecorded(harness, payment, second);
      await orderSucceeded(harness, payment, first, merchantId);
      await walletCredited(harness, payment, first);
      // Another kind of ledger transaction for the order is no confirmation of its charge.
      await ledgerRecorded(harness, payment, first, 'orphan_refund');
      const chargeTransactionId = await ledgerRecorded(harness, payment, first);
      await waitFor(
        async () => {
          const rows = (await harness.dataSource.query(
            `SELECT id, status, wallet_credited_at IS NOT NULL AS credited, ledger_transaction_id
               FROM payment_orders WHERE payment_id = $1 ORDER BY position`,
            [payment.id],
          )) as { status: string; credited: boolean; ledger_transaction_id: string | null }[];
          return (
            rows.every((row) => row.credited && row.ledger_transaction_id !== null) &&
            rows[0]?.status === 'succeeded' &&
            rows
          );
        },
        { description: 'every confirmation recorded' },
      ).then((rows) => {
        expect(rows.map((row) => row.status)).toEqual(['succeeded', 'executing']);
        expect(rows[0]?.ledger_transaction_id).toBe(chargeTransactionId);
      });
      expect((await harness.paymentOf(merchantId, payment.id)).status).toBe('processing');
      await orderSucceeded(harness, payment, second, merchantId);

      const completed = await harness.untilStatus(merchantId, payment.id, 'completed');
      expect(completed.orders.map((order) => [order.status, order.pspId])).toEqual([
        ['succeeded', 'psp-a'],
        ['succeeded', 'psp-a'],
      ]);
      expect(
        completed.history?.map((change) => [
          change.paymentOrderId === null ? 'payment' : 'order',
          change.status,
        ]),
      ).toEqual([
        ['payment', 'processing'],
        ['order', 'created'],
        ['order', 'created'],
        ['order', 'executing'],
        ['order', 'executing'],
        ['order', 'succeeded'],
        ['order', 'succeeded'],
        ['payment', 'completed'],
      ]);
      const event = await harness.untilPublished(payment.id, PAYMENT_EVENT_TYPES.completed);
      expect(event['paymentOrders']).toEqual([
        expect.objectContaining({
          paymentOrderId: first.id,
          pspId: 'psp-a',
          pspReference: `ref-${first.id}`,
        }),
        expect.objectContaining({
          paymentOrderId: second.id,
          pspId: 'psp-a',
          pspReference: `ref-${second.id}`,
        }),
      ]);
    });

    it('ends partially_failed when one order is declined and the other succeeded and is confirmed', async () => {
      const merchantId = newMerchant();
      const payment = await harness.accepted(merchantId);
      const [first, second] = payment.orders;
      if (first === undefined || second === undefined) throw new Error('two orders expected');
      await orderDeclined(harness, payment, second);
      await orderSucceeded(harness, payment, first, merchantId);
      await walletCredited(harness, payment, first);
      await ledgerRecorded(harness, payment, first);
      const finished = await harness.untilStatus(merchantId, payment.id, 'partially_failed');
      expect(finished.orders[1]?.failure).toEqual({
        code: 'insufficient_funds',
        message: 'Insufficient funds.',
      });
      const event = await harness.untilPublished(payment.id, PAYMENT_EVENT_TYPES.partiallyFailed);
      expect(event).toMatchObject({
        succeededOrders: [expect.objectContaining({ paymentOrderId: first.id })],
        failedOrders: [
          expect.objectContaining({
            paymentOrderId: second.id,
            failure: { code: 'insufficient_funds', message: 'Insufficient funds.' },
          }),
        ],
      });
    });

    it('fails when every order is declined', async () => {
      const merchantId = newMerchant();
      const payment = await harness.accepted(merchantId);
      for (const order of payment.orders) await orderDeclined(harness, payment, order);
      const failed = await harness.untilStatus(merchantId, payment.id, 'failed');
      expect(failed.failure?.code).toBe('declined');
      const event = await harness.untilPublished(payment.id, PAYMENT_EVENT_TYPES.failed);
      expect(event['failure']).toEqual({ code: 'declined', message: 'Every payment order was declined.' });
    });

    it('dead-letters an event for a payment it does not know', async () => {
      const ghost = { id: 'pay_ghost', orders: [] } as unknown as PaymentView;
      const order = { id: 'po_ghost', sellerId: 'seller-1', amount: { amountMinor: '1', currency: 'KRW' } };
      await orderSucceeded(harness, ghost, order as PaymentView['orders'][number], 'merchant-ghost');
      await waitFor(
        () =>
          harness.readers.paymentOrderDlq.records.some(
            (record) => record.key?.toString('utf8') === 'po_ghost',
          ),
        { description: 'the dead letter' },
      );
    });
  });

  describe('the saga, again', () => {
    it('records nothing for a success it already knows, even under a new event id', async () => {
      const merchantId = newMerchant();
      const payment = await harness.accepted(merchantId);
      const [first] = payment.orders;
      if (first === undefined) throw new Error('an order expected');
      await orderSucceeded(harness, payment, first, merchantId);
      await waitFor(
        async () => (await harness.paymentOf(merchantId, payment.id)).orders[0]?.status === 'succeeded',
      );
      const [before] = (await harness.dataSource.query(
        'SELECT count(*)::int AS n FROM payment_events WHERE payment_id = $1',
        [payment.id],
      )) as { n: number }[];
      await orderSucceeded(harness, payment, first, merchantId);
      await orderDeclined(harness, payment, first);
      // The contradicting decline is dead-lettered; the repeated success before it changed nothing.
      await waitFor(() =>
        harness.readers.paymentOrderDlq.records.some((record) => record.key?.toString('utf8') === first.id),
      );
      const [after] = (await harness.dataSource.query(
        'SELECT count(*)::int AS n FROM payment_events WHERE payment_id = $1',
        [payment.id],
      )) as { n: number }[];
      expect(after?.n).toBe(before?.n);
    });
  });

  describe('the risk check', () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        'an amount above the KRW limit',
        { orders: [{ sellerId: 'seller-1', amount: 5_000_001 }] },
        'amount_limit_exceeded',
      ],
      ['a blocked buyer', { buyer: { id: 'buyer-blocked' } }, 'blocked_buyer'],
      [
        'a blocked card token',
        { paymentMethod: { type: 'card', token: 'tok_stolen', issuer: 'shinhan' } },
        'blocked_instrument',
      ],
      [
        'a blocked country',
        { buyer: { id: `buyer-${randomUUID().slice(0, 8)}`, country: 'kp' } },
        'blocked_country',
      ],
    ])(
      'stores %s as a failed payment with the reason and requests no execution',
      async (_name, overrides, reason) => {
        const merchantId = newMerchant();
        const response = await harness.post(merchantId, paymentBody(overrides));
        expect(response.status).toBe(202);
        const payment = response.json as unknown as PaymentView;
        expect(payment.status).toBe('failed');
        expect(payment.failure?.code).toBe(reason);
        expect(
          payment.orders.every(
            (order) => order.status === 'failed' && order.failure?.code === 'risk_rejected',
          ),
        ).toBe(true);
        const event = await harness.untilPublished(payment.id, PAYMENT_EVENT_TYPES.failed);
        expect(event['failure']).toEqual(expect.objectContaining({ code: reason }));
        expect(harness.publishedTypes(payment.id)).toEqual([PAYMENT_EVENT_TYPES.failed]);
      },
    );

    it(`rejects a buyer's payment beyond ${VELOCITY_MAX} within the window`, async () => {
      const merchantId = newMerchant();
      const buyer = { id: `buyer-${randomUUID().slice(0, 8)}` };
      for (let index = 0; index < VELOCITY_MAX; index += 1) {
        expect((await harness.accepted(merchantId, paymentBody({ buyer }))).status).toBe('processing');
      }
      const rejected = await harness.accepted(merchantId, paymentBody({ buyer }));
      expect(rejected.status).toBe('failed');
      expect(rejected.failure?.code).toBe('velocity_exceeded');
      const otherMerchant = await harness.accepted(newMerchant(), paymentBody({ buyer }));
      expect(otherMerchant.status).toBe('processing');
    });
  });
}
