/**
 * A later run of a chunk needs accounts below one the chunk's transaction already holds, and
 * another writer holds them: waiting on could close a cycle with that writer. Neither permanent
 * nor transient (a retry of the same chunk would meet the same order): the consumer then applies
 * the chunk's events one at a time, each in its own transaction, where one run locks in order.
 */
export class AccountLockOrderError extends Error {
  override readonly name = 'AccountLockOrderError';
}
