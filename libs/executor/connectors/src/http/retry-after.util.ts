const DELAY_SECONDS_PATTERN = /^\d{1,9}$/;

/**
 * Reads a Retry-After header (RFC 9110 §10.2.3): delay seconds or an HTTP date. Returns
 * milliseconds from `nowMs`, 0 for a date in the past, undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (DELAY_SECONDS_PATTERN.test(trimmed)) return Number(trimmed) * 1_000;
  // An HTTP date always names its day and month; anything numeric left here is malformed.
  if (!/[A-Za-z]/.test(trimmed)) return undefined;
  const dateMs = Date.parse(trimmed);
  if (Number.isNaN(dateMs)) return undefined;
  return Math.max(0, dateMs - nowMs);
}
