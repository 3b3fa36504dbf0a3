import type { CurrencyCode } from '@keel/money';
import type { KeelOrderStatus } from '../matching/keel-order-view';

/** The outcomes the executor announces for a payment order; each order gets one. */
export const KEEL_OUTCOME_STATUSES = ['succeeded', 'declined', 'failed'] as const;
export type KeelOutcomeStatus = (typeof KEEL_OUTCOME_STATUSES)[number];

/** The executor announced how the order ended at a PSP (`succeeded.v1`, `declined`, `failed`). */
export interface PaymentOrderOutcomeFact {
  readonly kind: 'outcome';
  readonly eventId: string;
  readonly psp: string;
  readonly paymentOrderId: string;
  readonly status: KeelOutcomeStatus;
  readonly at: Date;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  /** Only a success names the merchant and the PSP's reference of the charge. */
  readonly merchantId: string | undefined;
  readonly pspReference: string | undefined;
}

/** A PSP holds a charge for an order Keel did not charge there (`orphan_charge_detected`, or its refund). */
export interface OrphanChargeFact {
  readonly kind: 'orphan_charge';
  readonly eventId: string;
  readonly psp: string;
  readonly paymentOrderId: string;
  readonly pspReference: string;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  readonly detectedAt: Date;
}

export type PaymentOrderFact = PaymentOrderOutcomeFact | OrphanChargeFact;

/**
 * Keel's record of one payment order at one PSP, as reconciliation keeps it: what the PSP's file for
 * the order's day should show. An order has one record per PSP that holds (or held) a charge for it.
 */
export interface KeelPaymentOrderRecord {
  readonly psp: string;
  readonly paymentOrderId: string;
  readonly merchantId: string | undefined;
  /** The PSP's reference of the charge: from the success, or from the orphan charge. */
  readonly pspReference: string | undefined;
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
  /** Undefined while the only fact known at this PSP is an orphan charge. */
  readonly status: KeelOutcomeStatus | undefined;
  /** When the order reached its status here, or, with no status, when its orphan charge was detected. */
  readonly outcomeAt: Date;
  readonly orphanDetectedAt: Date | undefined;
}

/** An event that contradicts what Keel's view already holds: a person must look at it. */
export class PaymentOrderFactConflict extends Error {
  override readonly name = 'PaymentOrderFactConflict';

  constructor(
    message: string,
    readonly eventId: string,
  ) {
    super(message);
  }
}

/** The key records are stored, locked and written in: PSP, then order id, compared as `COLLATE "C"` does. */
export function compareRecordKeys(
  a: Pick<KeelPaymentOrderRecord, 'psp' | 'paymentOrderId'>,
  b: Pick<KeelPaymentOrderRecord, 'psp' | 'paymentOrderId'>,
): number {
  if (a.psp !== b.psp) return a.psp < b.psp ? -1 : 1;
  if (a.paymentOrderId === b.paymentOrderId) return 0;
  return a.paymentOrderId < b.paymentOrderId ? -1 : 1;
}

export function recordKeyOf(fact: Pick<KeelPaymentOrderRecord, 'psp' | 'paymentOrderId'>): string {
  return `${fact.psp}\u0000${fact.paymentOrderId}`;
}

/**
 * What a fact does to the record of its order at its PSP (undefined: none yet). Returns `record`
 * itself when the fact adds nothing (a redelivery under another event id). The rules:
 *
 * - An outcome is final: the executor announces one per order. It fills a record that has none
 *   (one that only knew an orphan charge takes the outcome's status, instant and amount); the same
 *   outcome again changes nothing; another outcome, or the same with another amount, contradicts.
 * - An orphan charge never changes the status: the order stays failed or declined (Keel did not
 *   charge it; the wallet never sees it) and the record gains the PSP's reference of the charge and
 *   when it was detected, so the PSP's charge and refund rows find the order. At a PSP where Keel
 *   recorded no outcome (the order failed at another PSP, or before any was tried) the record
 *   starts with no status, which `keelOrderStatusOf` reads as failed.
 * - An order has a success or an orphan charge at a PSP, never both: the executor calls a charge an
 *   orphan only when the order ended otherwise.
 * - A PSP reference is one per order and PSP (the order id is the PSP's idempotency key): two
 *   different ones contradict.
 */
export function applyPaymentOrderFact(
  record: KeelPaymentOrderRecord | undefined,
  fact: PaymentOrderFact,
): KeelPaymentOrderRecord {
  return fact.kind === 'outcome' ? applyOutcome(record, fact) : applyOrphanCharge(record, fact);
}

/** Where the record leaves the order for matching: no outcome at this PSP means Keel did not charge it. */
export function keelOrderStatusOf(status: KeelOutcomeStatus | undefined): KeelOrderStatus {
  return status ?? 'failed';
}

function applyOutcome(
  record: KeelPaymentOrderRecord | undefined,
  fact: PaymentOrderOutcomeFact,
): KeelPaymentOrderRecord {
  const pspReference = samePspReference(record, fact.pspReference, fact.eventId);
  if (record === undefined) {
    return {
      psp: fact.psp,
      paymentOrderId: fact.paymentOrderId,
      merchantId: fact.merchantId,
      pspReference,
      amountMinor: fact.amountMinor,
      currency: fact.currency,
      status: fact.status,
      outcomeAt: fact.at,
      orphanDetectedAt: undefined,
    };
  }
  if (fact.status === 'succeeded' && record.orphanDetectedAt !== undefined) {
    throw conflict(fact, `has an orphan charge at ${record.psp}; a success there contradicts it`);
  }
  if (record.status !== undefined) {
    if (record.status !== fact.status) {
      throw conflict(fact, `is ${record.status} at ${record.psp}; this event says ${fact.status}`);
    }
    if (record.amountMinor !== fact.amountMinor || record.currency !== fact.currency) {
      throw conflict(
        fact,
        `was ${record.status} for ${record.amountMinor} ${record.currency}; this event says ${fact.amountMinor} ${fact.currency}`,
      );
    }
    if (
      pspReference === record.pspReference &&
      (fact.merchantId ?? record.merchantId) === record.merchantId
    ) {
      return record;
    }
    return { ...record, pspReference, merchantId: record.merchantId ?? fact.merchantId };
  }
  return {
    ...record,
    merchantId: record.merchantId ?? fact.merchantId,
    pspReference,
    amountMinor: fact.amountMinor,
    currency: fact.currency,
    status: fact.status,
    outcomeAt: fact.at,
  };
}

function applyOrphanCharge(
  record: KeelPaymentOrderRecord | undefined,
  fact: OrphanChargeFact,
): KeelPaymentOrderRecord {
  const pspReference = samePspReference(record, fact.pspReference, fact.eventId);
  if (record === undefined) {
    return {
      psp: fact.psp,
      paymentOrderId: fact.paymentOrderId,
      merchantId: undefined,
      pspReference,
      amountMinor: fact.amountMinor,
      currency: fact.currency,
      status: undefined,
      outcomeAt: fact.detectedAt,
      orphanDetectedAt: fact.detectedAt,
    };
  }
  if (record.status === 'succeeded') {
    throw conflict(fact, `succeeded at ${record.psp}; an orphan charge there contradicts it`);
  }
  const orphanDetectedAt =
    record.orphanDetectedAt === undefined || fact.detectedAt < record.orphanDetectedAt
      ? fact.detectedAt
      : record.orphanDetectedAt;
  if (pspReference === record.pspReference && orphanDetectedAt === record.orphanDetectedAt) return record;
  return { ...record, pspReference, orphanDetectedAt };
}

function samePspReference(
  record: KeelPaymentOrderRecord | undefined,
  incoming: string | undefined,
  eventId: string,
): string | undefined {
  const known = record?.pspReference;
  if (known !== undefined && incoming !== undefined && known !== incoming) {
    throw new PaymentOrderFactConflict(
      `payment order ${record?.paymentOrderId} has PSP reference ${known} at ${record?.psp}; this event says ${incoming}`,
      eventId,
    );
  }
  return known ?? incoming;
}

function conflict(fact: PaymentOrderFact, what: string): PaymentOrderFactConflict {
  return new PaymentOrderFactConflict(`payment order ${fact.paymentOrderId} ${what}`, fact.eventId);
}

/**
 * A chunk's facts folded into the records they change: each order's facts in the chunk's order, over
 * its record as stored (`stored`, by `recordKeyOf`). Returns the changed records sorted by key, so
 * that they are written (and their rows locked) in one order by every chunk. A fact that
 * contradicts throws PaymentOrderFactConflict naming its event.
 */
export function foldPaymentOrderFacts(
  stored: ReadonlyMap<string, KeelPaymentOrderRecord>,
  facts: readonly PaymentOrderFact[],
): KeelPaymentOrderRecord[] {
  const folded = new Map<string, KeelPaymentOrderRecord>();
  for (const fact of facts) {
    const key = recordKeyOf(fact);
    const before = folded.get(key) ?? stored.get(key);
    const after = applyPaymentOrderFact(before, fact);
    if (after !== before) folded.set(key, after);
  }
  return [...folded.values()].sort(compareRecordKeys);
}
