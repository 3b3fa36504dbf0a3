import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  LEDGER_EVENT_TYPES,
  type LedgerTransactionRecordedPayload,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
  type PaymentOrderSucceededPayload,
} from '@keel/contracts';
import { FeePolicyError, type FeePolicy } from '@keel/fees';
import {
  buildChargeEntry,
  buildOrphanChargeEntry,
  buildOrphanRefundEntry,
  LedgerError,
  type JournalEntry,
  type OrphanCharge,
} from '@keel/ledger-domain';
import { OutboxPublisher, PermanentEventError } from '@keel/messaging';
import { isCurrencyCode, Money, MoneyError } from '@keel/money';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { JournalRepository, type RecordedTransaction } from './journal.repository';
import { TransactionRepository } from './transaction.repository';

export const FEE_POLICY = Symbol('keel.ledger.fee-policy');
export const LEDGER_EVENT_SOURCE = '/keel/ledger';

/** Records money movements in the journal and announces each recorded transaction. */
@Injectable()
export class JournalService {
  private readonly recordedTotal: Counter<'kind'>;
  private readonly duplicatesTotal: Counter<'kind'>;

  constructor(
    private readonly journal: JournalRepository,
    private readonly transactions: TransactionRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(FEE_POLICY) private readonly feePolicy: FeePolicy,
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
   * Posts a succeeded charge once, in the inbox transaction `manager`, and publishes
   * `transaction_recorded` in the same transaction. A second event for the same payment order
   * writes and publishes nothing; one that disagrees with what was recorded is dead-lettered.
   */
  recordCharge(manager: EntityManager, event: PaymentOrderSucceededPayload): Promise<void> {
    const entry = domainEntry(() => chargeEntryOf(event, this.feePolicy));
    return this.recordOnce(manager, entry, new Date(event.succeededAt));
  }

  /** An orphan charge: debit PSP clearing, credit orphan refund payable; once per payment order. */
  recordOrphanCharge(manager: EntityManager, event: OrphanChargeDetectedPayload): Promise<void> {
    const entry = domainEntry(() => buildOrphanChargeEntry(orphanChargeOf(event)));
    return this.recordOnce(manager, entry, new Date(event.detectedAt));
  }

  /** The refund of an orphan charge: the mirrored movement; once per payment order. */
  recordOrphanRefund(manager: EntityManager, event: OrphanChargeRefundedPayload): Promise<void> {
    const entry = domainEntry(() => buildOrphanRefundEntry(orphanChargeOf(event)));
    return this.recordOnce(manager, entry, new Date(event.refundedAt));
  }

  private async recordOnce(manager: EntityManager, entry: JournalEntry, occurredAt: Date): Promise<void> {
    const outcome = await this.journal.record(manager, entry, occurredAt);
    if (!outcome.recorded) {
      await this.assertSameMovement(manager, entry, outcome.existingTransactionId);
      this.duplicatesTotal.inc({ kind: entry.kind });
      this.logger.info(
        { kind: entry.kind, paymentOrderId: entry.reference, transactionId: outcome.existingTransactionId },
        'movement already recorded; nothing written',
      );
      return;
    }
    await this.outbox.publish(manager, [
      buildEnvelope({
        type: LEDGER_EVENT_TYPES.transactionRecorded,
        source: LEDGER_EVENT_SOURCE,
        data: recordedPayloadOf(entry, outcome.transaction),
      }),
    ]);
    this.recordedTotal.inc({ kind: entry.kind });
  }

  /**
   * The fee table may change between two deliveries, so a duplicate is the same movement when
   * its debits (what the PSP owes) match; anything else means two different charges share a
   * payment order id, which a person must look at.
   */
  private async assertSameMovement(
    manager: EntityManager,
    entry: JournalEntry,
    transactionId: string,
  ): Promise<void> {
    const recorded = await this.transactions.postingsOf(manager, [transactionId]);
    const recordedDebits = recorded
      .filter((row) => BigInt(row.amount_minor) > 0n)
      .map((row) => `${row.account_id}=${row.amount_minor}`);
    const incomingDebits = entry.postings
      .filter((item) => item.direction === 'debit')
      .map((item) => `${item.account.id}=${item.amount.amountMinor}`);
    if (recordedDebits.sort().join(',') !== incomingDebits.sort().join(',')) {
      throw new PermanentEventError(
        `${entry.kind} ${entry.reference} was recorded as transaction ${transactionId} with debits ` +
          `${recordedDebits.join(', ')}, but this event debits ${incomingDebits.join(', ')}`,
      );
    }
  }
}

function moneyOf(amount: { amountMinor: string; currency: string }): Money {
  if (!isCurrencyCode(amount.currency)) {
    throw new PermanentEventError(`Unknown currency ${amount.currency}`);
  }
  return Money.of(BigInt(amount.amountMinor), amount.currency);
}

function chargeEntryOf(event: PaymentOrderSucceededPayload, policy: FeePolicy): JournalEntry {
  return buildChargeEntry(
    {
      paymentOrderId: event.paymentOrderId,
      paymentId: event.paymentId,
      sellerId: event.sellerId,
      pspId: event.pspId,
      amount: moneyOf(event.amount),
      paymentMethodType: event.paymentMethod.type,
    },
    policy,
  ).entry;
}

function orphanChargeOf(event: OrphanChargeDetectedPayload | OrphanChargeRefundedPayload): OrphanCharge {
  return {
    paymentOrderId: event.paymentOrderId,
    paymentId: event.paymentId,
    pspId: event.pspId,
    amount: moneyOf(event.amount),
  };
}

/** A journal entry from an event; an event the domain refuses can never be posted. */
function domainEntry(build: () => JournalEntry): JournalEntry {
  try {
    return build();
  } catch (error) {
    if (error instanceof LedgerError || error instanceof MoneyError) {
      throw new PermanentEventError(`${error.name} ${error.code}: ${error.message}`, { cause: error });
    }
    if (error instanceof FeePolicyError) throw new PermanentEventError(error.message, { cause: error });
    throw error;
  }
}

function recordedPayloadOf(
  entry: JournalEntry,
  transaction: RecordedTransaction,
): LedgerTransactionRecordedPayload {
  return {
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
  };
}
