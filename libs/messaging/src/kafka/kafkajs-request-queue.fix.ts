/**
 * kafkajs 2.2.4 (its last release) re-arms a timer after every check of a connection's request
 * queue, even when nothing waits and nothing is throttled; the delay is then negative, so Node
 * runs it after 1 ms: every open broker connection wakes its process a thousand times a second,
 * for ever (kafkajs issues #1556 and #1704; on Node 24 it also prints TimeoutNegativeWarning,
 * #1751). Measured here: about 4 % of a core per idle service, and more under load.
 *
 * The fix below keeps kafkajs' own behaviour whenever it matters — a request waiting in the queue,
 * or a throttle still running — and arms no timer otherwise: a request pushed later schedules its
 * own check (`push`), and every answer or timeout checks the queue again (`fulfillRequest`).
 */
import { createRequire } from 'node:module';

interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
}

type ScheduleCheck = (this: RequestQueueState) => void;

interface RequestQueuePrototype {
  scheduleCheckPendingRequests: ScheduleCheck & { keelIdleLoopFixed?: true };
}

const kafkajsRequire = createRequire(require.resolve('kafkajs'));

/** kafkajs' RequestQueue class; not part of its public API, so resolved from its own package. */
export function kafkajsRequestQueuePrototype(): RequestQueuePrototype {
  const RequestQueue = kafkajsRequire('./src/network/requestQueue') as { prototype: RequestQueuePrototype };
  return RequestQueue.prototype;
}

/** Idempotent: applied once per process however often it is called. */
export function fixKafkajsIdleTimerLoop(): void {
  const prototype = kafkajsRequestQueuePrototype();
  const original = prototype.scheduleCheckPendingRequests;
  if (original.keelIdleLoopFixed) return;
  const fixed: RequestQueuePrototype['scheduleCheckPendingRequests'] = function (this: RequestQueueState) {
    const nothingToWaitFor = this.pending.length === 0 && this.throttledUntil <= Date.now();
    if (nothingToWaitFor) return;
    original.call(this);
  };
  fixed.keelIdleLoopFixed = true;
  prototype.scheduleCheckPendingRequests = fixed;
}
