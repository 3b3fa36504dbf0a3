import type { ChaosFacts, KeelPayment, LedgerTransaction, SimulatorCharge } from '../chaos-facts';

/** One psp-sim charge; approved, not refunded, 10,000 KRW at acme unless told otherwise. */
export function simulatorCharge(orderId: string, overrides: Partial<SimulatorCharge> = {}): SimulatorCharge {
  return {
    psp: 'acme',
    id: `ch_${orderId}_${overrides.psp ?? 'acme'}`,
    idempotencyKey: orderId,
    amountMinor: '10000',
    currency: 'KRW',
    status: 'approved',
    refundedAmountMinor: '0',
    ...overrides,
  };
}

/** A completed one-order payment whose order succeeded at `pspId`. */
export function completedPayment(paymentId: string, orderId: string, pspId = 'acme'): KeelPayment {
  return {
    id: paymentId,
    merchantId: 'merchant_a',
    checkoutId: `checkout_${paymentId}`,
    status: 'completed',
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:05.000Z',
    orders: [
      {
        id: orderId,
        sellerId: 'seller_1',
        amountMinor: '10000',
        currency: 'KRW',
        status: 'succeeded',
        pspId,
      },
    ],
  };
}

/** A failed one-order payment: Keel gave up on its order, so any charge it has is an orphan. */
export function failedPayment(paymentId: string, orderId: string): KeelPayment {
  const completed = completedPayment(paymentId, orderId);
  return {
    ...completed,
    status: 'failed',
    orders: completed.orders.map((order) => ({ ...order, status: 'failed', pspId: null })),
  };
}

/** The ledger's charge transaction: 10,000 KRW from acme, 9,700 to the seller, 300 fee. */
export function chargeTransaction(orderId: string, eventId = `evt_${orderId}`): LedgerTransaction {
  return {
    eventId,
    transactionId: `tx_${orderId}`,
    paymentOrderId: orderId,
    kind: 'payment_order_charge',
    postings: [
      { accountId: 'psp_clearing:acme:KRW', direction: 'debit', amountMinor: '10000', currency: 'KRW' },
      { accountId: 'seller_payable:seller_1:KRW', direction: 'credit', amountMinor: '9700', currency: 'KRW' },
      { accountId: 'fee_revenue:KRW', direction: 'credit', amountMinor: '300', currency: 'KRW' },
    ],
  };
}

export function orphanRefundTransaction(orderId: string): LedgerTransaction {
  return {
    eventId: `evt_refund_${orderId}`,
    transactionId: `tx_refund_${orderId}`,
    paymentOrderId: orderId,
    kind: 'orphan_charge_refund',
    postings: [
      {
        accountId: 'orphan_refund_payable:acme:KRW',
        direction: 'debit',
        amountMinor: '10000',
        currency: 'KRW',
      },
      { accountId: 'psp_clearing:acme:KRW', direction: 'credit', amountMinor: '10000', currency: 'KRW' },
    ],
  };
}

/**
 * A healthy run: payment pay_1 (order po_1) completed at acme, credited, posted, balances agreeing;
 * tests break one fact at a time.
 */
export function healthyFacts(overrides: Partial<ChaosFacts> = {}): ChaosFacts {
  return {
    simulatorCharges: [simulatorCharge('po_1')],
    checkouts: [
      {
        idempotencyKey: 'key_1',
        merchantId: 'merchant_a',
        answeredPaymentIds: ['pay_1', 'pay_1'],
        listedPaymentIds: ['pay_1'],
      },
    ],
    payments: [completedPayment('pay_1', 'po_1')],
    walletCredits: [
      { eventId: 'evt_credit_po_1', merchantId: 'merchant_a', sellerId: 'seller_1', paymentOrderId: 'po_1' },
    ],
    ledgerTransactions: [chargeTransaction('po_1')],
    orphanDetections: [],
    walletBalances: [{ merchantId: 'merchant_a', owner: 'seller_1', currency: 'KRW', balanceMinor: '9700' }],
    sellerPayables: [{ merchantId: 'merchant_a', owner: 'seller_1', currency: 'KRW', balanceMinor: '9700' }],
    pspClearings: [{ owner: 'acme', currency: 'KRW', balanceMinor: '10000' }],
    ledgerSelfCheck: {
      trialBalanced: true,
      unbalancedCurrencies: [],
      balancesConsistent: true,
      mismatchedAccountIds: [],
    },
    reconciliation: {
      runs: [
        {
          psp: 'acme',
          date: '2026-11-23',
          status: 'completed',
          discrepanciesFound: 0,
          clearingUnexplained: [],
          walletsLagging: false,
          walletsAgree: true,
        },
      ],
      openDiscrepancies: [],
    },
    faultsEndedAtMs: Date.parse('2026-11-23T10:00:00.000Z'),
    ...overrides,
  };
}
