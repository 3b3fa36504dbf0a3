/** The executor's latest word on one payment method. */
export interface MethodReport {
  readonly methodType: string;
  readonly available: boolean;
  readonly retryAfterSeconds: number | undefined;
  /** When the executor saw the change (epoch ms): the newest report wins, whatever the arrival order. */
  readonly changedAtMs: number;
}

/**
 * The newest report per method, sorted by method: one row per method for a set-based upsert
 * (which cannot touch a row twice), written in the same order by every chunk.
 */
export function newestPerMethod(reports: readonly MethodReport[]): MethodReport[] {
  const newest = new Map<string, MethodReport>();
  for (const report of reports) {
    const known = newest.get(report.methodType);
    if (known === undefined || known.changedAtMs <= report.changedAtMs) newest.set(report.methodType, report);
  }
  return [...newest.values()].sort((left, right) => (left.methodType < right.methodType ? -1 : 1));
}

/**
 * Merges reports into what a process knows, keeping per method the one changed last: a report
 * older than what is known (a late event, a table read that began before a commit) changes nothing.
 */
export function mergeReports(known: Map<string, MethodReport>, reports: readonly MethodReport[]): void {
  for (const report of reports) {
    const current = known.get(report.methodType);
    if (current === undefined || current.changedAtMs <= report.changedAtMs)
      known.set(report.methodType, report);
  }
}
