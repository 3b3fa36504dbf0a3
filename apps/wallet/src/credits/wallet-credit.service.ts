import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  toMoneyPayload,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
  type PaymentMethodType,
  type WalletCreditedPayload,
} from '@keel/contracts';
import { OutboxPublisher } from '@keel/messaging';
import { continueTraceparent, OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  assertBalanceAfter,
  assertSamePaymentOrder,
  PAYMENT_ORDER_CREDIT,
  paymentOrderCreditOf,
  planChunkCredits,
  walletKeyOf,
  walletsCreditedBy,
  WalletError,
  WalletErrorCode,
  type ChunkCredit,
  type ChunkCreditPlan,
  type PaymentOrderCredit,
  type PaymentOrderFacts,
  type WalletChunkTotal,
} from '@keel/wallet-domain';
import { unappliableAs } from './unappliable-event.util';
import {
  WalletEntryRepository,
  type NewWalletEntry,
  type WalletEntryRecord,
} from '../wallets/wallet-entry.repository';
import { WalletRepository, type WalletBalanceRecord } from '../wallets/wallet.repository';

export const WALLET_EVENT_SOURCE = '/keel/wallet';

/** A payment order the PSP charged, as the wallet needs it, with the event that announced it. */
export interface SucceededPaymentOrder extends PaymentOrderFacts {
  readonly methodType: PaymentMethodType;
  /** Named when the order can never be credited, so that only this event is dead-lettered. */
  readonly eventId: string;
  /** The announcing event's trace, continued by the wallet.credited event. */
  readonly traceparent: string | undefined;
}

/** One payment order's credit within a chunk: its net amount goes to the seller's wallet. */
interface OrderCredit extends ChunkCredit {
  readonly order: SucceededPaymentOrder;
  readonly split: PaymentOrderCredit;
}

type CreditPlan = ChunkCreditPlan<OrderCredit, WalletBalanceRecord>;

/** Credits sellers for succeeded payment orders: once per order, a chunk at a time, in the caller's transaction. */
@Injectable()
export class WalletCreditService {
  constructor(
    private readonly wallets: WalletRepository,
    private readonly entries: WalletEntryRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Credits each merchant's seller the orders' net amounts (gross − the platform fee each order's event
   * carries; the wallet computes no fee), records one entry per
   * order, and publishes `keel.wallet.credited.v1` for each, all in `manager`'s transaction and
   * with a fixed number of statements whatever the number of orders: open and lock the wallets
   * (in (merchant, seller, currency) order, so concurrent chunks never deadlock), find the orders credited before, insert
   * the new entries, update each wallet once, publish. An order credited before, or twice in
   * `orders`, is credited once; one that contradicts its credit is refused by its event id.
   */
  async creditPaymentOrders(manager: EntityManager, orders: readonly SucceededPaymentOrder[]): Promise<void> {
    const credits = this.creditsOf(orders);
    if (credits.length === 0) return;
    const locked = await this.wallets.openAndLock(manager, walletsCreditedBy(credits));
    const uncredited = await this.notCreditedBefore(manager, credits);
    if (uncredited.length === 0) return;
    const plan = planChunkCredits(uncredited, locked);
    const entries = await this.insertEntries(manager, plan);
    await this.writeBalances(manager, plan.wallets);
    const traceparents = new Map(
      uncredited.map((credit) => [credit.order.paymentOrderId, credit.order.traceparent]),
    );
    await this.outbox.publish(
      manager,
      entries.map((entry) => creditedEnvelope(entry, traceparents.get(entry.paymentOrderId))),
    );
    this.logger.debug({ entries: entries.length, wallets: plan.wallets.length }, 'wallets credited');
  }

  /** Each order's fee split, once per payment order, in the orders' order. */
  private creditsOf(orders: readonly SucceededPaymentOrder[]): OrderCredit[] {
    const byPaymentOrder = new Map<string, OrderCredit>();
    for (const order of orders) {
      const first = byPaymentOrder.get(order.paymentOrderId);
      if (first !== undefined) {
        // The same order under two event ids in one chunk: a duplicate only if it says the same.
        unappliableAs(order.eventId, () => assertSamePaymentOrder(first.order, order));
        continue;
      }
      const split = unappliableAs(order.eventId, () => paymentOrderCreditOf(order.gross, order.fee));
      byPaymentOrder.set(order.paymentOrderId, {
        merchantId: order.merchantId,
        sellerId: order.sellerId,
        amount: split.net,
        order,
        split,
      });
    }
    return [...byPaymentOrder.values()];
  }

  /**
   * The credits whose order has no entry yet. Read under the wallet locks, so an entry that a
   * concurrent chunk wrote to the same wallet has committed and is seen here.
   */
  private async notCreditedBefore(
    manager: EntityManager,
    credits: readonly OrderCredit[],
  ): Promise<OrderCredit[]> {
    const paymentOrderIds = credits.map((credit) => credit.order.paymentOrderId);
    const existing = await this.entries.ofPaymentOrders(manager, PAYMENT_ORDER_CREDIT, paymentOrderIds);
    if (existing.length === 0) return [...credits];
    const entryOf = new Map(existing.map((entry) => [entry.paymentOrderId, entry]));
    for (const credit of credits) {
      const entry = entryOf.get(credit.order.paymentOrderId);
      if (entry !== undefined)
        unappliableAs(credit.order.eventId, () => assertSamePaymentOrder(factsOf(entry), credit.order));
    }
    // Their wallet.credited events were published with the first credit; the payments have their confirmations.
    this.logger.warn(
      { paymentOrderIds: existing.map((entry) => entry.paymentOrderId) },
      'payment orders delivered again under other event ids; already credited',
    );
    return credits.filter((credit) => !entryOf.has(credit.order.paymentOrderId));
  }

  private async insertEntries(manager: EntityManager, plan: CreditPlan): Promise<WalletEntryRecord[]> {
    const entries = await this.entries.insertAll(
      manager,
      plan.entries.map(({ credit, balanceAfter }) => newEntryOf(credit, balanceAfter)),
    );
    if (entries.length !== plan.entries.length) {
      // Only an order credited meanwhile to another wallet (a contradiction) gets here; the inbox
      // retries, and the retry finds that entry and names the event that contradicts it.
      throw new Error(`${plan.entries.length - entries.length} payment orders were credited concurrently`);
    }
    const planned = new Map(plan.entries.map((entry) => [entry.credit.order.paymentOrderId, entry]));
    for (const entry of entries) {
      const balanceAfter = planned.get(entry.paymentOrderId)?.balanceAfter;
      if (balanceAfter === undefined || !entry.balanceAfter.equals(balanceAfter)) {
        throw new WalletError(
          WalletErrorCode.BALANCE_MISMATCH,
          `Entry of payment order ${entry.paymentOrderId} stored balance ${entry.balanceAfter.toString()}, not ${String(balanceAfter)}`,
        );
      }
    }
    return entries;
  }

  private async writeBalances(
    manager: EntityManager,
    totals: readonly WalletChunkTotal<WalletBalanceRecord>[],
  ): Promise<void> {
    const written = await this.wallets.addToBalances(manager, totals);
    const writtenOf = new Map(written.map((row) => [keyOf(row), row]));
    for (const total of totals) {
      const row = writtenOf.get(keyOf(total.locked));
      // The database did the addition too; it must agree with the entries before anything commits.
      if (row === undefined || row.version !== total.locked.version + BigInt(total.entryCount)) {
        throw new Error(`Wallet ${keyOf(total.locked)} was not written once by its chunk`);
      }
      assertBalanceAfter(total.locked.balance, total.credited, row.balance);
    }
  }
}

function newEntryOf(credit: OrderCredit, balanceAfter: NewWalletEntry['balanceAfter']): NewWalletEntry {
  const { order, split } = credit;
  return {
    merchantId: order.merchantId,
    sellerId: order.sellerId,
    kind: PAYMENT_ORDER_CREDIT,
    amount: split.net,
    grossAmount: split.gross,
    feeAmount: split.fee,
    paymentOrderId: order.paymentOrderId,
    paymentId: order.paymentId,
    paymentMethodType: order.methodType,
    balanceAfter,
  };
}

function factsOf(entry: WalletEntryRecord): PaymentOrderFacts {
  return {
    paymentOrderId: entry.paymentOrderId,
    paymentId: entry.paymentId,
    merchantId: entry.merchantId,
    sellerId: entry.sellerId,
    gross: entry.grossAmount,
    fee: entry.feeAmount,
  };
}

function keyOf(wallet: WalletBalanceRecord): string {
  return walletKeyOf({ ...wallet, currency: wallet.balance.currency });
}

function creditedEnvelope(
  entry: WalletEntryRecord,
  causeTraceparent: string | undefined,
): EventEnvelope<WalletCreditedPayload> {
  const data: WalletCreditedPayload = {
    merchantId: entry.merchantId,
    sellerId: entry.sellerId,
    paymentOrderId: entry.paymentOrderId,
    paymentId: entry.paymentId,
    amount: toMoneyPayload(entry.amount.amountMinor, entry.amount.currency),
    balance: toMoneyPayload(entry.balanceAfter.amountMinor, entry.balanceAfter.currency),
    creditedAt: entry.createdAt.toISOString(),
  };
  return buildEnvelope({
    type: WALLET_EVENT_TYPES.credited,
    source: WALLET_EVENT_SOURCE,
    data,
    traceparent: continueTraceparent(causeTraceparent),
  });
}
