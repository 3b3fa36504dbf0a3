import { EventTypeDefinition } from './event-type-definition';
import { EventTypeRegistry } from './event-type-registry';
import {
  LEDGER_EVENT_DEFINITIONS,
  LEDGER_EVENT_TYPES,
  LedgerTransactionRecordedPayload,
} from './events/ledger.event';
import {
  PAYMENT_ORDER_EVENT_DEFINITIONS,
  PAYMENT_ORDER_EVENT_TYPES,
  PaymentOrderDeclinedPayload,
  PaymentOrderExecutionRequestedPayload,
  PaymentOrderFailedPayload,
  PaymentOrderSucceededPayload,
  PaymentOrderSucceededV2Payload,
} from './events/payment-order.event';
import {
  PAYMENT_EVENT_DEFINITIONS,
  PAYMENT_EVENT_TYPES,
  PaymentCompletedPayload,
  PaymentFailedPayload,
  PaymentPartiallyFailedPayload,
  PaymentRequestedPayload,
} from './events/payment.event';
import {
  ORPHAN_CHARGE_EVENT_DEFINITIONS,
  ORPHAN_CHARGE_EVENT_TYPES,
  OrphanChargeDetectedPayload,
  OrphanChargeRefundedPayload,
} from './events/orphan-charge.event';
import {
  OUTCOME_OVERDUE_EVENT_DEFINITIONS,
  OUTCOME_OVERDUE_EVENT_TYPES,
  PaymentOrderOutcomeOverduePayload,
} from './events/outcome-overdue.event';
import {
  METHOD_AVAILABILITY_EVENT_DEFINITIONS,
  METHOD_AVAILABILITY_EVENT_TYPES,
  MethodAvailabilityChangedPayload,
} from './events/method-availability.event';
import { OPS_EVENT_DEFINITIONS, OPS_EVENT_TYPES, OpsMethodStatusChangedPayload } from './events/ops.event';
import {
  PSP_EVENT_DEFINITIONS,
  PSP_EVENT_TYPES,
  PspAttemptRecordedPayload,
  PspBreakerStateChangedPayload,
} from './events/psp.event';
import {
  RECONCILIATION_EVENT_DEFINITIONS,
  RECONCILIATION_EVENT_TYPES,
  ReconciliationDiscrepancyOpenedPayload,
  ReconciliationDiscrepancyResolvedPayload,
  ReconciliationFeeAdjustmentRequestedPayload,
  ReconciliationOrphanRefundRequestedPayload,
  ReconciliationRunCompletedPayload,
} from './events/reconciliation.event';
import { WALLET_EVENT_DEFINITIONS, WALLET_EVENT_TYPES, WalletCreditedPayload } from './events/wallet.event';

export const EVENT_TYPES = {
  paymentRequested: PAYMENT_EVENT_TYPES.requested,
  paymentCompleted: PAYMENT_EVENT_TYPES.completed,
  paymentFailed: PAYMENT_EVENT_TYPES.failed,
  paymentPartiallyFailed: PAYMENT_EVENT_TYPES.partiallyFailed,
  paymentOrderExecutionRequested: PAYMENT_ORDER_EVENT_TYPES.executionRequested,
  paymentOrderSucceeded: PAYMENT_ORDER_EVENT_TYPES.succeeded,
  paymentOrderSucceededV2: PAYMENT_ORDER_EVENT_TYPES.succeededV2,
  paymentOrderDeclined: PAYMENT_ORDER_EVENT_TYPES.declined,
  paymentOrderFailed: PAYMENT_ORDER_EVENT_TYPES.failed,
  walletCredited: WALLET_EVENT_TYPES.credited,
  ledgerTransactionRecorded: LEDGER_EVENT_TYPES.transactionRecorded,
  pspBreakerStateChanged: PSP_EVENT_TYPES.breakerStateChanged,
  pspAttemptRecorded: PSP_EVENT_TYPES.attemptRecorded,
  methodAvailabilityChanged: METHOD_AVAILABILITY_EVENT_TYPES.changed,
  orphanChargeDetected: ORPHAN_CHARGE_EVENT_TYPES.detected,
  orphanChargeRefunded: ORPHAN_CHARGE_EVENT_TYPES.refunded,
  paymentOrderOutcomeOverdue: OUTCOME_OVERDUE_EVENT_TYPES.overdue,
  reconciliationRunCompleted: RECONCILIATION_EVENT_TYPES.runCompleted,
  reconciliationDiscrepancyOpened: RECONCILIATION_EVENT_TYPES.discrepancyOpened,
  reconciliationDiscrepancyResolved: RECONCILIATION_EVENT_TYPES.discrepancyResolved,
  reconciliationOrphanRefundRequested: RECONCILIATION_EVENT_TYPES.orphanRefundRequested,
  reconciliationFeeAdjustmentRequested: RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested,
  opsMethodStatusChanged: OPS_EVENT_TYPES.methodStatusChanged,
} as const;

/** Payload type of each of Keel's event types, for typing handlers by type name. */
export interface KeelEventPayloads {
  [PAYMENT_EVENT_TYPES.requested]: PaymentRequestedPayload;
  [PAYMENT_EVENT_TYPES.completed]: PaymentCompletedPayload;
  [PAYMENT_EVENT_TYPES.failed]: PaymentFailedPayload;
  [PAYMENT_EVENT_TYPES.partiallyFailed]: PaymentPartiallyFailedPayload;
  [PAYMENT_ORDER_EVENT_TYPES.executionRequested]: PaymentOrderExecutionRequestedPayload;
  [PAYMENT_ORDER_EVENT_TYPES.succeeded]: PaymentOrderSucceededPayload;
  [PAYMENT_ORDER_EVENT_TYPES.succeededV2]: PaymentOrderSucceededV2Payload;
  [PAYMENT_ORDER_EVENT_TYPES.declined]: PaymentOrderDeclinedPayload;
  [PAYMENT_ORDER_EVENT_TYPES.failed]: PaymentOrderFailedPayload;
  [WALLET_EVENT_TYPES.credited]: WalletCreditedPayload;
  [LEDGER_EVENT_TYPES.transactionRecorded]: LedgerTransactionRecordedPayload;
  [PSP_EVENT_TYPES.breakerStateChanged]: PspBreakerStateChangedPayload;
  [PSP_EVENT_TYPES.attemptRecorded]: PspAttemptRecordedPayload;
  [METHOD_AVAILABILITY_EVENT_TYPES.changed]: MethodAvailabilityChangedPayload;
  [ORPHAN_CHARGE_EVENT_TYPES.detected]: OrphanChargeDetectedPayload;
  [ORPHAN_CHARGE_EVENT_TYPES.refunded]: OrphanChargeRefundedPayload;
  [OUTCOME_OVERDUE_EVENT_TYPES.overdue]: PaymentOrderOutcomeOverduePayload;
  [RECONCILIATION_EVENT_TYPES.runCompleted]: ReconciliationRunCompletedPayload;
  [RECONCILIATION_EVENT_TYPES.discrepancyOpened]: ReconciliationDiscrepancyOpenedPayload;
  [RECONCILIATION_EVENT_TYPES.discrepancyResolved]: ReconciliationDiscrepancyResolvedPayload;
  [RECONCILIATION_EVENT_TYPES.orphanRefundRequested]: ReconciliationOrphanRefundRequestedPayload;
  [RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested]: ReconciliationFeeAdjustmentRequestedPayload;
  [OPS_EVENT_TYPES.methodStatusChanged]: OpsMethodStatusChangedPayload;
}

export type KeelEventType = keyof KeelEventPayloads;
export type PayloadOf<T extends KeelEventType> = KeelEventPayloads[T];

/**
 * Published types that were deliberately withdrawn after their consumers moved to a newer version.
 * Only these may disappear from the AsyncAPI document without failing the compatibility check.
 */
export const RETIRED_EVENT_TYPES: readonly string[] = [];

export function keelEventTypeDefinitions(): EventTypeDefinition[] {
  return [
    ...PAYMENT_EVENT_DEFINITIONS,
    ...PAYMENT_ORDER_EVENT_DEFINITIONS,
    ...WALLET_EVENT_DEFINITIONS,
    ...LEDGER_EVENT_DEFINITIONS,
    ...PSP_EVENT_DEFINITIONS,
    ...METHOD_AVAILABILITY_EVENT_DEFINITIONS,
    ...ORPHAN_CHARGE_EVENT_DEFINITIONS,
    ...OUTCOME_OVERDUE_EVENT_DEFINITIONS,
    ...RECONCILIATION_EVENT_DEFINITIONS,
    ...OPS_EVENT_DEFINITIONS,
  ];
}

/** Keel's own event types; the default registry of buildEnvelope and parseKafkaRecord. */
export const eventTypes = new EventTypeRegistry(keelEventTypeDefinitions());
