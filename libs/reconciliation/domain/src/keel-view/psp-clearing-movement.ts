import { isCurrencyCode, type CurrencyCode } from '@keel/money';

/** A posting as the ledger's `transaction_recorded` event carries it. */
export interface LedgerPosting {
  readonly accountId: string;
  readonly direction: 'debit' | 'credit';
  readonly amountMinor: bigint;
  readonly currency: string;
}

/** What one ledger transaction moved on one PSP's clearing account in one currency. */
export interface PspClearingMovement {
  readonly psp: string;
  readonly currency: CurrencyCode;
  /** Signed as the asset grows: debits (the PSP owes Keel more) positive, credits negative. */
  readonly amountMinor: bigint;
}

/** A clearing account id the ledger should never write: an unknown currency, or no PSP. */
export class PspClearingAccountError extends Error {
  override readonly name = 'PspClearingAccountError';
}

const PSP_CLEARING_PREFIX = 'psp_clearing:';

/**
 * The PSP clearing movements of one transaction, one per PSP and currency, in that order; other
 * accounts' postings are not reconciliation's. The ledger names the account
 * `psp_clearing:<psp>:<currency>` (its owner may hold ':' but the currency is the last segment).
 */
export function pspClearingMovementsOf(postings: readonly LedgerPosting[]): PspClearingMovement[] {
  const byAccount = new Map<string, PspClearingMovement>();
  for (const posting of postings) {
    if (!posting.accountId.startsWith(PSP_CLEARING_PREFIX)) continue;
    const owner = posting.accountId.slice(PSP_CLEARING_PREFIX.length);
    const separator = owner.lastIndexOf(':');
    const psp = owner.slice(0, Math.max(separator, 0));
    const currency = owner.slice(separator + 1);
    if (separator <= 0 || !isCurrencyCode(currency) || currency !== posting.currency) {
      throw new PspClearingAccountError(
        `posting of ${posting.amountMinor} ${posting.currency} on ${posting.accountId} is no PSP clearing account of its currency`,
      );
    }
    const signed = posting.direction === 'debit' ? posting.amountMinor : -posting.amountMinor;
    const earlier = byAccount.get(posting.accountId);
    byAccount.set(posting.accountId, {
      psp,
      currency,
      amountMinor: (earlier?.amountMinor ?? 0n) + signed,
    });
  }
  return [...byAccount.values()].sort((a, b) =>
    a.psp === b.psp ? (a.currency < b.currency ? -1 : 1) : a.psp < b.psp ? -1 : 1,
  );
}
