/**
 * The sum of every sample of `metric` in a Prometheus text exposition (all label sets), or
 * undefined when the metric has no sample.
 */
export function sumOfMetric(exposition: string, metric: string): number | undefined {
  let sum: number | undefined;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#')) continue;
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0 || line.slice(0, nameEnd) !== metric) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}
