/** Where a sample's label set ends: the index after its `}`, quotes and escapes inside values heeded. */
function labelsEnd(line: string, start: number): number {
  let quoted = false;
  for (let index = start; index < line.length; index += 1) {
    const char = line[index];
    if (quoted && char === '\\') index += 1;
    else if (char === '"') quoted = !quoted;
    else if (!quoted && char === '}') return index + 1;
  }
  return -1;
}

/** A sample line's value when it is of `metric` and finite; the optional timestamp after it is not read. */
function sampleValue(line: string, metric: string): number | undefined {
  const nameEnd = line.search(/[{\s]/);
  if (nameEnd <= 0 || line.slice(0, nameEnd) !== metric) return undefined;
  const valueStart = line[nameEnd] === '{' ? labelsEnd(line, nameEnd + 1) : nameEnd;
  if (valueStart < 0) return undefined;
  const [value] = line.slice(valueStart).trim().split(/\s+/);
  const number = Number(value);
  return value !== '' && Number.isFinite(number) ? number : undefined;
}

/**
 * The sum of every finite sample of `metric` in a Prometheus text exposition (all label sets), or
 * undefined when the metric has no sample. Label values may hold spaces, braces and escaped quotes.
 */
export function sumOfMetric(exposition: string, metric: string): number | undefined {
  let sum: number | undefined;
  for (const rawLine of exposition.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const value = sampleValue(line, metric);
    if (value !== undefined) sum = (sum ?? 0) + value;
  }
  return sum;
}
