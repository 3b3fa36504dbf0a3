import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { defineEventType } from '../event-type-definition';
import {
  IsCode,
  IsIdentifier,
  IsTimestamp,
  NestedPayload,
  NestedPayloadArray,
  TEXT_LENGTH_MAX,
} from '../payload-decorators.util';
import { TOPICS } from '../topics';
import { PositiveMoneyPayload } from './money.payload';

export const LEDGER_EVENT_TYPES = {
  transactionRecorded: 'keel.ledger.transaction_recorded.v1',
} as const;

/** A double-entry transaction needs two postings; the upper bound keeps one event small. */
export const POSTINGS_PER_TRANSACTION_MIN = 2;
export const POSTINGS_PER_TRANSACTION_MAX = 50;

export const POSTING_DIRECTIONS = ['debit', 'credit'] as const;
export type PostingDirection = (typeof POSTING_DIRECTIONS)[number];

export class LedgerPostingPayload {
  @IsIdentifier()
  accountId!: string;

  @IsIn(POSTING_DIRECTIONS)
  direction!: PostingDirection;

  @NestedPayload(() => PositiveMoneyPayload)
  amount!: PositiveMoneyPayload;
}

/** The ledger committed a transaction; its debits equal its credits per currency. */
export class LedgerTransactionRecordedPayload {
  @IsIdentifier()
  transactionId!: string;

  /** The payment order the movement belongs to; for a PSP fee adjustment, reconciliation's discrepancy id. */
  @IsIdentifier()
  paymentOrderId!: string;

  /** The payment; for a PSP fee adjustment, which belongs to none, the discrepancy id as well. */
  @IsIdentifier()
  paymentId!: string;

  /** What the money movement was, e.g. 'payment_order_charge', 'orphan_charge_refund' or 'psp_fee_adjustment'. */
  @IsCode()
  kind!: string;

  @NestedPayloadArray(() => LedgerPostingPayload, {
    minItems: POSTINGS_PER_TRANSACTION_MIN,
    maxItems: POSTINGS_PER_TRANSACTION_MAX,
  })
  postings!: LedgerPostingPayload[];

  @IsTimestamp()
  recordedAt!: string;

  /** Why the entry was made, when its kind needs one said (a PSP fee adjustment's reason). */
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LENGTH_MAX)
  reason?: string;
}

export const LEDGER_EVENT_DEFINITIONS = [
  defineEventType({
    type: LEDGER_EVENT_TYPES.transactionRecorded,
    topic: TOPICS.ledger,
    payload: LedgerTransactionRecordedPayload,
    subject: 'paymentOrderId',
    visibility: 'internal',
    description: 'The ledger recorded a balanced transaction for a payment order.',
  }),
];
