import { setTimeout as sleep } from 'node:timers/promises';

export interface TrafficPlan {
  readonly ratePerSecond: number;
  readonly durationS: number;
  readonly startMs: number;
}

/** How many requests a plan sends. */
export function plannedCount(plan: TrafficPlan): number {
  return Math.round(plan.ratePerSecond * plan.durationS);
}

/** When the `index`-th request of a plan is due: a fixed schedule, independent of any answer. */
export function scheduledAtMs(plan: TrafficPlan, index: number): number {
  return plan.startMs + (index * 1_000) / plan.ratePerSecond;
}

/**
 * Open loop: fires `send(index)` on the plan's fixed schedule without waiting for earlier sends, so
 * a slow system sees the arrivals it would see in production and its latency is measured honestly.
 * Resolves once every send has settled; a rejected send is the caller's to record. An aborted
 * `signal` ends the schedule early (a drill that sends until its steps are done): nothing more is
 * sent, and the sends already made are still awaited.
 */
export async function runOpenLoop(
  plan: TrafficPlan,
  send: (index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < plannedCount(plan); index += 1) {
    // Behind schedule (a busy machine), the next request goes at once.
    await sleep(Math.max(0, scheduledAtMs(plan, index) - Date.now()));
    if (signal?.aborted === true) break;
    inFlight.push(send(index).catch(() => undefined));
  }
  await Promise.all(inFlight);
}
