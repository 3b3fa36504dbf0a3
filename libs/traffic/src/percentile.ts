/**
 * The nearest-rank percentile (`p` in 0–100) of `values`, in any order: the value at rank
 * ceil(p/100 × n) of the sorted values, so always one that was measured. Undefined when there are
 * none. Infinity stands for an event that never came (a payment not completed), so it can make
 * the percentile.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}
