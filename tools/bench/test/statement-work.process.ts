/**
 * A process that runs under the statement-counter preload for statement-counter.int-spec.ts: a
 * TypeORM connection that, on each stdin line, runs one known transaction and answers `done`.
 */
import { createInterface } from 'node:readline';
import { DataSource } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';

const INSERT = preparedStatement('bench_test_insert', 'INSERT INTO counted (value) VALUES ($1)');

async function main(): Promise<void> {
  const url = process.env['TEST_DATABASE_URL'];
  if (url === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const dataSource = await new DataSource({ type: 'postgres', url }).initialize();
  await dataSource.query('CREATE TABLE counted (value integer NOT NULL)');
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    // 'commit': a prepared insert and a plain select, committed; 'rollback': an insert rolled back.
    await dataSource
      .transaction(async (manager) => {
        await runPrepared(manager, INSERT, [1]);
        if (line === 'rollback') throw new Error('rolled back on purpose');
        await manager.query('SELECT count(*) FROM counted');
      })
      .catch(() => undefined);
    process.stdout.write('done\n');
  }
  await dataSource.destroy();
}

void main();
