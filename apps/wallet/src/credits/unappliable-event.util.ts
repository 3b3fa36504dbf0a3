import { PermanentEventError } from '@keel/messaging';
import { MoneyError } from '@keel/money';
import { WalletError, WalletErrorCode } from '@keel/wallet-domain';

/**
 * Runs `work` for the event `eventId`. An error that says the event can never be applied (an
 * amount or currency that is not money, a payment order that contradicts its earlier credit)
 * becomes a PermanentEventError naming that event: it goes to the dead-letter topic at once, for
 * a person to look at, and the rest of its chunk is applied without it. Anything else (the
 * database, a bug) is left to the inbox, which retries it.
 */
export function unappliableAs<T>(eventId: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (!isUnappliable(error)) throw error;
    throw new PermanentEventError(error.message, { cause: error, eventId });
  }
}

function isUnappliable(error: unknown): error is Error {
  return (
    error instanceof MoneyError ||
    (error instanceof WalletError &&
      (error.code === WalletErrorCode.INVALID_CREDIT || error.code === WalletErrorCode.CONFLICTING_CREDIT))
  );
}
