import { isCurrencyCode, type CurrencyCode } from '@keel/money';
import type { LedgerPosting } from './psp-clearing-movement';

/** What one ledger transaction moved on one seller payable account. */
export interface SellerPayableMovement {
  /** The ledger's account id, `seller_payable:<merchant and seller key>:<currency>`. */
  readonly accountId: string;
  readonly currency: CurrencyCode;
  /** Signed as the liability grows: credits (Keel owes the seller more) positive, debits negative. */
  readonly amountMinor: bigint;
}

/** A seller payable account id the ledger should never write: no owner, or not its posting's currency. */
export class SellerPayableAccountError extends Error {
  override readonly name = 'SellerPayableAccountError';
}

export const SELLER_PAYABLE_PREFIX = 'seller_payable:';

/**
 * The seller payable movements of one transaction, one per account, sorted by account id; other
 * accounts' postings are not the wallet leg's. The ledger names the account
 * `seller_payable:<key>:<currency>`, the key being the first 32 hex digits of SHA-256 over
 * `<merchant>/<seller>` (the seller id itself for the merchant `unknown`); the currency is the last
 * segment.
 */
export function sellerPayableMovementsOf(postings: readonly LedgerPosting[]): SellerPayableMovement[] {
  const byAccount = new Map<string, SellerPayableMovement>();
  for (const posting of postings) {
    if (!posting.accountId.startsWith(SELLER_PAYABLE_PREFIX)) continue;
    const owner = posting.accountId.slice(SELLER_PAYABLE_PREFIX.length);
    const separator = owner.lastIndexOf(':');
    const currency = owner.slice(separator + 1);
    if (separator <= 0 || !isCurrencyCode(currency) || currency !== posting.currency) {
      throw new SellerPayableAccountError(
        `posting of ${posting.amountMinor} ${posting.currency} on ${posting.accountId} is no seller payable account of its currency`,
      );
    }
    const signed = posting.direction === 'credit' ? posting.amountMinor : -posting.amountMinor;
    const earlier = byAccount.get(posting.accountId);
    byAccount.set(posting.accountId, {
      accountId: posting.accountId,
      currency,
      amountMinor: (earlier?.amountMinor ?? 0n) + signed,
    });
  }
  return [...byAccount.values()].sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
}
