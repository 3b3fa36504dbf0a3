import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { startIsolatedSystem } from '@keel/local-system';
import { chargeThenTimeoutScenario } from './charge-then-timeout.scenario';
import { pspOutageScenario } from './psp-outage.scenario';
import type { Scenario } from './scenario';

const SCENARIOS: readonly Scenario[] = [pspOutageScenario, chargeThenTimeoutScenario];
const DEFAULT_SCENARIO = pspOutageScenario;

function usage(): string {
  return [
    'usage: npm run resilience [-- <scenario>]',
    `scenarios: ${SCENARIOS.map((scenario) => scenario.name).join(', ')} (default ${DEFAULT_SCENARIO.name})`,
  ].join('\n');
}

/**
 * `npm run resilience [-- <scenario>]`: one scenario on an isolated local system; prints the
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
  const command = name === undefined ? 'npm run resilience' : `npm run resilience -- ${scenario.name}`;
  const startedAt = new Date();
  const isolated = await startIsolatedSystem({ label: 'resilience', environment: scenario.environment() });
  try {
    const outcome = await scenario.run(isolated);
    for (const line of outcome.lines) console.log(line);
    const directory = join(workspaceRoot(), 'docs', 'benchmarks');
    await mkdir(directory, { recursive: true });
    await writeFile(join(directory, scenario.reportFile), outcome.markdown(command, startedAt));
    if (!outcome.passed) console.error(`${scenario.name}: FAILED (see the figures above)`);
    return outcome.passed ? 0 : 1;
  } finally {
    await isolated.stop();
  }
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
