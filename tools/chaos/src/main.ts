import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import { stateDirectory, workspaceRoot } from '@keel/local-infra';
import { parseChaosArguments } from './chaos-cli';
import { runChaos } from './chaos-run';
import { PROFILES, withOverrides } from './profiles';
import { writeReport } from './report/chaos-report';
import { reportOfRun } from './report/report-of-run';
import { abortOnStopSignals, exitCodeOf, stopSignalOf } from './stop-signals';

/** The largest random seed: any seed a person may type back fits in a safe integer. */
const RANDOM_SEED_MAX = 2 ** 31 - 1;

/**
 * `npm run chaos [-- --profile short|long] [--seed N] [--break <name>] [--write-report]`: Keel
 * under a seeded fault schedule and workload, then every invariant checked. Exit 1 on any FAIL;
 * on SIGINT or SIGTERM the environment is stopped and the exit code is 130 or 143.
 */
async function main(argv: readonly string[], interrupt: AbortSignal): Promise<number> {
  const options = parseChaosArguments(argv);
  const seed = options.seed ?? randomInt(RANDOM_SEED_MAX);
  console.log(`chaos seed ${seed}`);
  const profile = withOverrides(PROFILES[options.profile], process.env);
  const outcome = await runChaos({
    profile,
    seed,
    ...(options.breakName === undefined ? {} : { breakName: options.breakName }),
    log: (line) => console.log(line),
    signal: interrupt,
  });
  const command = [
    `npm run chaos -- --profile ${profile.name} --seed ${seed}`,
    ...(options.breakName === undefined ? [] : [`--break ${options.breakName}`]),
    ...(options.writeReport ? ['--write-report'] : []),
  ].join(' ');
  const report = reportOfRun(outcome, {
    command,
    seed,
    profile: profile.name,
    ...(options.breakName === undefined ? {} : { breakName: options.breakName }),
  });
  const durable = options.writeReport || profile.name === 'long';
  const directory = durable ? join(workspaceRoot(), 'docs', 'chaos') : join(stateDirectory(), 'chaos');
  console.log(`report: ${await writeReport(directory, report)}`);
  console.log(
    outcome.passed
      ? 'chaos: every invariant holds and checkout stayed open'
      : 'chaos: FAILED (see the FAIL lines above)',
  );
  return outcome.passed ? 0 : 1;
}

const interrupt = abortOnStopSignals(process, (line) => console.log(line));

/** A run a signal stopped exits as the shell reports a process the signal ended. */
function exit(exitCode: number): never {
  const signal = stopSignalOf(interrupt);
  if (signal !== undefined) console.log(`chaos: stopped by ${signal}; the environment is stopped`);
  process.exit(signal === undefined ? exitCode : exitCodeOf(signal));
}

// Exit explicitly once the environment is stopped and the report written: after a long run Node 20
// was seen spinning at 100 % CPU in its exit-time handle cleanup (four inactive TCP handles left
// by aborted connections, an empty event loop) instead of exiting.
main(process.argv.slice(2), interrupt).then(exit, (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  exit(1);
});
