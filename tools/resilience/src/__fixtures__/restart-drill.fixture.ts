import type { InvariantResult } from '../borrowed-tool-parts';
import type { FinalPayments } from '../restart-drill.figures';
import type { DrillObservations, ServiceRestart } from '../restart-drill.observations';
import type { DrillCheckout } from '@keel/traffic';

/** A checkout sent at `sentAtMs` and accepted as `paymentId`. */
export function accepted(sentAtMs: number, paymentId: string): DrillCheckout {
  return {
    sentAtMs,
    answer: {
      idempotencyKey: `key_${paymentId}`,
      checkoutId: `resilience-key_${paymentId}`,
      httpStatus: 202,
      paymentId,
      answeredAtMs: sentAtMs + 20,
    },
  };
}

/** A checkout refused with `httpStatus` and, if given, a problem type under keel.dev/problems. */
export function refused(sentAtMs: number, httpStatus: number, problemCode?: string): DrillCheckout {
  return {
    sentAtMs,
    answer: {
      idempotencyKey: `key_refused_${sentAtMs}`,
      checkoutId: `resilience-key_refused_${sentAtMs}`,
      httpStatus,
      ...(problemCode === undefined ? {} : { problemType: `https://keel.dev/problems/${problemCode}` }),
      answeredAtMs: sentAtMs + 5,
    },
  };
}

/** A checkout that got no answer: its connection reset 3 ms after it was sent, unless told another cause. */
export function unanswered(
  sentAtMs: number,
  checkoutId = `resilience-key_lost_${sentAtMs}`,
  failure = 'ECONNRESET',
): DrillCheckout {
  return {
    sentAtMs,
    answer: {
      idempotencyKey: checkoutId.slice(11),
      checkoutId,
      failure,
      answeredAtMs: sentAtMs + (failure === 'timeout' ? 30_000 : 3),
    },
  };
}

export function finalPayments(
  statuses: Readonly<Record<string, string>>,
  heldCheckoutIds: readonly string[] = [],
): FinalPayments {
  return { statusById: new Map(Object.entries(statuses)), heldCheckoutIds: new Set(heldCheckoutIds) };
}

/** A restart of a service's first instance whose signal went at `signalAtMs`, back 3 s later, partitions 1 s after that. */
export function restartAt(
  service: ServiceRestart['service'],
  signalAtMs: number,
  overrides: Partial<ServiceRestart> = {},
): ServiceRestart {
  return {
    service,
    instance: service,
    signal: 'SIGTERM',
    signalAtMs,
    exitedAtMs: signalAtMs + 500,
    forcedAfterGrace: false,
    startedAtMs: signalAtMs + 500,
    readyAtMs: signalAtMs + 3_000,
    ...(service === 'reconciliation' || service === 'ops'
      ? {}
      : { assignment: { kind: 'met', afterMs: 1_000 } }),
    ...overrides,
  };
}

export function passingInvariants(): InvariantResult[] {
  return ['I1', 'I2'].map((invariant) => ({
    invariant: invariant as InvariantResult['invariant'],
    title: `${invariant} holds`,
    passed: true,
    checked: 10,
    offending: [],
    offendingCount: 0,
    detail: '',
  }));
}

/**
 * A drill where everything recovered in time: (a) from 10,000 to 40,000 ms, (b) one kill a
 * 10,000 ms window from 50,000 ms, (c) from 100,000 to 110,000 ms; quiet traffic in between.
 */
export function recoveredDrill(): DrillObservations {
  const services = ['payment', 'executor', 'wallet', 'ledger', 'reconciliation', 'ops'] as const;
  const kills = ['executor', 'wallet', 'ledger', 'payment'] as const;
  return {
    rolling: {
      restarts: services.map((service, index) => restartAt(service, 10_000 + index * 5_000)),
      terminal: { kind: 'terminal', afterMs: 2_000, payments: 100 },
      endMs: 40_000,
    },
    kills: kills.map((service, index) => ({
      restart: restartAt(service, 50_000 + index * 10_000, { signal: 'SIGKILL' }),
      terminal: { kind: 'terminal', afterMs: 4_000, payments: 100 },
      endMs: 50_000 + index * 10_000 + 9_000,
    })),
    broker: {
      stopAtMs: 100_000,
      backAtMs: 104_000,
      note: 'broker stopped by SIGTERM in 900 ms',
      resumes: kills.map((service) => ({
        service,
        instance: service,
        assignment: { kind: 'met', afterMs: 1_500 },
        applying: { kind: 'met', afterMs: 2_000 },
      })),
      terminal: { kind: 'terminal', afterMs: 3_000, payments: 200 },
      endMs: 110_000,
    },
  };
}
