import type { Money } from '@keel/money';
import { WalletError, WalletErrorCode } from './wallet.error';

/** Why a wallet entry exists; refunds and payouts will add kinds of their own. */
export const WALLET_ENTRY_KINDS = ['payment_order_credit'] as const;
export type WalletEntryKind = (typeof WALLET_ENTRY_KINDS)[number];

/** The credit of a succeeded payment order's net amount to its seller: one per payment order. */
export const PAYMENT_ORDER_CREDIT: WalletEntryKind = 'payment_order_credit';

export function isWalletEntryKind(value: unknown): value is WalletEntryKind {
  return typeof value === 'string' && (WALLET_ENTRY_KINDS as readonly string[]).includes(value);
}

/** What a payment order said when its seller was credited; a second delivery must say the same. */
export interface PaymentOrderFacts {
  readonly paymentOrderId: string;
  readonly paymentId: string;
  readonly merchantId: string;
  readonly sellerId: string;
  /** The order amount the buyer paid (before the platform fee). */
  readonly gross: Money;
  /** The platform fee the order's event carried. */
  readonly fee: Money;
}

/**
 * A payment order delivered again (under another event id) is a duplicate only if it repeats the
 * facts already credited. If it names another merchant, seller, payment, amount or fee, one of the two is wrong,
 * and crediting or ignoring it silently would hide that: it is refused for a person to look at.
 */
export function assertSamePaymentOrder(credited: PaymentOrderFacts, delivered: PaymentOrderFacts): void {
  const same =
    credited.paymentOrderId === delivered.paymentOrderId &&
    credited.paymentId === delivered.paymentId &&
    credited.merchantId === delivered.merchantId &&
    credited.sellerId === delivered.sellerId &&
    sameMoney(credited.gross, delivered.gross) &&
    sameMoney(credited.fee, delivered.fee);
  if (!same) {
    throw new WalletError(
      WalletErrorCode.CONFLICTING_CREDIT,
      `Payment order ${delivered.paymentOrderId} was credited as ${describe(credited)} and is now delivered as ${describe(delivered)}`,
    );
  }
}

function sameMoney(a: Money, b: Money): boolean {
  return a.hasSameCurrency(b) && a.equals(b);
}

function describe(facts: PaymentOrderFacts): string {
  return `${facts.gross.toString()} (fee ${facts.fee.toString()}) for seller ${facts.sellerId} of merchant ${facts.merchantId} in payment ${facts.paymentId}`;
}
