import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { workspaceRoot } from '@keel/local-infra';
import { drillFigures } from './drill-figures';
import { DRILL_USAGE, parseDrillArguments, type DrillOptions } from './drill-options';
import { drillLines, drillMarkdown, drillTimeline } from './drill-report';
import { runDrill } from './drill-run';
import { isolatedDrillSystem, runningDrillSystem } from './drill-system';

const log = (line: string): void => console.log(`[drill] ${line}`);

async function drill(options: DrillOptions, argv: readonly string[]): Promise<boolean> {
  const startedAt = new Date();
  log(options.running === undefined ? 'starting an isolated system' : 'using the running system given');
  const system =
    options.running === undefined ? await isolatedDrillSystem() : runningDrillSystem(options.running);
  let observations;
  try {
    observations = await runDrill(options, system, log);
  } finally {
    await system.stop();
  }
  const figures = drillFigures(options.scenario, observations);
  for (const line of drillLines(figures)) console.log(line);
  if (options.report) {
    const directory = join(workspaceRoot(), 'docs', 'drills');
    await mkdir(directory, { recursive: true });
    const base = join(directory, options.scenario.name);
    await writeFile(
      `${base}.md`,
      drillMarkdown(options.scenario, figures, {
        command: ['npm run drill --', ...argv].join(' '),
        startedAt,
        system: system.description,
        timeline: drillTimeline(observations),
        notes: [],
      }),
    );
    await writeFile(`${base}.json`, `${JSON.stringify({ startedAt, figures, observations }, null, 2)}\n`);
    log(`report: docs/drills/${options.scenario.name}.md (+ .json)`);
  }
  if (!figures.passed) console.error(`${options.scenario.name}: a target was not met (see above)`);
  return figures.passed;
}

/**
 * `npm run drill -- <scenario> [...]`: an outage drill against an isolated Keel of its own (or a
 * running one): traffic, a psp-sim fault, and what ops did about it, measured from the system.
 * Exits non-zero when a target is not met.
 */
async function main(argv: readonly string[]): Promise<number> {
  let options: DrillOptions;
  try {
    options = parseDrillArguments(argv);
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${DRILL_USAGE}`);
    return 1;
  }
  return (await drill(options, argv)) ? 0 : 1;
}

// Exit explicitly once the system is stopped, as npm run resilience does.
main(process.argv.slice(2)).then(
  (exitCode) => process.exit(exitCode),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
