import { createRequire } from 'node:module';
import { fixKafkajsIdleTimerLoop } from './kafkajs-request-queue.fix';

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}
type RequestQueueClass = new (options: Record<string, unknown>) => RequestQueue;

const RequestQueueOfKafkajs = createRequire(require.resolve('kafkajs'))(
  './src/network/requestQueue',
) as RequestQueueClass;

const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

function newQueue(): RequestQueue {
  return new RequestQueueOfKafkajs({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: 'localhost:9092',
    logger: silentLogger,
  });
}

describe('fixKafkajsIdleTimerLoop (kafkajs issue #1704)', () => {
  beforeAll(() => fixKafkajsIdleTimerLoop());

  it('arms no timer once the queue has checked itself with nothing pending or throttled', () => {
    const queue = newQueue();
    queue.checkPendingRequests();
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('still schedules a check while a request waits in the queue', () => {
    const queue = newQueue();
    queue.pending.push({ waiting: true });
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(queue.throttleCheckTimeoutId ?? undefined);
  });

  it('still schedules a check while the broker throttles the client', () => {
    const queue = newQueue();
    queue.throttledUntil = Date.now() + 5_000;
    queue.scheduleCheckPendingRequests();
    expect(queue.throttleCheckTimeoutId).not.toBeNull();
    clearTimeout(queue.throttleCheckTimeoutId ?? undefined);
  });

  it('applies once however often it is called', () => {
    const prototype = RequestQueueOfKafkajs.prototype;
    const fixed = prototype.scheduleCheckPendingRequests;
    fixKafkajsIdleTimerLoop();
    expect(prototype.scheduleCheckPendingRequests).toBe(fixed);
  });
});
