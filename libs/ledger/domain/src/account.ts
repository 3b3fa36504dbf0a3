import { createHash } from 'node:crypto';
import { currencyOf, type CurrencyCode } from '@keel/money';
import { LedgerError, LedgerErrorCode } from './ledger.error';

export const POSTING_DIRECTIONS = ['debit', 'credit'] as const;
/** The side of an entry a posting is on; also the side on which an account's balance grows. */
export type PostingDirection = (typeof POSTING_DIRECTIONS)[number];

export type AccountType = 'asset' | 'liability' | 'revenue' | 'expense';

/** Who an account belongs to: one PSP, one seller, or the platform itself (no owner id). */
export type AccountOwnerRole = 'psp' | 'seller' | 'platform';

interface AccountKindSpec {
  readonly type: AccountType;
  readonly normalSide: PostingDirection;
  readonly ownerRole: AccountOwnerRole;
}

/**
 * Every kind of account the ledger keeps, one per currency (and per owner where it has one).
 * A new kind (for refunds: an account for money owed back to buyers) is one more entry here
 * and in the accounts.kind check of the migration.
 */
const ACCOUNT_KIND_SPECS = {
  /** What the PSP owes us for charges it made; settlement from the PSP credits it. */
  psp_clearing: { type: 'asset', normalSide: 'debit', ownerRole: 'psp' },
  /** What we owe one merchant's seller for their charged orders, net of the platform fee. */
  seller_payable: { type: 'liability', normalSide: 'credit', ownerRole: 'seller' },
  /** The platform's fee income. */
  fee_revenue: { type: 'revenue', normalSide: 'credit', ownerRole: 'platform' },
  /** Money a PSP took for an order Keel had given up on (an orphan charge), owed back to the buyer. */
  orphan_refund_payable: { type: 'liability', normalSide: 'credit', ownerRole: 'psp' },
  /**
   * What a PSP kept in fees beyond its contract (or, as a credit, below it): reconciliation's fee
   * adjustments. Charges post gross; the contract's fee is not journaled.
   */
  psp_fee_expense: { type: 'expense', normalSide: 'debit', ownerRole: 'psp' },
} as const satisfies Record<string, AccountKindSpec>;

export type AccountKind = keyof typeof ACCOUNT_KIND_SPECS;

export const ACCOUNT_KINDS: readonly AccountKind[] = Object.freeze(
  Object.keys(ACCOUNT_KIND_SPECS) as AccountKind[],
);

/**
 * Account ids travel in ledger events, whose identifiers are at most 64 characters
 * (IDENTIFIER_PATTERN of @keel/contracts); an id that could not be published is refused here.
 */
export const ACCOUNT_ID_LENGTH_MAX = 64;
/** The characters of a Keel identifier, so an owner id is safe in an account id and a URL. */
export const ACCOUNT_OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * The merchant of the seller payable accounts opened before they were scoped to merchants: the
 * ledger's own data cannot tell whose seller they were. They keep their id, `seller_payable:<seller>:<cur>`.
 */
export const UNKNOWN_MERCHANT_ID = 'unknown';

/** Hex digits of the (merchant, seller) digest in a seller payable account id: 128 bits. */
const SELLER_DIGEST_LENGTH = 32;

/** An account as the journal refers to it; its id is derived from kind, owner, merchant and currency. */
export interface AccountRef {
  /**
   * `<kind>:<owner>:<currency>`, `<kind>:<currency>` for platform accounts, and
   * `seller_payable:<digest of merchant and seller>:<currency>` for seller payables (see
   * sellerPayableOwnerKey).
   */
  readonly id: string;
  readonly kind: AccountKind;
  readonly type: AccountType;
  readonly normalSide: PostingDirection;
  /** The PSP or seller id; null for platform accounts. */
  readonly owner: string | null;
  /** The merchant whose seller owns a seller payable account; null for every other kind. */
  readonly merchantId: string | null;
  readonly currency: CurrencyCode;
}

export function isAccountKind(value: unknown): value is AccountKind {
  return typeof value === 'string' && Object.hasOwn(ACCOUNT_KIND_SPECS, value);
}

export function accountKindSpecOf(kind: AccountKind): AccountKindSpec {
  return ACCOUNT_KIND_SPECS[kind];
}

/**
 * The account of `kind` for `owner` (and, for a seller, the seller's `merchantId`) in `currency`.
 * The id is a pure function of these, so the same movement always lands on the same account.
 * Kinds carry no ':' and the currency is the last segment, so two different triples never
 * share an id even when an owner id contains ':'.
 */
export function accountRef(
  kind: AccountKind,
  owner: string | null,
  currency: CurrencyCode,
  merchantId: string | null = null,
): AccountRef {
  const spec = ACCOUNT_KIND_SPECS[kind];
  const code = currencyOf(currency).code;
  const merchant = spec.ownerRole === 'seller' ? merchantOf(merchantId) : null;
  const id =
    spec.ownerRole === 'platform'
      ? `${kind}:${code}`
      : merchant === null
        ? `${kind}:${ownerOf(kind, owner)}:${code}`
        : `${kind}:${sellerPayableOwnerKey(merchant, ownerOf(kind, owner))}:${code}`;
  if (id.length > ACCOUNT_ID_LENGTH_MAX) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      `Account id ${id} is longer than ${ACCOUNT_ID_LENGTH_MAX} characters; the ${spec.ownerRole} id is too long`,
    );
  }
  return Object.freeze({
    id,
    kind,
    type: spec.type,
    normalSide: spec.normalSide,
    owner: spec.ownerRole === 'platform' ? null : owner,
    merchantId: merchant,
    currency: code,
  });
}

export function pspClearingAccount(pspId: string, currency: CurrencyCode): AccountRef {
  return accountRef('psp_clearing', pspId, currency);
}

/**
 * What the platform owes `merchantId`'s seller `sellerId`. Seller ids are each merchant's own, so
 * the account is per (merchant, seller): two merchants' `seller_a` are two accounts.
 */
export function sellerPayableAccount(
  merchantId: string,
  sellerId: string,
  currency: CurrencyCode,
): AccountRef {
  return accountRef('seller_payable', sellerId, currency, merchantId);
}

export function feeRevenueAccount(currency: CurrencyCode): AccountRef {
  return accountRef('fee_revenue', null, currency);
}

export function orphanRefundPayableAccount(pspId: string, currency: CurrencyCode): AccountRef {
  return accountRef('orphan_refund_payable', pspId, currency);
}

export function pspFeeExpenseAccount(pspId: string, currency: CurrencyCode): AccountRef {
  return accountRef('psp_fee_expense', pspId, currency);
}

/**
 * The middle segment of a seller payable account id. Both ids may be 64 characters and contain
 * ':', so they cannot stand side by side in a 64-character id: the segment is the first 128 bits
 * of SHA-256 over `<merchant>/<seller>` ('/' is in neither), in hex. The account's merchant and
 * seller are its columns, so the id need not be read. Accounts of the merchant `unknown` keep the
 * seller id itself, as they were opened before seller payables were scoped to merchants. The
 * database checks the same derivation (accounts_id_format).
 */
function sellerPayableOwnerKey(merchantId: string, sellerId: string): string {
  if (merchantId === UNKNOWN_MERCHANT_ID) return sellerId;
  return createHash('sha256')
    .update(`${merchantId}/${sellerId}`, 'utf8')
    .digest('hex')
    .slice(0, SELLER_DIGEST_LENGTH);
}

function merchantOf(merchantId: string | null): string {
  if (
    merchantId === null ||
    !ACCOUNT_OWNER_PATTERN.test(merchantId) ||
    merchantId.length > ACCOUNT_ID_LENGTH_MAX
  ) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      `A seller_payable account needs a merchant id of letters, digits and . _ : -, got ${JSON.stringify(merchantId)}`,
    );
  }
  return merchantId;
}

function ownerOf(kind: AccountKind, owner: string | null): string {
  if (owner === null || !ACCOUNT_OWNER_PATTERN.test(owner)) {
    throw new LedgerError(
      LedgerErrorCode.INVALID_ACCOUNT_OWNER,
      `A ${kind} account needs an owner id of letters, digits and . _ : -, got ${JSON.stringify(owner)}`,
    );
  }
  return owner;
}

/**
 * The balance as read on the account's normal side: positive when a debit-normal account has
 * more debits than credits, or a credit-normal account more credits than debits.
 * `debitMinusCreditMinor` is the stored, signed balance (debits positive).
 */
export function normalBalanceMinorOf(normalSide: PostingDirection, debitMinusCreditMinor: bigint): bigint {
  return normalSide === 'debit' ? debitMinusCreditMinor : -debitMinusCreditMinor;
}
