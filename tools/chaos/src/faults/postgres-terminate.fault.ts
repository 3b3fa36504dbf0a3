import { Client } from 'pg';
import { KEEL_SERVICES } from '@keel/local-system';
import { numberParameter, type FaultContext, type FaultInjector } from './fault-context';

function targetDatabases(target: string, context: FaultContext): string[] {
  if (target === 'all') return Object.values(context.databases);
  const service = KEEL_SERVICES.find((candidate) => candidate === target);
  if (service === undefined) throw new Error(`postgres-terminate: unknown target ${target}`);
  return [context.databases[service]];
}

/** Ends every server backend of `databases`; returns how many it ended. */
async function terminateBackends(adminUrl: string, databases: readonly string[]): Promise<number> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ terminated: boolean }>(
      'SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
      [databases],
    );
    return result.rows.filter((row) => row.terminated).length;
  } finally {
    await client.end();
  }
}

/**
 * Terminates the run's PostgreSQL sessions (every service's, or one's) `rounds` times spread over
 * the fault's duration, so pools that reconnect are hit again.
 */
export const injectPostgresTerminate: FaultInjector = async (fault, context) => {
  const databases = targetDatabases(fault.target, context);
  const rounds = numberParameter(fault, 'rounds');
  const terminated: (number | string)[] = [];
  const round = () =>
    terminateBackends(context.postgresAdminUrl, databases).then(
      (count) => void terminated.push(count),
      (error: unknown) => void terminated.push(`error ${(error as Error).message}`),
    );
  await round();
  const pending = new Set<Promise<void>>();
  const timers = Array.from({ length: Math.max(0, rounds - 1) }, (_, index) =>
    setTimeout(
      () => {
        const running = round().finally(() => pending.delete(running));
        pending.add(running);
      },
      ((index + 1) * fault.durationMs) / rounds,
    ),
  );
  return {
    observation: () => `backends terminated per round: ${terminated.join(', ')}`,
    undo: async () => {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(pending);
    },
  };
};
