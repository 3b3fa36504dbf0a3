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
import { NonNegativeMoneyPayload } from './money.payload';

export const RECONCILIATION_EVENT_TYPES = {
  runCompleted: 'keel.reconciliation.run_completed.v1',
  discrepancyOpened: 'keel.reconciliation.discrepancy_opened.v1',
  discrepancyResolved: 'keel.reconciliation.discrepancy_resolved.v1',
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
];
