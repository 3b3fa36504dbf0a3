import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/** Set on a query runner's `data` by a transaction that wrote outbox rows. */
const OUTBOX_WRITTEN = 'keel.outboxWritten';

export function markOutboxWritten(queryRunner: QueryRunner): void {
  (queryRunner.data as Record<string, unknown>)[OUTBOX_WRITTEN] = true;
}

/**
 * Calls `onCommitted` after every top-level commit of `dataSource` that wrote outbox rows, in this
 * process: the relay's wake-up, in place of a server-wide NOTIFY per commit.
 */
export function onOutboxCommitted(dataSource: DataSource, onCommitted: () => void): void {
  const takeMark = (queryRunner: QueryRunner): boolean => {
    const data = queryRunner.data as Record<string, unknown>;
    if (queryRunner.isTransactionActive || data[OUTBOX_WRITTEN] !== true) return false;
    delete data[OUTBOX_WRITTEN];
    return true;
  };
  const subscriber: EntitySubscriberInterface = {
    afterTransactionCommit(event: TransactionCommitEvent) {
      if (takeMark(event.queryRunner)) onCommitted();
    },
    afterTransactionRollback(event: TransactionRollbackEvent) {
      takeMark(event.queryRunner);
    },
  };
  dataSource.subscribers.push(subscriber);
}
