import { EVENT_TYPES, KeelEventType, PayloadOf } from '../event-types';

const won = (amountMinor: string) => ({ amountMinor, currency: 'KRW' });
const card = { type: 'card' as const, provider: 'shinhan' };
const charged = {
  paymentOrderId: 'po_1',
  sellerId: 'seller_1',
  amount: won('15000'),
  pspId: 'toss',
  pspReference: 'tgen_20250101_0001',
};
const failedOrder = {
  paymentOrderId: 'po_2',
  sellerId: 'seller_2',
  amount: won('5000'),
  failure: { code: 'declined', message: 'Insufficient funds' },
};

/** seller_1's order of pay_1, as each event about it names it. */
const firstOrder = {
  paymentOrderId: 'po_1',
  paymentId: 'pay_1',
  merchantId: 'merchant_1',
  sellerId: 'seller_1',
  amount: won('15000'),
  paymentMethod: card,
};
const succeededOrder = {
  ...firstOrder,
  pspId: 'toss',
  pspReference: 'tgen_20250101_0001',
  succeededAt: '2025-01-01T09:00:01.500Z',
};
const orphanCharge = {
  paymentOrderId: 'po_2',
  paymentId: 'pay_1',
  pspId: 'acme',
  pspReference: 'ch_orphan_1',
  amount: won('5000'),
  detectedAt: '2025-01-01T09:20:00.000Z',
};

/** A valid payload of every Keel event type; the type forces one sample per registered type. */
export const SAMPLE_PAYLOADS: { [T in KeelEventType]: PayloadOf<T> } = {
  [EVENT_TYPES.paymentRequested]: {
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    merchantReference: 'order-2025-0001',
    amount: won('20000'),
    paymentMethod: card,
    paymentOrders: [
      { paymentOrderId: 'po_1', sellerId: 'seller_1', amount: won('15000') },
      { paymentOrderId: 'po_2', sellerId: 'seller_2', amount: won('5000') },
    ],
    requestedAt: '2025-01-01T09:00:00.000Z',
  },
  [EVENT_TYPES.paymentCompleted]: {
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    amount: won('15000'),
    paymentOrders: [charged],
    completedAt: '2025-01-01T09:00:02.000Z',
  },
  [EVENT_TYPES.paymentFailed]: {
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    amount: won('5000'),
    failure: { code: 'declined', message: 'All payment orders were declined' },
    paymentOrders: [failedOrder],
    failedAt: '2025-01-01T09:00:02.000Z',
  },
  [EVENT_TYPES.paymentPartiallyFailed]: {
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    amount: won('20000'),
    succeededOrders: [charged],
    failedOrders: [failedOrder],
    finishedAt: '2025-01-01T09:00:03+09:00',
  },
  [EVENT_TYPES.paymentOrderExecutionRequested]: {
    ...firstOrder,
    platformFee: won('375'),
    requestedAt: '2025-01-01T09:00:00.000Z',
  },
  [EVENT_TYPES.paymentOrderSucceeded]: succeededOrder,
  [EVENT_TYPES.paymentOrderSucceededV2]: { ...succeededOrder, platformFee: won('375') },
  [EVENT_TYPES.paymentOrderDeclined]: {
    paymentOrderId: 'po_2',
    paymentId: 'pay_1',
    sellerId: 'seller_2',
    amount: won('5000'),
    paymentMethod: { type: 'easy_pay', provider: 'kakaopay' },
    pspId: 'kakaopay',
    decline: { code: 'insufficient_funds', message: 'Insufficient funds' },
    declinedAt: '2025-01-01T09:00:01.000Z',
  },
  [EVENT_TYPES.paymentOrderFailed]: {
    paymentOrderId: 'po_2',
    paymentId: 'pay_1',
    sellerId: 'seller_2',
    amount: won('5000'),
    paymentMethod: { type: 'bank_transfer' },
    failure: { code: 'psp_unavailable', message: 'Every breaker for bank_transfer is open' },
    failedAt: '2025-01-01T09:00:01.000Z',
  },
  [EVENT_TYPES.walletCredited]: {
    merchantId: 'merchant_1',
    sellerId: 'seller_1',
    paymentOrderId: 'po_1',
    paymentId: 'pay_1',
    amount: won('15000'),
    balance: won('115000'),
    creditedAt: '2025-01-01T09:00:03.000Z',
  },
  [EVENT_TYPES.ledgerTransactionRecorded]: {
    transactionId: 'ltx_1',
    paymentOrderId: 'po_1',
    paymentId: 'pay_1',
    kind: 'payment_charge',
    postings: [
      { accountId: 'psp:toss:clearing', direction: 'debit', amount: won('15000') },
      { accountId: 'seller:seller_1:payable', direction: 'credit', amount: won('15000') },
    ],
    recordedAt: '2025-01-01T09:00:03.000Z',
  },
  [EVENT_TYPES.pspBreakerStateChanged]: {
    pspId: 'toss',
    paymentMethodType: 'card',
    previousState: 'closed',
    state: 'open',
    changedAt: '2025-01-01T09:10:00.000Z',
  },
  [EVENT_TYPES.pspAttemptRecorded]: {
    orderId: 'po_1',
    pspId: 'toss',
    methodType: 'card',
    provider: 'shinhan',
    outcome: 'declined',
    errorCode: 'do_not_honor',
    errorMessage: 'Issuer unavailable',
    latencyMs: 182,
    retry: true,
    failover: true,
    attemptedAt: '2025-01-01T09:09:58.120Z',
  },
  [EVENT_TYPES.methodAvailabilityChanged]: {
    paymentMethodType: 'card',
    available: false,
    retryAfterSeconds: 30,
    changedAt: '2025-01-01T09:10:00.000Z',
  },
  [EVENT_TYPES.orphanChargeDetected]: orphanCharge,
  [EVENT_TYPES.orphanChargeRefunded]: {
    ...orphanCharge,
    refundReference: 're_orphan_1',
    refundedAt: '2025-01-01T09:20:01.000Z',
  },
  [EVENT_TYPES.paymentOrderOutcomeOverdue]: {
    paymentOrderId: 'po_3',
    paymentId: 'pay_1',
    pspId: 'acme',
    unknownSince: '2025-01-01T09:00:00.000Z',
    inquiries: 7,
    reportedAt: '2025-01-01T09:10:00.000Z',
  },
  [EVENT_TYPES.reconciliationRunCompleted]: {
    runId: '0b6f7a52-3c1e-4f7a-9d2e-5a1b2c3d4e5f',
    pspId: 'acme',
    settlementDate: '2025-01-01',
    fileId: '6d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    counts: {
      matched: 98,
      missing_in_keel: 1,
      missing_at_psp: 0,
      amount_mismatch: 1,
      status_mismatch: 0,
      fee_mismatch: 0,
      duplicate: 0,
      timing: 2,
    },
    discrepancyCount: 2,
    openedCount: 2,
    resolvedCount: 0,
    moneyAtRisk: [won('15005')],
    completedAt: '2025-01-02T02:30:04.000Z',
  },
  [EVENT_TYPES.reconciliationDiscrepancyOpened]: {
    discrepancyId: '2f4e6a8c-1b3d-4f5a-8b7c-9d0e1f2a3b4c',
    runId: '0b6f7a52-3c1e-4f7a-9d2e-5a1b2c3d4e5f',
    pspId: 'acme',
    settlementDate: '2025-01-01',
    class: 'missing_in_keel',
    merchantReference: 'po_3',
    pspReference: 'ch_3',
    moneyAtRisk: won('15000'),
    openedAt: '2025-01-02T02:30:04.000Z',
  },
  [EVENT_TYPES.reconciliationDiscrepancyResolved]: {
    discrepancyId: '2f4e6a8c-1b3d-4f5a-8b7c-9d0e1f2a3b4c',
    pspId: 'acme',
    settlementDate: '2025-01-01',
    class: 'missing_in_keel',
    resolvedBy: 'reconciliation',
    note: "refunded on 2025-01-02, as Keel and the PSP's file both show",
    resolvedAt: '2025-01-03T02:30:04.000Z',
  },
  [EVENT_TYPES.reconciliationOrphanRefundRequested]: {
    discrepancyId: '2f4e6a8c-1b3d-4f5a-8b7c-9d0e1f2a3b4c',
    runId: '0b6f7a52-3c1e-4f7a-9d2e-5a1b2c3d4e5f',
    pspId: 'acme',
    settlementDate: '2025-01-01',
    paymentOrderId: 'po_3',
    pspReference: 'ch_3',
    amount: won('15000'),
    requestedAt: '2025-01-02T02:30:04.000Z',
  },
  [EVENT_TYPES.reconciliationFeeAdjustmentRequested]: {
    discrepancyId: '7a9c1e3b-5d7f-4a1b-9c3d-5e7f9a1b3c5d',
    runId: '0b6f7a52-3c1e-4f7a-9d2e-5a1b2c3d4e5f',
    pspId: 'acme',
    settlementDate: '2025-01-01',
    merchantReference: 'po_4',
    difference: { amountMinor: '7', currency: 'KRW' },
    reason:
      'the PSP kept 257 KRW in fees; the contract allows 250 KRW (run 0b6f7a52-3c1e-4f7a-9d2e-5a1b2c3d4e5f)',
    requestedAt: '2025-01-02T02:30:04.000Z',
  },
  [EVENT_TYPES.opsMethodStatusChanged]: {
    methodType: 'card',
    provider: 'shinhan',
    enabled: false,
    notice: 'Shinhan cards cannot be used right now; please choose another card or method.',
    changedBy: 'ops:auto',
    changedAt: '2025-01-01T09:00:30.000Z',
  },
};

export function sampleOf<T extends KeelEventType>(type: T): PayloadOf<T> {
  // A deep copy, so a test may change its sample freely.
  return structuredClone(SAMPLE_PAYLOADS[type]);
}
