import { logger, type Tree } from '@nx/devkit';
import type { SourceEdit } from './source-edits';

/** One change a generator makes to an existing file of the workspace. */
export interface WiringStep {
  /** Workspace-relative. */
  readonly file: string;
  /** What the change is, in words a person can act on when the generator cannot make it. */
  readonly change: string;
  readonly edit: SourceEdit;
}

export interface WiringReport {
  readonly done: readonly string[];
  /** Changes the generator found no place for: left to a person, each with its file. */
  readonly remaining: readonly string[];
}

/** Makes each step that finds its place; the others are reported, never guessed. */
export function applyWiring(tree: Tree, steps: readonly WiringStep[]): WiringReport {
  const done: string[] = [];
  const remaining: string[] = [];
  for (const step of steps) {
    const what = `${step.file}: ${step.change}`;
    const source = tree.exists(step.file) ? tree.read(step.file, 'utf-8') : null;
    const edited = source === null ? undefined : step.edit(source);
    if (source === null || edited === undefined) {
      remaining.push(what);
      continue;
    }
    if (edited !== source) tree.write(step.file, edited);
    done.push(what);
  }
  return { done, remaining };
}

/**
 * Prints what was wired, what the generator could not wire, and the decisions it leaves to a
 * person on purpose (`followUps`), so that nothing a new service or PSP needs goes unsaid.
 */
export function printWiringReport(report: WiringReport, followUps: readonly string[]): void {
  logger.info(`Wired into the workspace:\n${report.done.map((line) => `  - ${line}`).join('\n')}`);
  if (report.remaining.length > 0) {
    logger.warn(
      `Not wired (the file has no place the generator recognises; do it by hand):\n${report.remaining
        .map((line) => `  - ${line}`)
        .join('\n')}`,
    );
  }
  logger.info(`Left to you:\n${followUps.map((line) => `  - ${line}`).join('\n')}`);
}
