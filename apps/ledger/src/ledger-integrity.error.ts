/**
 * An invariant of the stored ledger did not hold: at the write (a locked account that differs
 * from the one named, a balance that moved by another amount) or at the read (a transaction
 * that does not balance, an account whose id does not match its kind, owner and currency).
 * It means a bug or tampering, never bad input: a write rolls back and its event is retried,
 * then dead-lettered; a read answers 500 and is logged.
 */
export class LedgerIntegrityError extends Error {
  override readonly name = 'LedgerIntegrityError';
}
