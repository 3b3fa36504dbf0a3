import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  ORPHAN_CHARGE_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  type EventEnvelope,
  type LedgerTransactionRecordedPayload,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
  type PaymentOrderDeclinedPayload,
  type PaymentOrderFailedPayload,
  type PaymentOrderSucceededPayload,
  type WalletCreditedPayload,
} from '@keel/contracts';
import { PermanentEventError } from '@keel/messaging';
import { isCurrencyCode, type CurrencyCode } from '@keel/money';
import {
  foldPaymentOrderFacts,
  PaymentOrderFactConflict,
  pspClearingMovementsOf,
  PspClearingAccountError,
  SellerPayableAccountError,
  sellerPayableMovementsOf,
  type LedgerPosting,
  type PaymentOrderFact,
} from '@keel/reconciliation-domain';
import {
  KeelViewRepository,
  type KeelClearingMovement,
  type KeelRefund,
  type KeelSellerPayableMovement,
  type KeelWalletCredit,
} from './keel-view.repository';

/**
 * The executor's events Keel's view is built from. A success is read from `succeeded.v1`, and
 * `succeeded.v2`, published beside it for the same charge, is not subscribed to (the inbox skips it
 * by its type header, unparsed): v1 announces every success, v2 only those of orders requested with
 * a platform fee, and a success missing from the view would be called `missing_in_keel` and
 * refunded automatically. The view needs nothing v2 adds. When v1 is retired (every order carries a
 * fee by then) this moves to v2.
 */
export const PAYMENT_ORDER_VIEW_EVENT_TYPES = [
  PAYMENT_ORDER_EVENT_TYPES.succeeded,
  PAYMENT_ORDER_EVENT_TYPES.declined,
  PAYMENT_ORDER_EVENT_TYPES.failed,
  ORPHAN_CHARGE_EVENT_TYPES.detected,
  ORPHAN_CHARGE_EVENT_TYPES.refunded,
] as const;

/** The wallet credited when no merchant is named: a wallet opened before wallets were scoped to merchants. */
export const UNKNOWN_MERCHANT_ID = 'unknown';

/**
 * Applies the events reconciliation builds Keel's view from, a run at a time in the inbox
 * transaction of its chunk, with a fixed number of statements whatever the run's length. An event
 * that can never be applied (a currency Keel does not know, a fact that contradicts the view)
 * throws PermanentEventError naming it: it is dead-lettered and the rest applied.
 */
@Injectable()
export class KeelViewService {
  constructor(private readonly repository: KeelViewRepository) {}

  /** Outcomes and orphan charges folded per order and PSP over the locked rows; refunds recorded once. */
  async applyPaymentOrderEvents(manager: EntityManager, events: readonly EventEnvelope[]): Promise<void> {
    const facts: PaymentOrderFact[] = [];
    const refunds = new Map<string, KeelRefund>();
    for (const event of events) {
      const fact = factOf(event);
      if (fact !== undefined) facts.push(fact);
      if (event.type === ORPHAN_CHARGE_EVENT_TYPES.refunded) {
        const refund = refundOf(event as EventEnvelope<OrphanChargeRefundedPayload>);
        refunds.set(`${refund.psp}\u0000${refund.refundReference}`, refund);
      }
    }
    const stored = await this.repository.lockPaymentOrders(manager, facts);
    let records;
    try {
      records = foldPaymentOrderFacts(stored, facts);
    } catch (error) {
      if (!(error instanceof PaymentOrderFactConflict)) throw error;
      throw new PermanentEventError(error.message, { cause: error, eventId: error.eventId });
    }
    await this.repository.writePaymentOrders(manager, records);
    await this.repository.insertRefunds(manager, [...refunds.values()]);
  }

  /**
   * Each transaction's PSP clearing postings, one movement per PSP and currency, and its seller
   * payable postings, one movement per account (added to the account's balance once).
   */
  async applyLedgerTransactions(
    manager: EntityManager,
    events: readonly EventEnvelope<LedgerTransactionRecordedPayload>[],
  ): Promise<void> {
    const movements = new Map<string, KeelClearingMovement>();
    const payables = new Map<string, KeelSellerPayableMovement>();
    for (const event of events) {
      const { data } = event;
      for (const movement of sellerPayableMovementsOfEvent(event)) {
        payables.set(`${data.transactionId}\u0000${movement.accountId}`, {
          ...movement,
          transactionId: data.transactionId,
          paymentOrderId: data.paymentOrderId,
          recordedAt: new Date(data.recordedAt),
        });
      }
      for (const movement of clearingMovementsOf(event)) {
        movements.set(`${data.transactionId}\u0000${movement.psp}\u0000${movement.currency}`, {
          ...movement,
          transactionId: data.transactionId,
          kind: data.kind,
          paymentOrderId: data.paymentOrderId,
          recordedAt: new Date(data.recordedAt),
        });
      }
    }
    await this.repository.insertClearingMovements(manager, [...movements.values()]);
    await this.repository.addSellerPayableMovements(manager, [...payables.values()]);
  }

  /** One credit per payment order; one delivered again with other content is dead-lettered. */
  async applyWalletCredits(
    manager: EntityManager,
    events: readonly EventEnvelope<WalletCreditedPayload>[],
  ): Promise<void> {
    const credits = new Map<string, { credit: KeelWalletCredit; eventId: string }>();
    const repeats: { credit: KeelWalletCredit; eventId: string }[] = [];
    for (const event of events) {
      const credit = creditOf(event);
      if (credits.has(credit.paymentOrderId)) repeats.push({ credit, eventId: event.id });
      else credits.set(credit.paymentOrderId, { credit, eventId: event.id });
    }
    const earlier = await this.repository.addWalletCredits(
      manager,
      [...credits.values()].map((first) => first.credit),
    );
    for (const { credit, eventId } of [...credits.values(), ...repeats]) {
      const recorded = earlier.get(credit.paymentOrderId) ?? credits.get(credit.paymentOrderId)?.credit;
      if (recorded !== undefined && !sameCredit(recorded, credit)) {
        throw new PermanentEventError(
          `payment order ${credit.paymentOrderId} was credited ${recorded.amountMinor} ${recorded.currency} to ` +
            `${recorded.merchantId}/${recorded.sellerId}; this event credits ${credit.amountMinor} ${credit.currency} ` +
            `to ${credit.merchantId}/${credit.sellerId}`,
          { eventId },
        );
      }
    }
  }
}

function factOf(event: EventEnvelope): PaymentOrderFact | undefined {
  switch (event.type) {
    case PAYMENT_ORDER_EVENT_TYPES.succeeded: {
      const data = (event as EventEnvelope<PaymentOrderSucceededPayload>).data;
      return {
        kind: 'outcome',
        eventId: event.id,
        psp: data.pspId,
        paymentOrderId: data.paymentOrderId,
        status: 'succeeded',
        at: new Date(data.succeededAt),
        amountMinor: BigInt(data.amount.amountMinor),
        currency: currencyOfEvent(event, data.amount.currency),
        merchantId: data.merchantId,
        pspReference: data.pspReference,
      };
    }
    case PAYMENT_ORDER_EVENT_TYPES.declined: {
      const data = (event as EventEnvelope<PaymentOrderDeclinedPayload>).data;
      return unchargedOutcome(event, data, 'declined', data.pspId, data.declinedAt);
    }
    case PAYMENT_ORDER_EVENT_TYPES.failed: {
      const data = (event as EventEnvelope<PaymentOrderFailedPayload>).data;
      // Failed before any PSP was tried: no PSP's file can name it.
      if (data.pspId === undefined) return undefined;
      return unchargedOutcome(event, data, 'failed', data.pspId, data.failedAt);
    }
    case ORPHAN_CHARGE_EVENT_TYPES.detected:
    case ORPHAN_CHARGE_EVENT_TYPES.refunded: {
      // The refund repeats the orphan charge it refunds: the view holds the charge even if its
      // detection was dead-lettered.
      const data = (event as EventEnvelope<OrphanChargeDetectedPayload>).data;
      return {
        kind: 'orphan_charge',
        eventId: event.id,
        psp: data.pspId,
        paymentOrderId: data.paymentOrderId,
        pspReference: data.pspReference,
        amountMinor: BigInt(data.amount.amountMinor),
        currency: currencyOfEvent(event, data.amount.currency),
        detectedAt: new Date(data.detectedAt),
      };
    }
    default:
      throw new PermanentEventError(`Keel's view applies no ${event.type}`, { eventId: event.id });
  }
}

function unchargedOutcome(
  event: EventEnvelope,
  data: PaymentOrderDeclinedPayload | PaymentOrderFailedPayload,
  status: 'declined' | 'failed',
  psp: string,
  at: string,
): PaymentOrderFact {
  return {
    kind: 'outcome',
    eventId: event.id,
    psp,
    paymentOrderId: data.paymentOrderId,
    status,
    at: new Date(at),
    amountMinor: BigInt(data.amount.amountMinor),
    currency: currencyOfEvent(event, data.amount.currency),
    merchantId: undefined,
    pspReference: undefined,
  };
}

function refundOf(event: EventEnvelope<OrphanChargeRefundedPayload>): KeelRefund {
  const { data } = event;
  return {
    psp: data.pspId,
    refundReference: data.refundReference,
    paymentOrderId: data.paymentOrderId,
    pspReference: data.pspReference,
    amountMinor: BigInt(data.amount.amountMinor),
    currency: currencyOfEvent(event, data.amount.currency),
    refundedAt: new Date(data.refundedAt),
  };
}

function postingsOf(event: EventEnvelope<LedgerTransactionRecordedPayload>): LedgerPosting[] {
  return event.data.postings.map((posting) => ({
    accountId: posting.accountId,
    direction: posting.direction,
    amountMinor: BigInt(posting.amount.amountMinor),
    currency: posting.amount.currency,
  }));
}

function clearingMovementsOf(event: EventEnvelope<LedgerTransactionRecordedPayload>) {
  try {
    return pspClearingMovementsOf(postingsOf(event));
  } catch (error) {
    if (!(error instanceof PspClearingAccountError)) throw error;
    throw new PermanentEventError(error.message, { cause: error, eventId: event.id });
  }
}

function sellerPayableMovementsOfEvent(event: EventEnvelope<LedgerTransactionRecordedPayload>) {
  try {
    return sellerPayableMovementsOf(postingsOf(event));
  } catch (error) {
    if (!(error instanceof SellerPayableAccountError)) throw error;
    throw new PermanentEventError(error.message, { cause: error, eventId: event.id });
  }
}

function creditOf(event: EventEnvelope<WalletCreditedPayload>): KeelWalletCredit {
  const { data } = event;
  return {
    paymentOrderId: data.paymentOrderId,
    merchantId: data.merchantId ?? UNKNOWN_MERCHANT_ID,
    sellerId: data.sellerId,
    amountMinor: BigInt(data.amount.amountMinor),
    currency: currencyOfEvent(event, data.amount.currency),
    creditedAt: new Date(data.creditedAt),
  };
}

function sameCredit(a: KeelWalletCredit, b: KeelWalletCredit): boolean {
  return (
    a.merchantId === b.merchantId &&
    a.sellerId === b.sellerId &&
    a.amountMinor === b.amountMinor &&
    a.currency === b.currency
  );
}

/** The contracts check a currency's shape; one Keel does not know could never be matched or summed. */
function currencyOfEvent(event: EventEnvelope, currency: string): CurrencyCode {
  if (!isCurrencyCode(currency)) {
    throw new PermanentEventError(`unknown currency ${currency}`, { eventId: event.id });
  }
  return currency;
}
