import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { chargeThenTimeoutScenario } from './charge-then-timeout.scenario';
import { pspOutageScenario } from './psp-outage.scenario';
import { restartDrillScenario } from './restart-drill.scenario';
import type { Scenario } from './scenario';

const SCENARIOS: readonly Scenario[] = [pspOutageScenario, chargeThenTimeoutScenario, restartDrillScenario];
const DEFAULT_SCENARIO = pspOutageScenario;
/** npm scripts that name their scenario themselves (`npm run drill:restart`). */
const SCRIPT_OF_SCENARIO: Readonly<Record<string, string>> = { [restartDrillScenario.name]: 'drill:restart' };

function usage(): string {
  return [
    'usage: npm run resilience [-- <scenario>]',
    `scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')} (default ${DEFAULT_SCENARIO.name})`,
  ].join('\n');
}

/** The command as the report should print it: the npm script that started this run, if one did. */
function commandOf(scenario: Scenario, named: boolean): string {
  const script = SCRIPT_OF_SCENARIO[scenario.name];
  if (script !== undefined && process.env['npm_lifecycle_event'] === script) return `npm run ${script}`;
  return named ? `npm run resilience -- ${scenario.name}` : 'npm run resilience';
}

/**
 * `npm run resilience [-- <scenario>]`: one scenario on a local system of its own; prints the
 * figures, rewrites its report under docs/benchmarks, and exits non-zero if a promise was broken.
 */
async function main(argv: readonly string[]): Promise<number> {
  if (argv.length > 1) {
    console.error(`too many arguments: ${argv.join(' ')}\n${usage()}`);
    return 1;
  }
  const name = argv[0];
  const scenario = name === undefined ? DEFAULT_SCENARIO : SCENARIOS.find((known) => known.name === name);
  if (scenario === undefined) {
    console.error(`unknown scenario "${name}"\n${usage()}`);
    return 1;
  }
  const startedAt = new Date();
  const outcome = await scenario.run();
  for (const line of outcome.lines) console.log(line);
  const directory = join(workspaceRoot(), 'docs', 'benchmarks');
  await mkdir(directory, { recursive: true });
  const command = commandOf(scenario, name !== undefined);
  await writeFile(join(directory, outcome.reportFile), outcome.markdown(command, startedAt));
  console.log(`report: docs/benchmarks/${outcome.reportFile}`);
  if (!outcome.passed) console.error(`${scenario.name}: FAILED (see the figures above)`);
  return outcome.passed ? 0 : 1;
}

// Exit explicitly once the system is stopped and the report written, as the chaos run does: after
// a long run Node 20 was seen spinning in its exit-time handle cleanup instead of exiting.
main(process.argv.slice(2)).then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
