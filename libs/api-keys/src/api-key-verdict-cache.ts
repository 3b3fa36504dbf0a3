import type { ApiKeyVerdict } from './api-key';

export interface ApiKeyVerdictCacheLimits {
  /** How long a verdict is trusted without asking the database: the longest a revocation waits. */
  readonly ttlMs: number;
  /** Verdicts kept at once; the least recently used are dropped first. */
  readonly entriesMax: number;
}

interface Entry {
  readonly verdict: ApiKeyVerdict;
  readonly untilMs: number;
}

/**
 * What the database said about each key hash lately, so authenticating a request runs no
 * statement in steady state. A verdict is trusted for ttlMs, and a valid one never past the key's
 * own end (expiry or scheduled revocation); an unknown or refused key is remembered too, so a
 * client repeating a bad key does not reach the database on every request. Bounded: a Map in
 * least-recently-used order, the oldest dropped once entriesMax are held.
 */
export class ApiKeyVerdictCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly limits: ApiKeyVerdictCacheLimits,
    private readonly nowMs: () => number,
  ) {}

  get(hash: string): ApiKeyVerdict | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined) return undefined;
    this.entries.delete(hash);
    if (entry.untilMs <= this.nowMs()) return undefined;
    this.entries.set(hash, entry);
    return entry.verdict;
  }

  set(hash: string, verdict: ApiKeyVerdict): void {
    const nowMs = this.nowMs();
    const endMs = verdict.valid && verdict.validUntil !== null ? verdict.validUntil.getTime() : Infinity;
    this.entries.delete(hash);
    this.entries.set(hash, { verdict, untilMs: Math.min(nowMs + this.limits.ttlMs, endMs) });
    while (this.entries.size > this.limits.entriesMax) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
