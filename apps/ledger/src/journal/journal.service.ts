import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  LEDGER_EVENT_TYPES,
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  RECONCILIATION_EVENT_TYPES,
  type EventEnvelope,
  type LedgerTransactionRecordedPayload,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
  type PaymentOrderSucceededV2Payload,
  type ReconciliationFeeAdjustmentRequestedPayload,
} from '@keel/contracts';
import {
  buildChargeEntry,
  buildOrphanChargeEntry,
  buildOrphanRefundEntry,
  buildPspFeeAdjustmentEntry,
  entryDebitsSignatureOf,
  firstOfEachMovement,
  LedgerError,
  movementKeyOf,
  type JournalEntry,
  type OrphanCharge,
} from '@keel/ledger-domain';
import { OutboxPublisher, PermanentEventError } from '@keel/messaging';
import { isCurrencyCode, Money, MoneyError } from '@keel/money';
import {
  continueTraceparent,
  getOrCreateCounter,
  OBSERVABILITY_LOGGER,
  Registry,
  type Logger,
} from '@keel/observability';
import { JournalRepository, type MovementOutcome, type RecordedTransaction } from './journal.repository';

export const LEDGER_EVENT_SOURCE = '/keel/ledger';

/**
 * The event types that move money in the journal, journaled together when a chunk mixes them. A
 * charge is journaled from `succeeded.v2`, which carries the platform fee the payment service
 * decided; `succeeded.v1`, published beside it for the payment saga, is not the ledger's.
 * Reconciliation's fee adjustments come on their own topic, so in chunks of their own.
 */
export const JOURNALED_EVENT_TYPES = [
  PAYMENT_ORDER_EVENT_TYPES.succeededV2,
  ORPHAN_CHARGE_EVENT_TYPES.detected,
  ORPHAN_CHARGE_EVENT_TYPES.refunded,
  RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested,
] as const;

/** One event's journal entry, with what its announcement needs from the event. */
interface EventMovement {
  readonly event: EventEnvelope;
  readonly entry: JournalEntry;
  readonly occurredAt: string;
}

/**
 * Records the money movements of a run of events in the journal, set-based, and announces each
 * transaction it wrote. A run is a whole chunk, whatever its mix of types, so its accounts are
 * locked once, in id order. Each movement (kind and payment order) is recorded once, whichever
 * event and chunk bring it; a repeat that disagrees with what was recorded is dead-lettered.
 */
@Injectable()
export class JournalService {
  private readonly recordedTotal: Counter<'kind'>;
  private readonly duplicatesTotal: Counter<'kind'>;

  constructor(
    private readonly journal: JournalRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.recordedTotal = getOrCreateCounter(metrics, {
      name: 'keel_ledger_transactions_recorded_total',
      help: 'Ledger transactions written, by kind; counted before commit, so a chunk retried after a failed commit counts again.',
      labelNames: ['kind'],
    });
    this.duplicatesTotal = getOrCreateCounter(metrics, {
      name: 'keel_ledger_duplicate_movements_total',
      help: 'Movements already recorded under the same kind and reference, so ignored.',
      labelNames: ['kind'],
    });
  }

  /**
   * Journals a run of events of the journaled types, mixed, in offset order: a succeeded charge
   * debits PSP clearing and credits the seller and fee revenue by the fee the event carries; an
   * orphan charge debits PSP
   * clearing and credits orphan refund payable; its refund mirrors it. Each once per order. A PSP
   * fee adjustment moves the difference between PSP fee expense and clearing, once per discrepancy.
   */
  recordMovements(manager: EntityManager, events: readonly EventEnvelope[]): Promise<void> {
    return this.recordRun(
      manager,
      events.map((event) => this.movementOfEvent(event)),
    );
  }

  private movementOfEvent(event: EventEnvelope): EventMovement {
    switch (event.type) {
      case PAYMENT_ORDER_EVENT_TYPES.succeededV2: {
        const charge = event as EventEnvelope<PaymentOrderSucceededV2Payload>;
        return movementOf(charge, charge.data.succeededAt, () => chargeEntryOf(charge.data));
      }
      case ORPHAN_CHARGE_EVENT_TYPES.detected: {
        const orphan = event as EventEnvelope<OrphanChargeDetectedPayload>;
        return movementOf(orphan, orphan.data.detectedAt, () =>
          buildOrphanChargeEntry(orphanChargeOf(orphan)),
        );
      }
      case ORPHAN_CHARGE_EVENT_TYPES.refunded: {
        const refund = event as EventEnvelope<OrphanChargeRefundedPayload>;
        return movementOf(refund, refund.data.refundedAt, () =>
          buildOrphanRefundEntry(orphanChargeOf(refund)),
        );
      }
      case RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested: {
        const adjustment = event as EventEnvelope<ReconciliationFeeAdjustmentRequestedPayload>;
        return movementOf(adjustment, adjustment.data.requestedAt, () =>
          buildPspFeeAdjustmentEntry({
            adjustmentId: adjustment.data.discrepancyId,
            pspId: adjustment.data.pspId,
            difference: moneyOf(adjustment.data.difference),
            reason: adjustment.data.reason,
          }),
        );
      }
      default:
        throw new PermanentEventError(`The ledger journals no ${event.type}`, { eventId: event.id });
    }
  }

  /**
   * Writes the first event of each movement not recorded before, then checks every other event
   * against what its movement was recorded with, and publishes one announcement per transaction
   * written, in one outbox insert.
   */
  private async recordRun(manager: EntityManager, movements: readonly EventMovement[]): Promise<void> {
    if (movements.length === 0) return;
    const firsts = firstOfEachMovement(movements, (movement) => movement.entry);
    const firstByKey = new Map(firsts.map((movement) => [movementKeyOf(movement.entry), movement]));
    const outcomes = await this.journal.record(manager, firsts);
    const announcements: EventEnvelope[] = [];
    for (const movement of movements) {
      const key = movementKeyOf(movement.entry);
      const outcome = outcomes.get(key);
      const first = firstByKey.get(key);
      if (outcome === undefined || first === undefined) throw new Error(`No outcome for ${key}`);
      if (outcome.written && first === movement) {
        announcements.push(announcementOf(movement, outcome.transaction));
        this.recordedTotal.inc({ kind: movement.entry.kind });
        continue;
      }
      assertSameMovement(movement, recordedOf(outcome, first));
      this.duplicatesTotal.inc({ kind: movement.entry.kind });
      this.logger.debug(
        { kind: movement.entry.kind, paymentOrderId: movement.entry.reference, eventId: movement.event.id },
        'movement already recorded; nothing written',
      );
    }
    await this.outbox.publish(manager, announcements);
  }
}

interface RecordedMovement {
  readonly transactionId: string;
  readonly debitsSignature: string;
}

/** What a movement was recorded with: by an earlier event of this run, or before it. */
function recordedOf(outcome: MovementOutcome, first: EventMovement): RecordedMovement {
  return outcome.written
    ? { transactionId: outcome.transaction.id, debitsSignature: entryDebitsSignatureOf(first.entry) }
    : { transactionId: outcome.transactionId, debitsSignature: outcome.debitsSignature };
}

/**
 * A repeat is the same movement when its debits (what the PSP owes) match what was recorded;
 * anything else means two different charges share a payment order id, which a person must see.
 */
function assertSameMovement(movement: EventMovement, recorded: RecordedMovement): void {
  const incoming = entryDebitsSignatureOf(movement.entry);
  if (recorded.debitsSignature === incoming) return;
  throw new PermanentEventError(
    `${movement.entry.kind} ${movement.entry.reference} was recorded as transaction ${recorded.transactionId} ` +
      `with debits ${recorded.debitsSignature}, but this event debits ${incoming}`,
    { eventId: movement.event.id },
  );
}

/** The entry of one event; an event the domain refuses can never be posted, so it is named. */
function movementOf(event: EventEnvelope, occurredAt: string, build: () => JournalEntry): EventMovement {
  try {
    return { event, entry: build(), occurredAt };
  } catch (error) {
    if (error instanceof LedgerError || error instanceof MoneyError) {
      throw new PermanentEventError(`${error.name} ${error.code}: ${error.message}`, {
        cause: error,
        eventId: event.id,
      });
    }
    if (error instanceof UnknownCurrencyError) {
      throw new PermanentEventError(error.message, { cause: error, eventId: event.id });
    }
    throw error;
  }
}

class UnknownCurrencyError extends Error {
  override readonly name = 'UnknownCurrencyError';
}

function moneyOf(amount: { amountMinor: string; currency: string }): Money {
  if (!isCurrencyCode(amount.currency)) throw new UnknownCurrencyError(`Unknown currency ${amount.currency}`);
  return Money.of(BigInt(amount.amountMinor), amount.currency);
}

function chargeEntryOf(event: PaymentOrderSucceededV2Payload): JournalEntry {
  return buildChargeEntry({
    paymentOrderId: event.paymentOrderId,
    paymentId: event.paymentId,
    merchantId: event.merchantId,
    sellerId: event.sellerId,
    pspId: event.pspId,
    amount: moneyOf(event.amount),
    fee: moneyOf(event.platformFee),
  });
}

function orphanChargeOf(
  event: EventEnvelope<OrphanChargeDetectedPayload | OrphanChargeRefundedPayload>,
): OrphanCharge {
  return {
    paymentOrderId: event.data.paymentOrderId,
    paymentId: event.data.paymentId,
    pspId: event.data.pspId,
    amount: moneyOf(event.data.amount),
  };
}

/** `transaction_recorded`, continuing the trace of the event that caused it. */
function announcementOf(movement: EventMovement, transaction: RecordedTransaction): EventEnvelope {
  const { entry } = movement;
  const data: LedgerTransactionRecordedPayload = {
    transactionId: transaction.id,
    paymentOrderId: entry.reference,
    paymentId: entry.paymentId,
    kind: entry.kind,
    postings: entry.postings.map((item) => ({
      accountId: item.account.id,
      direction: item.direction,
      amount: { amountMinor: item.amount.amountMinor.toString(), currency: item.amount.currency },
    })),
    recordedAt: transaction.recordedAt.toISOString(),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
  };
  return buildEnvelope({
    type: LEDGER_EVENT_TYPES.transactionRecorded,
    source: LEDGER_EVENT_SOURCE,
    data,
    traceparent: continueTraceparent(movement.event.traceparent),
  });
}
