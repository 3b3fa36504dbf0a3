/**
 * A later run of a chunk needs an account below one the chunk's transaction already holds, so
 * locking it could close a wait cycle with another writer. Neither permanent nor transient: the
 * consumer then applies the chunk's events one at a time, each in its own transaction, where
 * one run locks everything in order.
 */
export class AccountLockOrderError extends Error {
  override readonly name = 'AccountLockOrderError';
}
