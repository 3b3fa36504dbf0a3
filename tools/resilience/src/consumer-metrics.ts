import { setTimeout as sleep } from 'node:timers/promises';
import { sumOfMetric } from '@keel/testing';

/** Partitions a service's consumers hold, per topic; > 0 summed over topics means assigned. */
export const ASSIGNED_PARTITIONS_METRIC = 'keel_consumer_assigned_partitions';
/** Events a service's inbox applied; it grows again once a consumer is back at work. */
export const INBOX_APPLIED_METRIC = 'keel_inbox_applied_total';

const POLL_INTERVAL_MS = 200;
const READ_TIMEOUT_MS = 2_000;

/** What one read of a service's /metrics says about its consumers. */
export interface ConsumerReading {
  /** False when the service does not export the assignment gauge at all (then it is not measured). */
  readonly assignmentExported: boolean;
  readonly assignedPartitions: number;
  readonly appliedEvents: number;
}

/** A wait for a consumer condition: met `afterMs` after the moment it was measured from, or not. */
export type ConsumerWait =
  | { readonly kind: 'met'; readonly afterMs: number }
  | { readonly kind: 'timed-out'; readonly waitedMs: number }
  | { readonly kind: 'not-measured' };

export function consumerReading(exposition: string): ConsumerReading {
  return {
    assignmentExported: exposition.includes(`# TYPE ${ASSIGNED_PARTITIONS_METRIC} `),
    assignedPartitions: sumOfMetric(exposition, ASSIGNED_PARTITIONS_METRIC) ?? 0,
    appliedEvents: sumOfMetric(exposition, INBOX_APPLIED_METRIC) ?? 0,
  };
}

/** `Authorization` of a viewer for each read of /metrics (a fresh operator token each time). */
export type OperatorAuthorization = () => string;

async function readConsumer(
  serviceUrl: string,
  authorization: OperatorAuthorization,
): Promise<ConsumerReading | undefined> {
  try {
    const response = await fetch(`${serviceUrl}/metrics`, {
      headers: { authorization: authorization() },
      signal: AbortSignal.timeout(READ_TIMEOUT_MS),
    });
    return response.ok ? consumerReading(await response.text()) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads /metrics until `met` says yes (at most `timeoutMs` from `sinceMs`); a condition that needs
 * the assignment gauge is not measured when the first reading shows the service does not export it.
 */
async function pollConsumer(
  serviceUrl: string,
  authorization: OperatorAuthorization,
  sinceMs: number,
  timeoutMs: number,
  met: (reading: ConsumerReading) => boolean | 'not-measured',
): Promise<ConsumerWait> {
  while (true) {
    const reading = await readConsumer(serviceUrl, authorization);
    const nowMs = Date.now();
    const verdict = reading === undefined ? false : met(reading);
    if (verdict === 'not-measured') return { kind: 'not-measured' };
    if (verdict) return { kind: 'met', afterMs: Math.max(0, nowMs - sinceMs) };
    if (nowMs - sinceMs >= timeoutMs) return { kind: 'timed-out', waitedMs: nowMs - sinceMs };
    await sleep(POLL_INTERVAL_MS);
  }
}

/** From `sinceMs` (the service answered ready) until its consumers hold partitions again. */
export function waitForAssignment(
  serviceUrl: string,
  authorization: OperatorAuthorization,
  sinceMs: number,
  timeoutMs: number,
): Promise<ConsumerWait> {
  return pollConsumer(serviceUrl, authorization, sinceMs, timeoutMs, (reading) =>
    reading.assignmentExported ? reading.assignedPartitions > 0 : 'not-measured',
  );
}

/**
 * From `sinceMs` (the broker answered again) until the service's consumers hold partitions and its
 * inbox has applied events beyond what its first reading showed: both waits, side by side.
 */
export async function waitForResume(
  serviceUrl: string,
  authorization: OperatorAuthorization,
  sinceMs: number,
  timeoutMs: number,
): Promise<{ assignment: ConsumerWait; applying: ConsumerWait }> {
  let appliedAtFirstReading: number | undefined;
  const appliesAgain = (reading: ConsumerReading): boolean => {
    if (appliedAtFirstReading === undefined) {
      appliedAtFirstReading = reading.appliedEvents;
      return false;
    }
    return reading.appliedEvents > appliedAtFirstReading;
  };
  const [assignment, applying] = await Promise.all([
    waitForAssignment(serviceUrl, authorization, sinceMs, timeoutMs),
    pollConsumer(serviceUrl, authorization, sinceMs, timeoutMs, appliesAgain),
  ]);
  return { assignment, applying };
}
