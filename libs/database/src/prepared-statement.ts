import type { EntityManager } from 'typeorm';

/**
 * A statement the hot path runs on every chunk or request. PostgreSQL parses and plans a named
 * statement once per connection and then only binds and executes it, and the driver call skips
 * TypeORM's query path. Names are global per connection: keep them unique across the service.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

export function preparedStatement(name: string, text: string): PreparedStatement {
  return { name, text };
}

interface PgQueryClient {
  query(config: { name: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }>;
}

/**
 * Runs `statement` on the connection of `manager`'s transaction (it must be inside one, so the
 * statement belongs to that transaction) and returns its rows.
 */
export async function runPrepared<Row>(
  manager: EntityManager,
  statement: PreparedStatement,
  values: readonly unknown[],
): Promise<Row[]> {
  const runner = manager.queryRunner;
  if (runner === undefined || !runner.isTransactionActive) {
    throw new Error(`prepared statement ${statement.name} needs the EntityManager of an open transaction`);
  }
  // TypeORM's Postgres query runner keeps its pool client here once the transaction has begun.
  const client = (runner as unknown as { databaseConnection?: PgQueryClient }).databaseConnection;
  if (client === undefined) throw new Error(`prepared statement ${statement.name}: no connection`);
  const result = await client.query({ name: statement.name, text: statement.text, values });
  return result.rows as Row[];
}
