import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createTestDatabase } from '@keel/testing';

const run = promisify(execFile);

export interface PgbenchResult {
  readonly tps: number;
  readonly latencyAverageMs: number;
  readonly clients: number;
  readonly scale: number;
  readonly durationS: number;
}

/** TPS and average latency from pgbench's summary (`tps = … (without initial connection time)`). */
export function parsePgbenchOutput(output: string): { tps: number; latencyAverageMs: number } {
  const tps = /^tps = ([\d.]+)/m.exec(output);
  const latency = /^latency average = ([\d.]+) ms/m.exec(output);
  if (tps === null || latency === null) throw new Error(`pgbench printed no tps/latency summary:\n${output}`);
  return { tps: Number(tps[1]), latencyAverageMs: Number(latency[1]) };
}

function connectionArguments(databaseUrl: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const args = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username)];
  const password = decodeURIComponent(url.password);
  return { args, env: password === '' ? process.env : { ...process.env, PGPASSWORD: password } };
}

export interface PgbenchPlan {
  readonly binary: string;
  readonly scale: number;
  readonly clients: number;
  readonly threads: number;
  readonly durationS: number;
}

/**
 * The database server's own ceiling: pgbench's TPC-B-like script on a throwaway database of the
 * same server Keel uses, dropped afterwards.
 */
export async function runPgbench(plan: PgbenchPlan): Promise<PgbenchResult> {
  const database = await createTestDatabase('bench_pgbench');
  try {
    const { args, env } = connectionArguments(database.url);
    const name = database.name;
    await run(plan.binary, [...args, '-i', '-q', '-s', String(plan.scale), name], { env });
    const { stdout } = await run(
      plan.binary,
      [
        ...args,
        '-c',
        String(plan.clients),
        '-j',
        String(plan.threads),
        '-T',
        String(plan.durationS),
        '-b',
        'tpcb-like',
        name,
      ],
      { env, maxBuffer: 16 * 1_024 * 1_024 },
    );
    return {
      ...parsePgbenchOutput(stdout),
      clients: plan.clients,
      scale: plan.scale,
      durationS: plan.durationS,
    };
  } finally {
    await database.drop();
  }
}
