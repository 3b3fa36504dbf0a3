/**
 * Whether parsed JSON nests objects and arrays more than `depthMax` levels deep (a scalar is depth
 * 0, `{}` and `[]` depth 1). Walks with its own stack, not by recursion, so any depth is measured
 * safely, and stops at the first value past the limit.
 */
export function jsonDeeperThan(value: unknown, depthMax: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (next.value === null || typeof next.value !== 'object') continue;
    const depth = next.depth + 1;
    if (depth > depthMax) return true;
    for (const member of Object.values(next.value)) pending.push({ value: member, depth });
  }
  return false;
}
