export const INVARIANT_IDS = ['I1', 'I2', 'I3', 'I4', 'I5', 'I6', 'I7', 'I8'] as const;
export type InvariantId = (typeof INVARIANT_IDS)[number];

/** How many offending ids a result lists; the count always covers them all. */
export const OFFENDING_IDS_LISTED_MAX = 20;

export interface InvariantResult {
  readonly invariant: InvariantId;
  readonly title: string;
  readonly passed: boolean;
  /** How many things were checked (orders, accounts, keys, ...). */
  readonly checked: number;
  readonly offending: readonly string[];
  readonly offendingCount: number;
  readonly detail: string;
}

/** A result from every offending id found (deduplicated, sorted, the first few listed). */
export function invariantResult(
  invariant: InvariantId,
  title: string,
  checked: number,
  offendingIds: Iterable<string>,
  detail: string,
): InvariantResult {
  const offending = [...new Set(offendingIds)].sort();
  return {
    invariant,
    title,
    passed: offending.length === 0,
    checked,
    offending: offending.slice(0, OFFENDING_IDS_LISTED_MAX),
    offendingCount: offending.length,
    detail,
  };
}

/** `I1 PASS  at most one ... (1234 checked)` or `I1 FAIL ... offending: a, b`. */
export function invariantLine(result: InvariantResult): string {
  const head = `${result.invariant} ${result.passed ? 'PASS' : 'FAIL'}  ${result.title} (${result.checked} checked)`;
  if (result.passed) return head;
  const more = result.offendingCount > result.offending.length ? ` … ${result.offendingCount} in all` : '';
  return `${head}: ${result.detail}; offending: ${result.offending.join(', ')}${more}`;
}
