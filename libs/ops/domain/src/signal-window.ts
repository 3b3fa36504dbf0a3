import {
  ATTEMPT_OUTCOMES,
  scopeKey,
  scopesOf,
  type AttemptOutcome,
  type AttemptSignal,
  type SignalScope,
} from './attempt-signal';

/** Upper bounds of the latency histogram's buckets; the last bucket holds everything slower. */
export const LATENCY_BOUNDS_MS: readonly number[] = [
  10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000,
];

export interface WindowSettings {
  /** The time resolution of every window. */
  readonly bucketMs: number;
  /** How far back a window can look: the longest window any rule uses (with its baseline). */
  readonly horizonMs: number;
  /** Distinct error messages kept per bucket; the rest count as `(other)`. */
  readonly distinctErrorsMax: number;
  /** Scopes kept at once; the one updated longest ago goes first. */
  readonly scopesMax: number;
}

export const OTHER_ERRORS = '(other)';

/** What a window saw over an interval. */
export interface WindowTotals {
  readonly attempts: number;
  readonly counts: Readonly<Record<AttemptOutcome, number>>;
  /** Failed and unknown attempts over all attempts (0 without attempts). */
  readonly troubleRate: number;
  /** Approved attempts over all attempts (0 without attempts). */
  readonly approvalRate: number;
  /** The most frequent message of the attempts that were not approved, and its share of them. */
  readonly topError?: { readonly message: string; readonly count: number; readonly share: number };
  /** The latency under which `percentile` (0–1) of the attempts ended: a histogram bound, or Infinity. */
  latencyPercentileMs(percentile: number): number;
}

interface Bucket {
  index: number;
  readonly counts: Record<AttemptOutcome, number>;
  readonly errors: Map<string, number>;
  readonly latency: number[];
}

function emptyCounts(): Record<AttemptOutcome, number> {
  return { approved: 0, declined: 0, failed: 0, unknown: 0 };
}

function latencySlot(latencyMs: number): number {
  const slot = LATENCY_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
  return slot === -1 ? LATENCY_BOUNDS_MS.length : slot;
}

/** One scope's attempts in fixed time buckets, in a ring that covers the horizon. */
export class ScopeWindow {
  readonly #ring: (Bucket | undefined)[];
  #latestMs = 0;

  constructor(private readonly settings: WindowSettings) {
    this.#ring = new Array<Bucket | undefined>(Math.ceil(settings.horizonMs / settings.bucketMs) + 1);
  }

  /** When the newest signal happened. */
  get latestMs(): number {
    return this.#latestMs;
  }

  add(signal: AttemptSignal): void {
    const index = Math.floor(signal.atMs / this.settings.bucketMs);
    const newest = Math.floor(this.#latestMs / this.settings.bucketMs);
    // Older than the ring reaches: its bucket was reused already.
    if (index <= newest - this.#ring.length) return;
    const bucket = this.#bucket(index);
    bucket.counts[signal.outcome] += 1;
    bucket.latency[latencySlot(signal.latencyMs)] += 1;
    if (signal.outcome !== 'approved' && signal.errorMessage !== undefined) {
      const message =
        bucket.errors.has(signal.errorMessage) || bucket.errors.size < this.settings.distinctErrorsMax
          ? signal.errorMessage
          : OTHER_ERRORS;
      bucket.errors.set(message, (bucket.errors.get(message) ?? 0) + 1);
    }
    this.#latestMs = Math.max(this.#latestMs, signal.atMs);
  }

  /** The attempts of the `windowMs` that end at `endMs` (whole buckets). */
  totals(endMs: number, windowMs: number): WindowTotals {
    const { bucketMs } = this.settings;
    const last = Math.floor(endMs / bucketMs);
    const first = last - Math.max(1, Math.round(windowMs / bucketMs)) + 1;
    const counts = emptyCounts();
    const errors = new Map<string, number>();
    const latency = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
    for (const bucket of this.#ring) {
      if (bucket === undefined || bucket.index < first || bucket.index > last) continue;
      for (const outcome of ATTEMPT_OUTCOMES) counts[outcome] += bucket.counts[outcome];
      for (const [message, count] of bucket.errors) errors.set(message, (errors.get(message) ?? 0) + count);
      bucket.latency.forEach((count, slot) => (latency[slot] += count));
    }
    return totalsOf(counts, errors, latency);
  }

  #bucket(index: number): Bucket {
    const slot = index % this.#ring.length;
    const current = this.#ring[slot];
    if (current !== undefined && current.index === index) return current;
    const fresh: Bucket = {
      index,
      counts: emptyCounts(),
      errors: new Map(),
      latency: new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0),
    };
    this.#ring[slot] = fresh;
    return fresh;
  }
}

function totalsOf(
  counts: Record<AttemptOutcome, number>,
  errors: ReadonlyMap<string, number>,
  latency: readonly number[],
): WindowTotals {
  const attempts = ATTEMPT_OUTCOMES.reduce((sum, outcome) => sum + counts[outcome], 0);
  const notApproved = attempts - counts.approved;
  let topError: WindowTotals['topError'];
  for (const [message, count] of errors) {
    if (topError === undefined || count > topError.count)
      topError = { message, count, share: notApproved === 0 ? 0 : count / notApproved };
  }
  return {
    attempts,
    counts,
    troubleRate: attempts === 0 ? 0 : (counts.failed + counts.unknown) / attempts,
    approvalRate: attempts === 0 ? 0 : counts.approved / attempts,
    topError,
    latencyPercentileMs(percentile: number): number {
      const wanted = Math.ceil(percentile * attempts);
      let seen = 0;
      for (let slot = 0; slot < latency.length; slot += 1) {
        seen += latency[slot];
        if (seen >= wanted && seen > 0) return LATENCY_BOUNDS_MS[slot] ?? Infinity;
      }
      return 0;
    },
  };
}

/** Every scope's window; a signal counts in each of its scopes. */
export class SignalWindows {
  readonly #windows = new Map<string, { readonly scope: SignalScope; readonly window: ScopeWindow }>();

  constructor(private readonly settings: WindowSettings) {}

  add(signal: AttemptSignal): void {
    for (const scope of scopesOf(signal)) {
      const key = scopeKey(scope);
      let entry = this.#windows.get(key);
      if (entry === undefined) {
        if (this.#windows.size >= this.settings.scopesMax) this.#evictStalest();
        entry = { scope, window: new ScopeWindow(this.settings) };
        this.#windows.set(key, entry);
      }
      entry.window.add(signal);
    }
  }

  /** The scopes seen, with their windows. */
  entries(): IterableIterator<{ readonly scope: SignalScope; readonly window: ScopeWindow }> {
    return this.#windows.values();
  }

  find(scope: SignalScope): ScopeWindow | undefined {
    return this.#windows.get(scopeKey(scope))?.window;
  }

  #evictStalest(): void {
    let stalest: [string, number] | undefined;
    for (const [key, { window }] of this.#windows) {
      if (stalest === undefined || window.latestMs < stalest[1]) stalest = [key, window.latestMs];
    }
    if (stalest !== undefined) this.#windows.delete(stalest[0]);
  }
}
