import type { ReconciliationFacts } from './reconciliation-facts';

/**
 * What the checker knows, each fact from a source independent of the others: psp-sim's ground
 * truth, each service's HTTP API, and the Kafka topics read from the beginning. Amounts are
 * decimal strings of minor units, as every source sends them.
 */

/** A charge as psp-sim holds it (`GET /admin/charges`). */
export interface SimulatorCharge {
  readonly psp: string;
  readonly id: string;
  /** The payment order id Keel sent as the PSP's idempotency key. */
  readonly idempotencyKey: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly status: string;
  readonly refundedAmountMinor: string;
}

export interface KeelPaymentOrder {
  readonly id: string;
  readonly sellerId: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly status: string;
  readonly pspId: string | null;
}

/** A payment as the payment API shows it. */
export interface KeelPayment {
  readonly id: string;
  readonly merchantId: string;
  readonly checkoutId: string;
  readonly status: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly orders: readonly KeelPaymentOrder[];
}

/** A checkout as its clients saw it, and what the payment API lists for its key. */
export interface CheckoutFacts {
  readonly idempotencyKey: string;
  readonly merchantId: string;
  /** The payment id of every 2xx answer, in the order they came. */
  readonly answeredPaymentIds: readonly string[];
  /** The ids `GET /v1/payments?checkoutId=` lists for the checkout. */
  readonly listedPaymentIds: readonly string[];
}

/** `keel.wallet.credited.v1`, deduplicated by CloudEvents id. */
export interface WalletCredit {
  readonly eventId: string;
  /** `unknown` when the event names none (a wallet version from before merchant-scoped wallets). */
  readonly merchantId: string;
  readonly sellerId: string;
  readonly paymentOrderId: string;
}

export interface LedgerPosting {
  readonly accountId: string;
  readonly direction: 'debit' | 'credit';
  readonly amountMinor: string;
  readonly currency: string;
}

/** `keel.ledger.transaction_recorded.v1`, deduplicated by CloudEvents id. */
export interface LedgerTransaction {
  readonly eventId: string;
  readonly transactionId: string;
  readonly paymentOrderId: string;
  readonly kind: string;
  readonly postings: readonly LedgerPosting[];
}

/** `keel.payment_order.orphan_charge_detected.v1`. */
export interface OrphanDetection {
  readonly eventId: string;
  readonly paymentOrderId: string;
  readonly pspId: string;
}

/** A balance read from an HTTP API, on the account's normal side. */
export interface AccountBalance {
  /** The merchant whose seller owns a wallet or seller payable; absent for a PSP's accounts. */
  readonly merchantId?: string;
  readonly owner: string;
  readonly currency: string;
  readonly balanceMinor: string;
}

export interface LedgerSelfCheck {
  readonly trialBalanced: boolean;
  readonly unbalancedCurrencies: readonly string[];
  readonly balancesConsistent: boolean;
  readonly mismatchedAccountIds: readonly string[];
}

export interface ChaosFacts {
  readonly simulatorCharges: readonly SimulatorCharge[];
  readonly checkouts: readonly CheckoutFacts[];
  /** Every payment Keel holds for the workload's checkouts. */
  readonly payments: readonly KeelPayment[];
  readonly walletCredits: readonly WalletCredit[];
  readonly ledgerTransactions: readonly LedgerTransaction[];
  readonly orphanDetections: readonly OrphanDetection[];
  /** Wallet API balances per merchant, seller and currency. */
  readonly walletBalances: readonly AccountBalance[];
  /** Ledger API `seller_payable` accounts (owner = seller, with its merchant). */
  readonly sellerPayables: readonly AccountBalance[];
  /** Ledger API `psp_clearing` accounts (owner = PSP). */
  readonly pspClearings: readonly AccountBalance[];
  readonly ledgerSelfCheck: LedgerSelfCheck;
  /** Reconciliation's runs of every PSP's days the payments span, and what they left open. */
  readonly reconciliation: ReconciliationFacts;
  /** When the last fault ended (epoch ms): the start of the terminal-state bound. */
  readonly faultsEndedAtMs: number;
}
