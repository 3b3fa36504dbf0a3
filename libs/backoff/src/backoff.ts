/** The delay before the first retry, doubled for each next one up to the maximum. */
export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * The delay before retry `step` (0 for the first) without jitter: `initialDelayMs · 2^step`, capped
 * at `maxDelayMs`. Also the ceiling the jittered delays below are drawn under.
 */
export function exponentialDelayMs(step: number, settings: BackoffSettings): number {
  return Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, step));
}

/**
 * A random delay in [0, ceiling) ("full jitter", AWS architecture blog): many clients that failed
 * together, when a PSP or the broker went away, come back spread over the whole window instead of
 * as one wave.
 */
export function fullJitterDelayMs(
  step: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * exponentialDelayMs(step, settings));
}

/**
 * A delay in [ceiling / 2, ceiling] ("equal jitter"): half of it is guaranteed, so a retry never
 * comes back at once; the other half is random, so retries that failed together do not come back
 * together.
 */
export function equalJitterDelayMs(
  step: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const ceilingMs = exponentialDelayMs(step, settings);
  return Math.floor(ceilingMs / 2 + (random() * ceilingMs) / 2);
}
