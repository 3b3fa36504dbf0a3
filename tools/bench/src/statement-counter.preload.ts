/**
 * Loaded into a service process with `node -r` by `npm run bench`: counts every query the process
 * sends through `pg` (TypeORM's and the prepared statements alike, as both go through
 * `Client.prototype.query`) and its begins, commits and rollbacks, and writes the counts to
 * `<KEEL_STATEMENT_COUNTER_DIR>/<pid>.json` every KEEL_STATEMENT_COUNTER_INTERVAL_MS (250 ms), so
 * the bench can read what each step cost the database per payment. Does nothing without the
 * directory variable.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { countedQuery, NO_STATEMENTS, queryTextOf, type CounterSnapshot } from './statement-counts';

const DEFAULT_INTERVAL_MS = 250;

function intervalMs(): number {
  const raw = process.env['KEEL_STATEMENT_COUNTER_INTERVAL_MS'];
  const value = raw === undefined || raw === '' ? DEFAULT_INTERVAL_MS : Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new Error(`KEEL_STATEMENT_COUNTER_INTERVAL_MS must be a positive integer, got ${raw}`);
  return value;
}

function startCounting(directory: string): void {
  let counts = NO_STATEMENTS;
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function countingQuery(this: Client, ...args: unknown[]) {
    counts = countedQuery(counts, queryTextOf(args[0]));
    return query.apply(this, args);
  } as typeof Client.prototype.query;

  const path = join(directory, `${process.pid}.json`);
  // Written aside and renamed, so that a reader never sees half a file.
  const write = () => {
    const snapshot: CounterSnapshot = { pid: process.pid, writtenAtMs: Date.now(), counts };
    writeFileSync(`${path}.tmp`, JSON.stringify(snapshot));
    renameSync(`${path}.tmp`, path);
  };
  write();
  setInterval(write, intervalMs()).unref();
}

const counterDirectory = process.env['KEEL_STATEMENT_COUNTER_DIR'];
if (counterDirectory !== undefined && counterDirectory !== '') startCounting(counterDirectory);
