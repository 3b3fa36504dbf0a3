import { setTimeout as sleep } from 'node:timers/promises';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCounterSnapshot, type CounterSnapshot, type StatementCounts } from './statement-counts';

/** The preload every service process of the bench runs (statement-counter.preload.ts). */
export const STATEMENT_COUNTER_PRELOAD = resolve(__dirname, 'statement-counter.preload.ts');
const POLL_INTERVAL_MS = 50;
/** A process that wrote nothing this long after the snapshot time is left out (it exited or hangs). */
const FRESH_SNAPSHOT_TIMEOUT_MS = 3_000;

/** A process that runs the preload: a service instance of the system (`SystemInstance`), or a test's child. */
export interface CountedProcess {
  readonly name: string;
  readonly process: { readonly pid: number | undefined; isRunning(): boolean };
}

/**
 * Node flags and environment that make every service process count its PostgreSQL statements into
 * `directory`. The preload is a TypeScript file, so the TypeScript loader is required before it.
 */
export function statementCounting(directory: string) {
  return {
    nodeArguments: ['-r', '@swc-node/register', '-r', STATEMENT_COUNTER_PRELOAD],
    environment: { KEEL_STATEMENT_COUNTER_DIR: directory },
  };
}

async function readSnapshot(directory: string, pid: number): Promise<CounterSnapshot | undefined> {
  const text = await readFile(join(directory, `${pid}.json`), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseCounterSnapshot(text);
}

/** Reads the counters the service processes write (see statement-counter.preload.ts). */
export class StatementCounter {
  constructor(
    private readonly directory: string,
    private readonly instances: readonly CountedProcess[],
  ) {}

  /**
   * Every instance's counts as written at `atMs` or later (the processes write on an interval, so
   * this waits at most one interval); an instance with no fresh file in time is missing.
   */
  async countsAt(atMs: number): Promise<Record<string, StatementCounts>> {
    const entries = await Promise.all(
      this.instances.map(async (instance) => {
        const snapshot = await this.freshSnapshot(instance, atMs);
        return snapshot === undefined ? [] : [[instance.name, snapshot.counts] as const];
      }),
    );
    return Object.fromEntries(entries.flat());
  }

  private async freshSnapshot(instance: CountedProcess, atMs: number) {
    const deadlineMs = Date.now() + FRESH_SNAPSHOT_TIMEOUT_MS;
    for (;;) {
      const pid = instance.process.pid;
      const snapshot = pid === undefined ? undefined : await readSnapshot(this.directory, pid);
      if (snapshot !== undefined && snapshot.writtenAtMs >= atMs) return snapshot;
      if (Date.now() >= deadlineMs || !instance.process.isRunning()) return undefined;
      await sleep(POLL_INTERVAL_MS);
    }
  }
}
