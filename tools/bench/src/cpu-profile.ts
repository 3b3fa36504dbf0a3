/**
 * Where the CPU goes: card payments at a steady open-loop rate through an isolated system whose
 * every process runs under `node --cpu-prof`, then a graceful stop so that each writes its profile
 * (open the `.cpuprofile` files in Chrome DevTools or any V8 profile viewer). Prints each process's
 * CPU over the sending window, in % of one core and in milliseconds per accepted payment.
 *
 *   npm run bench:cpu
 *
 * Environment: CPU_PROFILE_RATE (10 payments/s), CPU_PROFILE_SECONDS (30), CPU_PROFILE_DIR
 * (.keel/profiles/<start time>). The profiler itself costs CPU, so quote throughput from
 * `npm run bench`, not from this run.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { stateDirectory } from '@keel/local-infra';
import { startIsolatedSystem, SYSTEM_PROCESSES } from '@keel/local-system';
import { postCardPayment, runOpenLoop } from '@keel/traffic';
import { cpuPercentOfOneCore, cpuTicksOf } from './cpu';

const SELLERS = 4;
/** Answers still in flight when the sending window ends are awaited this long at most. */
const REQUEST_TIMEOUT_MS = 10_000;

function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

async function ticksOfEvery(pids: ReadonlyMap<string, number | undefined>) {
  const ticks = new Map<string, number | undefined>();
  for (const [name, pid] of pids) ticks.set(name, pid === undefined ? undefined : await cpuTicksOf(pid));
  return ticks;
}

async function main(): Promise<void> {
  const ratePerSecond = positiveNumber('CPU_PROFILE_RATE', 10);
  const durationS = positiveNumber('CPU_PROFILE_SECONDS', 30);
  const directory =
    process.env['CPU_PROFILE_DIR'] ??
    join(stateDirectory(), 'profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  await mkdir(directory, { recursive: true });
  const isolated = await startIsolatedSystem({
    label: 'cpu_profile',
    nodeArguments: ['--cpu-prof', `--cpu-prof-dir=${directory}`],
  });
  try {
    const url = isolated.system.url('payment');
    const apiKey = await isolated.system.keys().keyFor('merchant_cpu_profile');
    const pids = new Map(SYSTEM_PROCESSES.map((name) => [name, isolated.system.process(name).pid]));
    const statuses = new Map<string, number>();
    const before = await ticksOfEvery(pids);
    const startedMs = Date.now();
    await runOpenLoop({ ratePerSecond, durationS, startMs: startedMs }, async (index) => {
      const answer = await postCardPayment(url, {
        apiKey,
        sellerId: `seller_cpu_profile_${index % SELLERS}`,
        amountMinor: 10_000n,
        checkoutPrefix: 'cpu-profile',
        timeoutMs: REQUEST_TIMEOUT_MS,
      });
      const status = String(answer.httpStatus ?? 'no answer');
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    });
    const wallMs = Date.now() - startedMs;
    const after = await ticksOfEvery(pids);
    const accepted = statuses.get('202') ?? 0;
    console.log(`${ratePerSecond}/s for ${durationS} s: ${JSON.stringify(Object.fromEntries(statuses))}`);
    for (const name of SYSTEM_PROCESSES) {
      const first = before.get(name);
      const last = after.get(name);
      if (first === undefined || last === undefined) continue;
      const percent = cpuPercentOfOneCore(first, last, wallMs);
      const msPerPayment = accepted === 0 ? 0 : (percent / 100) * (wallMs / accepted);
      console.log(
        `  ${name.padEnd(15)} ${percent.toFixed(1).padStart(6)} %  ${msPerPayment.toFixed(1)} ms/payment`,
      );
    }
  } finally {
    await isolated.stop();
  }
  console.log(`profiles: ${directory}`);
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
