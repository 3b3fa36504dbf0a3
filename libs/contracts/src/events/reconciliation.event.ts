import { IsIn, IsInt, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import {
  IsExternalReference,
  IsIdentifier,
  IsTimestamp,
  NestedPayload,
  NestedPayloadArray,
  TEXT_LENGTH_MAX,
} from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { MoneyPayload, NonNegativeMoneyPayload, PositiveMoneyPayload } from './money.payload';

export const RECONCILIATION_EVENT_TYPES = {
  runCompleted: 'keel.reconciliation.run_completed.v1',
  discrepancyOpened: 'keel.reconciliation.discrepancy_opened.v1',
  discrepancyResolved: 'keel.reconciliation.discrepancy_resolved.v1',
  orphanRefundRequested: 'keel.reconciliation.orphan_refund_requested.v1',
  feeAdjustmentRequested: 'keel.reconciliation.fee_adjustment_requested.v1',
} as const;

/** What reconciliation concludes about a key; every class but `matched` and `timing` is a discrepancy. */
export const DISCREPANCY_CLASS_NAMES = [
  'missing_in_keel',
  'missing_at_psp',
  'amount_mismatch',
  'status_mismatch',
  'fee_mismatch',
  'duplicate',
] as const;
export type DiscrepancyClassName = (typeof DISCREPANCY_CLASS_NAMES)[number];

/** A PSP's day, `YYYY-MM-DD` in the PSP's own zone. */
const SETTLEMENT_DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Currencies one run's money at risk spans; a file holds a handful. */
export const RUN_CURRENCIES_MAX = 200;
/** Who resolved: an operator's name, or `reconciliation`. */
const ACTOR_LENGTH_MAX = 128;

/** A run's verdicts per class: how many keys got each. */
export class ReconciliationClassCountsPayload {
  @IsInt()
  @Min(0)
  matched!: number;

  @IsInt()
  @Min(0)
  missing_in_keel!: number;

  @IsInt()
  @Min(0)
  missing_at_psp!: number;

  @IsInt()
  @Min(0)
  amount_mismatch!: number;

  @IsInt()
  @Min(0)
  status_mismatch!: number;

  @IsInt()
  @Min(0)
  fee_mismatch!: number;

  @IsInt()
  @Min(0)
  duplicate!: number;

  @IsInt()
  @Min(0)
  timing!: number;
}

/** A reconciliation run matched one PSP's settlement file of one day against Keel's records. */
export class ReconciliationRunCompletedPayload {
  @IsIdentifier()
  runId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsString()
  @Matches(SETTLEMENT_DATE_PATTERN)
  settlementDate!: string;

  @IsIdentifier()
  fileId!: string;

  @NestedPayload(() => ReconciliationClassCountsPayload)
  counts!: ReconciliationClassCountsPayload;

  /** Keys classified as discrepancies by this run (a file-fee difference counts as one). */
  @IsInt()
  @Min(0)
  discrepancyCount!: number;

  /** Discrepancies this run opened (new, or found again after reconciliation had resolved them). */
  @IsInt()
  @Min(0)
  openedCount!: number;

  /** Discrepancies this run resolved: no longer found, reported late, or refunded on both sides. */
  @IsInt()
  @Min(0)
  resolvedCount!: number;

  /** Per currency; none when nothing is at risk. */
  @NestedPayloadArray(() => NonNegativeMoneyPayload, { minItems: 0, maxItems: RUN_CURRENCIES_MAX })
  moneyAtRisk!: NonNegativeMoneyPayload[];

  @IsTimestamp()
  completedAt!: string;
}

/** A difference between a PSP's settlement file and Keel's records, open for a person. */
export class ReconciliationDiscrepancyOpenedPayload {
  @IsIdentifier()
  discrepancyId!: string;

  /** The run that found it. */
  @IsIdentifier()
  runId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsString()
  @Matches(SETTLEMENT_DATE_PATTERN)
  settlementDate!: string;

  @IsIn(DISCREPANCY_CLASS_NAMES)
  class!: DiscrepancyClassName;

  /** Keel's payment order id, as the PSP's rows carry it; absent for a per-file fee difference. */
  @IsOptional()
  @IsExternalReference()
  merchantReference?: string;

  @IsOptional()
  @IsExternalReference()
  pspReference?: string;

  @NestedPayload(() => NonNegativeMoneyPayload)
  moneyAtRisk!: NonNegativeMoneyPayload;

  @IsTimestamp()
  openedAt!: string;
}

/** A discrepancy was resolved: by an operator (with the reason), or by reconciliation itself. */
export class ReconciliationDiscrepancyResolvedPayload {
  @IsIdentifier()
  discrepancyId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsString()
  @Matches(SETTLEMENT_DATE_PATTERN)
  settlementDate!: string;

  @IsIn(DISCREPANCY_CLASS_NAMES)
  class!: DiscrepancyClassName;

  /** The operator's name, or `reconciliation` when a later run settled it. */
  @IsString()
  @MaxLength(ACTOR_LENGTH_MAX)
  resolvedBy!: string;

  /** Why, as the operator or the run wrote it (cut to the limit; the API holds it whole). */
  @IsString()
  @MaxLength(TEXT_LENGTH_MAX)
  note!: string;

  @IsTimestamp()
  resolvedAt!: string;
}

/**
 * Reconciliation's automatic fix of a `missing_in_keel`: the PSP's file shows a charge for an order
 * Keel failed or never held, so the executor refunds it as an orphan charge (unless it holds the
 * order as succeeded with that charge). Once per discrepancy; the executor refunds a charge once.
 */
export class ReconciliationOrphanRefundRequestedPayload {
  @IsIdentifier()
  discrepancyId!: string;

  /** The run that asked. */
  @IsIdentifier()
  runId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsString()
  @Matches(SETTLEMENT_DATE_PATTERN)
  settlementDate!: string;

  /** Keel's payment order id as the PSP's row carries it: the key the charge was made under. */
  @IsIdentifier()
  paymentOrderId!: string;

  /** The PSP's id of the charge to refund. */
  @IsExternalReference()
  pspReference!: string;

  /** What the PSP's file shows charged, and so what is refunded. */
  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;

  @IsTimestamp()
  requestedAt!: string;
}

/**
 * Reconciliation's automatic fix of a `fee_mismatch`: the PSP kept another fee than its contract's,
 * so the ledger records the difference (PSP fee expense against PSP clearing), once per discrepancy.
 */
export class ReconciliationFeeAdjustmentRequestedPayload {
  /** The discrepancy, and the adjustment's idempotency key in the ledger. */
  @IsIdentifier()
  discrepancyId!: string;

  @IsIdentifier()
  runId!: string;

  @IsIdentifier()
  pspId!: string;

  @IsString()
  @Matches(SETTLEMENT_DATE_PATTERN)
  settlementDate!: string;

  /** The order the fee was kept on; absent for a per-file fee (nova's). */
  @IsOptional()
  @IsExternalReference()
  merchantReference?: string;

  /** The fee the PSP kept less the contract's, signed: above zero, the PSP kept more. Never zero. */
  @NestedPayload(() => MoneyPayload)
  difference!: MoneyPayload;

  /** Why, as the ledger records it with the entry (with the run and the fees on both sides). */
  @IsString()
  @MaxLength(TEXT_LENGTH_MAX)
  reason!: string;

  @IsTimestamp()
  requestedAt!: string;
}

export const RECONCILIATION_EVENT_DEFINITIONS = [
  defineEventType({
    type: RECONCILIATION_EVENT_TYPES.runCompleted,
    topic: TOPICS.reconciliation,
    payload: ReconciliationRunCompletedPayload,
    subject: 'runId',
    visibility: 'internal',
    description:
      "A reconciliation run matched a PSP's settlement file of a day: counts per class, discrepancies, money at risk.",
  }),
  defineEventType({
    type: RECONCILIATION_EVENT_TYPES.discrepancyOpened,
    topic: TOPICS.reconciliation,
    payload: ReconciliationDiscrepancyOpenedPayload,
    subject: 'discrepancyId',
    visibility: 'internal',
    description: "Reconciliation found a difference between a PSP's settlement file and Keel's records.",
  }),
  defineEventType({
    type: RECONCILIATION_EVENT_TYPES.discrepancyResolved,
    topic: TOPICS.reconciliation,
    payload: ReconciliationDiscrepancyResolvedPayload,
    subject: 'discrepancyId',
    visibility: 'internal',
    description: 'A reconciliation discrepancy was resolved, by an operator or by a later run.',
  }),
  defineEventType({
    type: RECONCILIATION_EVENT_TYPES.orphanRefundRequested,
    topic: TOPICS.reconciliation,
    payload: ReconciliationOrphanRefundRequestedPayload,
    subject: 'discrepancyId',
    visibility: 'internal',
    description:
      "Reconciliation asks the executor to refund, as an orphan charge, a PSP's charge for an order Keel failed or never held.",
  }),
  defineEventType({
    type: RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested,
    topic: TOPICS.reconciliation,
    payload: ReconciliationFeeAdjustmentRequestedPayload,
    subject: 'discrepancyId',
    visibility: 'internal',
    description:
      'Reconciliation asks the ledger to record a PSP fee that differs from the contract, as an adjustment entry.',
  }),
];
