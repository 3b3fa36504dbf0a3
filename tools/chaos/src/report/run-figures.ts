import { percentile } from '@keel/traffic';
import { FAULT_CLASSES, type FaultClass, type InjectedFault } from '../faults/fault';
import type { KeelPayment } from '../checker/chaos-facts';
import type { CheckoutRecord } from '../workload/checkout-client';

export interface FaultTally {
  readonly count: number;
  readonly errors: number;
  /** Faults that started after their moment, waiting for the fault before them on the same target. */
  readonly startedLate: number;
  /** The longest such wait, ms; 0 when none waited. */
  readonly maxStartDelayMs: number;
}

export interface PaymentFigures {
  /** Checkouts sent (each counted once, whatever its copies and retries). */
  readonly attempted: number;
  readonly accepted: number;
  readonly completed: number;
  readonly partiallyFailed: number;
  readonly failed: number;
  /** Failed payments whose every order the PSP declined: a business outcome, not a fault. */
  readonly declined: number;
  readonly notTerminal: number;
  /** Checkouts no client got a 2xx for. */
  readonly rejected: number;
  /** Of the rejected, those last refused with `method_unavailable`: no PSP could take the method. */
  readonly rejectedMethodUnavailable: number;
  /** accepted ÷ (attempted − rejectedMethodUnavailable): how often checkout stayed open for business. */
  readonly acceptedShare: number;
}

/** A refusal that is the PSPs' outage reaching the buyer, not Keel closing checkout. */
export const METHOD_UNAVAILABLE_PROBLEM = 'https://keel.dev/problems/method_unavailable';

function lastProblemType(record: CheckoutRecord): string | undefined {
  return [...record.attempts].reverse().find((attempt) => attempt.problemType !== undefined)?.problemType;
}

export interface ClientFigures {
  readonly requests: number;
  readonly retries: number;
  readonly concurrentDuplicates: number;
  readonly timeouts: number;
  readonly networkErrors: number;
  readonly statusCounts: Readonly<Record<string, number>>;
  /** Latency of answered requests, ms. */
  readonly latencyMs: {
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly max: number;
  };
}

export function faultTally(injected: readonly InjectedFault[]): Record<FaultClass, FaultTally> {
  const tally = Object.fromEntries(
    FAULT_CLASSES.map((faultClass) => [
      faultClass,
      { count: 0, errors: 0, startedLate: 0, maxStartDelayMs: 0 },
    ]),
  ) as Record<FaultClass, { -readonly [key in keyof FaultTally]: number }>;
  for (const fault of injected) {
    const classTally = tally[fault.faultClass];
    classTally.count += 1;
    if (fault.error !== undefined) classTally.errors += 1;
    if (fault.startDelayMs !== undefined) {
      classTally.startedLate += 1;
      classTally.maxStartDelayMs = Math.max(classTally.maxStartDelayMs, fault.startDelayMs);
    }
  }
  return tally;
}

export function paymentFigures(
  checkouts: readonly CheckoutRecord[],
  payments: readonly KeelPayment[],
): PaymentFigures {
  const byId = new Map(payments.map((payment) => [payment.id, payment] as const));
  const accepted = checkouts.flatMap((record) => {
    const payment = record.paymentId === undefined ? undefined : byId.get(record.paymentId);
    return record.paymentId === undefined ? [] : [payment];
  });
  const rejected = checkouts.filter((record) => record.paymentId === undefined);
  const rejectedMethodUnavailable = rejected.filter(
    (record) => lastProblemType(record) === METHOD_UNAVAILABLE_PROBLEM,
  ).length;
  const withStatus = (status: string) => accepted.filter((payment) => payment?.status === status);
  const failed = withStatus('failed');
  return {
    attempted: checkouts.length,
    accepted: accepted.length,
    completed: withStatus('completed').length,
    partiallyFailed: withStatus('partially_failed').length,
    failed: failed.length,
    declined: failed.filter((payment) => payment?.orders.every((order) => order.status === 'declined'))
      .length,
    notTerminal: accepted.filter(
      (payment) =>
        payment === undefined || !['completed', 'failed', 'partially_failed'].includes(payment.status),
    ).length,
    rejected: rejected.length,
    rejectedMethodUnavailable,
    acceptedShare: accepted.length / Math.max(1, checkouts.length - rejectedMethodUnavailable),
  };
}

export function clientFigures(checkouts: readonly CheckoutRecord[]): ClientFigures {
  const attempts = checkouts.flatMap((record) => record.attempts);
  const statusCounts: Record<string, number> = {};
  for (const attempt of attempts)
    statusCounts[String(attempt.status)] = (statusCounts[String(attempt.status)] ?? 0) + 1;
  const answered = attempts
    .filter((attempt) => typeof attempt.status === 'number')
    .map((attempt) => attempt.latencyMs)
    .sort((left, right) => left - right);
  return {
    requests: attempts.length,
    retries: attempts.filter((attempt) => attempt.attempt > 1).length,
    concurrentDuplicates: checkouts.filter((record) => record.planned.concurrentCopies > 1).length,
    timeouts: statusCounts['timeout'] ?? 0,
    networkErrors: statusCounts['network_error'] ?? 0,
    statusCounts,
    latencyMs: {
      p50: percentile(answered, 50) ?? 0,
      p95: percentile(answered, 95) ?? 0,
      p99: percentile(answered, 99) ?? 0,
      max: answered.at(-1) ?? 0,
    },
  };
}
