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
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  assertBalanceAfter,
  assertSamePaymentOrder,
  creditedBalance,
  PAYMENT_ORDER_CREDIT,
  paymentOrderCreditOf,
  type PaymentOrderFacts,
} from '@keel/wallet-domain';
import { WalletEntryRepository, type WalletEntryRecord } from './wallet-entry.repository';
import { WalletRepository } from './wallet.repository';
import { WALLET_SETTINGS, type WalletSettings } from './wallet-settings';

export const WALLET_EVENT_SOURCE = '/keel/wallet';

/** A payment order the PSP charged, as the wallet needs it. */
export interface SucceededPaymentOrder extends PaymentOrderFacts {
  readonly methodType: PaymentMethodType;
}

export type CreditOutcome =
  | { readonly kind: 'credited'; readonly entry: WalletEntryRecord }
  /** The order was credited before, under another event id; nothing changed. */
  | { readonly kind: 'already_credited'; readonly entry: WalletEntryRecord };

/** Credits sellers for succeeded payment orders: once per order, in the caller's transaction. */
@Injectable()
export class WalletCreditService {
  constructor(
    @Inject(WALLET_SETTINGS) private readonly settings: WalletSettings,
    private readonly wallets: WalletRepository,
    private readonly entries: WalletEntryRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Credits the seller the order's net amount (gross − platform fee), records the entry, and
   * publishes `keel.wallet.credited.v1`, all in `manager`'s transaction. The wallet row is locked
   * first, so concurrent credits to one wallet apply one after another; the entry's unique
   * (kind, payment_order_id) makes a second delivery of the same order a no-op.
   */
  async creditPaymentOrder(manager: EntityManager, order: SucceededPaymentOrder): Promise<CreditOutcome> {
    const credit = paymentOrderCreditOf(order.gross, order.methodType, this.settings.feePolicy);
    const wallet = await this.wallets.openAndLock(manager, order.sellerId, credit.net.currency);
    const balanceAfter = creditedBalance(wallet.balance, credit.net);
    const entry = await this.entries.insert(manager, {
      sellerId: order.sellerId,
      kind: PAYMENT_ORDER_CREDIT,
      amount: credit.net,
      grossAmount: credit.gross,
      feeAmount: credit.fee,
      feeBasisPoints: credit.feeBasisPoints,
      feeRounding: this.settings.feePolicy.rounding,
      paymentOrderId: order.paymentOrderId,
      paymentId: order.paymentId,
      paymentMethodType: order.methodType,
      balanceAfter,
    });
    if (entry === undefined) return this.alreadyCredited(manager, order);
    const written = await this.wallets.addToBalance(manager, wallet, credit.net);
    // The database did the addition too; both must agree with the entry before anything commits.
    assertBalanceAfter(wallet.balance, credit.net, written.balance);
    assertBalanceAfter(wallet.balance, credit.net, entry.balanceAfter);
    await this.outbox.publish(manager, [creditedEnvelope(entry)]);
    this.logger.debug(
      { sellerId: order.sellerId, paymentOrderId: order.paymentOrderId, entryId: entry.id.toString() },
      'wallet credited',
    );
    return { kind: 'credited', entry };
  }

  private async alreadyCredited(
    manager: EntityManager,
    order: SucceededPaymentOrder,
  ): Promise<CreditOutcome> {
    const entry = await this.entries.ofPaymentOrder(manager, PAYMENT_ORDER_CREDIT, order.paymentOrderId);
    if (entry === undefined) {
      throw new Error(`Payment order ${order.paymentOrderId} conflicted on insert but has no entry`);
    }
    assertSamePaymentOrder(
      {
        paymentOrderId: entry.paymentOrderId,
        paymentId: entry.paymentId,
        sellerId: entry.sellerId,
        gross: entry.grossAmount,
      },
      order,
    );
    // Its wallet.credited event was published with the first credit; the payment has its confirmation.
    this.logger.warn(
      { sellerId: order.sellerId, paymentOrderId: order.paymentOrderId, entryId: entry.id.toString() },
      'payment order delivered again under another event id; already credited',
    );
    return { kind: 'already_credited', entry };
  }
}

function creditedEnvelope(entry: WalletEntryRecord): EventEnvelope<WalletCreditedPayload> {
  const data: WalletCreditedPayload = {
    sellerId: entry.sellerId,
    paymentOrderId: entry.paymentOrderId,
    paymentId: entry.paymentId,
    amount: toMoneyPayload(entry.amount.amountMinor, entry.amount.currency),
    balance: toMoneyPayload(entry.balanceAfter.amountMinor, entry.balanceAfter.currency),
    creditedAt: entry.createdAt.toISOString(),
  };
  return buildEnvelope({ type: WALLET_EVENT_TYPES.credited, source: WALLET_EVENT_SOURCE, data });
}
