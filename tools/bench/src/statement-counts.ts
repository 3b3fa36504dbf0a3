/** What one process sent to PostgreSQL through `pg`: every query call, and the transaction ends. */
export interface StatementCounts {
  readonly statements: number;
  readonly begins: number;
  readonly commits: number;
  readonly rollbacks: number;
}

/** The file a counting process writes: its counts so far, and when it wrote them. */
export interface CounterSnapshot {
  readonly pid: number;
  readonly writtenAtMs: number;
  readonly counts: StatementCounts;
}

/** Statements and commits of one service (all its instances) over a step, and per completed payment. */
export interface DatabaseWork {
  readonly statements: number;
  readonly commits: number;
  /** Undefined when the step completed no payment. */
  readonly statementsPerPayment?: number;
  readonly commitsPerPayment?: number;
}

export interface StepDatabaseWork {
  readonly perService: Readonly<Record<string, DatabaseWork>>;
  readonly total: DatabaseWork;
}

export const NO_STATEMENTS: StatementCounts = { statements: 0, begins: 0, commits: 0, rollbacks: 0 };

/**
 * The SQL text of a `Client.query` call: a string, or a config object (`{ name, text, values }` for
 * a named prepared statement, or a submittable that carries `text`).
 */
export function queryTextOf(firstArgument: unknown): string | undefined {
  if (typeof firstArgument === 'string') return firstArgument;
  if (typeof firstArgument === 'object' && firstArgument !== null) {
    const text = (firstArgument as { text?: unknown }).text;
    return typeof text === 'string' ? text : undefined;
  }
  return undefined;
}

/** The counts after one more query of `text` (TypeORM sends `START TRANSACTION` and `COMMIT`). */
export function countedQuery(counts: StatementCounts, text: string | undefined): StatementCounts {
  const head = (text ?? '').trimStart().slice(0, 20).toUpperCase();
  return {
    statements: counts.statements + 1,
    begins: counts.begins + (head.startsWith('START TRANSACTION') || head.startsWith('BEGIN') ? 1 : 0),
    commits: counts.commits + (/^(COMMIT|END)\b/.test(head) ? 1 : 0),
    rollbacks: counts.rollbacks + (/^ROLLBACK\b/.test(head) && !head.includes(' TO') ? 1 : 0),
  };
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** A counter file's snapshot, or undefined when the text is not one (e.g. caught mid-write). */
export function parseCounterSnapshot(text: string): CounterSnapshot | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { pid, writtenAtMs, counts } = parsed as Record<string, unknown>;
  if (!isCount(pid) || !isCount(writtenAtMs) || typeof counts !== 'object' || counts === null)
    return undefined;
  const { statements, begins, commits, rollbacks } = counts as Record<string, unknown>;
  if (![statements, begins, commits, rollbacks].every(isCount)) return undefined;
  return { pid, writtenAtMs, counts: counts as StatementCounts };
}

export function countsBetween(start: StatementCounts, end: StatementCounts): StatementCounts {
  return {
    statements: end.statements - start.statements,
    begins: end.begins - start.begins,
    commits: end.commits - start.commits,
    rollbacks: end.rollbacks - start.rollbacks,
  };
}

function workOf(statements: number, commits: number, completedPayments: number): DatabaseWork {
  if (completedPayments <= 0) return { statements, commits };
  return {
    statements,
    commits,
    statementsPerPayment: statements / completedPayments,
    commitsPerPayment: commits / completedPayments,
  };
}

/**
 * A step's statements and commits per service and in total, divided by the payments the step
 * completed. `serviceOf` maps an instance (`wallet-2`) to its service (`wallet`).
 */
export function stepDatabaseWork(
  countsByInstance: Readonly<Record<string, StatementCounts>>,
  completedPayments: number,
  serviceOf: (instance: string) => string,
): StepDatabaseWork {
  const sums = new Map<string, { statements: number; commits: number }>();
  for (const [instance, counts] of Object.entries(countsByInstance)) {
    const service = serviceOf(instance);
    const sum = sums.get(service) ?? { statements: 0, commits: 0 };
    sums.set(service, {
      statements: sum.statements + counts.statements,
      commits: sum.commits + counts.commits,
    });
  }
  const perService: Record<string, DatabaseWork> = {};
  let statements = 0;
  let commits = 0;
  for (const [service, sum] of [...sums].sort(([left], [right]) => left.localeCompare(right))) {
    perService[service] = workOf(sum.statements, sum.commits, completedPayments);
    statements += sum.statements;
    commits += sum.commits;
  }
  return { perService, total: workOf(statements, commits, completedPayments) };
}
