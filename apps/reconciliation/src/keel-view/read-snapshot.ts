import type { DataSource, QueryRunner } from 'typeorm';

/**
 * One read-only `REPEATABLE READ` transaction on its own connection, read through server-side
 * cursors: every cursor opened in it sees the same snapshot, and memory holds one fetch of each
 * cursor at a time. Several cursors may be read side by side (the driver queues their fetches).
 * `close` ends the transaction, which closes its cursors, and releases the connection.
 */
export class ReadSnapshot {
  #cursors = 0;

  private constructor(private readonly runner: QueryRunner) {}

  static async open(dataSource: DataSource): Promise<ReadSnapshot> {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction('REPEATABLE READ');
      await runner.query('SET TRANSACTION READ ONLY');
      // Every cursor here is read to its end: plan for all rows, not for the first tenth (the
      // default), which picks nested loops that went quadratic on a day of 30,000 rows.
      await runner.query('SET LOCAL cursor_tuple_fraction = 1');
    } catch (error) {
      await runner.release();
      throw error;
    }
    return new ReadSnapshot(runner);
  }

  /**
   * The rows `sql` selects, `fetchRows` fetched at a time and handed on as each fetch's array (one
   * `await` per fetch, not per row), the next fetch asked for while the last is read (PostgreSQL
   * works while the caller does; memory holds two fetches); the cursor is closed when the
   * iteration ends.
   */
  async *fetches<T>(
    sql: string,
    parameters: readonly unknown[],
    fetchRows: number,
  ): AsyncGenerator<readonly T[]> {
    this.#cursors += 1;
    const cursor = `snapshot_cursor_${this.#cursors}`;
    await this.runner.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, [...parameters]);
    const fetch = (): Promise<T[]> =>
      this.runner.query(`FETCH FORWARD ${fetchRows} FROM ${cursor}`) as Promise<T[]>;
    // A failed fetch aborts the transaction: the cursor is gone with it, and CLOSE would fail too.
    let open = true;
    let next: Promise<T[]> | undefined = fetch();
    try {
      while (next !== undefined) {
        let rows: T[];
        try {
          rows = await next;
        } catch (error) {
          open = false;
          throw error;
        }
        next = rows.length < fetchRows ? undefined : fetch();
        // Its failure is awaited above, or settled below if the iteration ends first.
        next?.catch(() => undefined);
        if (rows.length > 0) yield rows;
      }
    } finally {
      if (next !== undefined) {
        // Ended before the fetch asked for ahead came back: it settles first (the driver runs one
        // statement at a time), and its failure has aborted the transaction.
        open = await next.then(
          () => open,
          () => false,
        );
      }
      if (open) await this.runner.query(`CLOSE ${cursor}`);
    }
  }

  async query<T>(sql: string, parameters: readonly unknown[]): Promise<T[]> {
    return (await this.runner.query(sql, [...parameters])) as T[];
  }

  async close(): Promise<void> {
    try {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    } finally {
      await this.runner.release();
    }
  }
}
