// Only the Kafka clients under kafka/ still import backoff and sleep from here: they are being
// changed for throughput, and move to @keel/backoff and node:timers/promises with that change, when
// this file goes. Nothing here is an implementation of its own.
export { fullJitterDelayMs as backoffDelayMs, type BackoffSettings } from '@keel/backoff';
export { setTimeout as sleep } from 'node:timers/promises';
