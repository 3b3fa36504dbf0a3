import { percentile } from '@keel/traffic';

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly p999Ms?: number;
  readonly maxMs?: number;
}

export function summarise(valuesMs: readonly number[]): LatencySummary {
  return {
    count: valuesMs.length,
    p50Ms: percentile(valuesMs, 50),
    p99Ms: percentile(valuesMs, 99),
    p999Ms: percentile(valuesMs, 99.9),
    maxMs: percentile(valuesMs, 100),
  };
}

/**
 * A latency for a table: whole milliseconds, `n/a` when nothing was measured, `∞` for never
 * (Infinity, which a report read back from JSON holds as null).
 */
export function formatMs(valueMs: number | null | undefined): string {
  if (valueMs === undefined) return 'n/a';
  if (valueMs === null || !Number.isFinite(valueMs)) return '∞';
  return `${Math.round(valueMs)}`;
}
