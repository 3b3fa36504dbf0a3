export interface BackoffSettings {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Exponential backoff with "equal jitter": a delay in [ceiling / 2, ceiling] where the ceiling
 * doubles per step up to the maximum. Half the delay is guaranteed, so a retry never comes back at
 * once; the other half is random, so orders that failed together do not come back together.
 */
export function backoffDelayMs(
  step: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const ceilingMs = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, step));
  return Math.floor(ceilingMs / 2 + (random() * ceilingMs) / 2);
}

/**
 * Exponential backoff with "full jitter": a delay in [0, ceiling]. Used for charge retries, where
 * many orders fail together when a PSP goes down: spreading them over the whole window is what
 * keeps the retries from arriving as one wave when it comes back.
 */
export function fullJitterDelayMs(
  step: number,
  settings: BackoffSettings,
  random: () => number = Math.random,
): number {
  const ceilingMs = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** Math.max(0, step));
  return Math.floor(random() * ceilingMs);
}
