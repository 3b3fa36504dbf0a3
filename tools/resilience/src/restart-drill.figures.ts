import type { KeelServiceName } from '@keel/local-system';
import { PROBLEM_TYPE_BASE_URI } from '@keel/observability';
import { TERMINAL_PAYMENT_STATUSES, type DrillCheckout, type TerminalWait } from '@keel/traffic';
import type { InvariantResult } from './borrowed-tool-parts';
import type { ConsumerWait } from './consumer-metrics';
import type { DrillObservations, ServiceRestart } from './restart-drill.observations';

/** The acceptance targets (issue 13), in milliseconds and shares. */
export const TARGETS = {
  rollingTerminalMs: 10_000,
  killAssignedMs: 5_000,
  killTerminalMs: 15_000,
  executorRefusedShareMax: 0.01,
  brokerResumeMs: 10_000,
} as const;

/** What happened to the checkouts sent in one window, by the client's account and Keel's. */
export interface CheckoutCounts {
  readonly sent: number;
  /** Answered 202. */
  readonly accepted: number;
  /** Answered anything else (4xx/5xx), and how many by `<status> <problem type>`. */
  readonly refused: number;
  readonly refusedBy: Readonly<Record<string, number>>;
  /** No answer: connection refused or reset, or no answer in time; and how many by cause. */
  readonly failed: number;
  readonly failedBy: Readonly<Record<string, number>>;
  /** Of the failed, those Keel made a payment for all the same (the answer was lost). */
  readonly failedButHeld: number;
  /** Accepted, and not terminal when the drill ended (after the quiescence wait). */
  readonly lost: number;
}

/** Keel's final account of the drill's payments, read once the system settled. */
export interface FinalPayments {
  readonly statusById: ReadonlyMap<string, string>;
  /** The checkout ids Keel holds a payment for. */
  readonly heldCheckoutIds: ReadonlySet<string>;
}

/** One checkout that got no answer: when it went, how long until it failed, why, in which window. */
export interface UnansweredCheckout {
  readonly window: string;
  readonly sentAtMs: number;
  readonly failedAfterMs: number;
  readonly failure: string;
  /** Keel made a payment for it all the same (the answer was lost, not the request). */
  readonly held: boolean;
}

export type Verdict = 'PASS' | 'FAIL' | 'NOT MEASURED';

export interface TargetResult {
  readonly step: string;
  readonly target: string;
  readonly measured: string;
  readonly verdict: Verdict;
}

export interface RestartRow {
  readonly restart: ServiceRestart;
  readonly counts: CheckoutCounts;
}

export interface KillRow extends RestartRow {
  readonly terminal: TerminalWait;
}

/** Checkouts sent between steps, named after the step before them (`after (b) wallet`). */
export interface QuietSegment {
  readonly label: string;
  readonly counts: CheckoutCounts;
}

export interface RestartDrillFigures {
  readonly rolling: {
    readonly rows: readonly RestartRow[];
    readonly counts: CheckoutCounts;
    readonly terminal: TerminalWait;
  };
  readonly kills: readonly KillRow[];
  readonly broker: DrillObservations['broker'] & { readonly counts: CheckoutCounts };
  /** Checkouts sent outside every step's window: before the first, between steps, after the last. */
  readonly quiet: readonly QuietSegment[];
  readonly quietTotal: CheckoutCounts;
  readonly overall: CheckoutCounts;
  /** Every checkout with no answer, in send order. */
  readonly unanswered: readonly UnansweredCheckout[];
  readonly invariants: readonly InvariantResult[];
  readonly targets: readonly TargetResult[];
  readonly passed: boolean;
}

const refusalKey = (status: number, problemType: string | undefined): string =>
  `${status} ${problemType === undefined ? '(no problem type)' : problemType.replace(PROBLEM_TYPE_BASE_URI, '')}`;

const UNKNOWN_FAILURE = 'cause not recorded';

export function countCheckouts(checkouts: readonly DrillCheckout[], final: FinalPayments): CheckoutCounts {
  const refusedBy: Record<string, number> = {};
  const failedBy: Record<string, number> = {};
  let accepted = 0;
  let refused = 0;
  let failed = 0;
  let failedButHeld = 0;
  let lost = 0;
  for (const { answer } of checkouts) {
    if (answer?.paymentId !== undefined) {
      accepted += 1;
      if (!TERMINAL_PAYMENT_STATUSES.has(final.statusById.get(answer.paymentId) ?? '')) lost += 1;
    } else if (answer?.httpStatus !== undefined) {
      refused += 1;
      const key = refusalKey(answer.httpStatus, answer.problemType);
      refusedBy[key] = (refusedBy[key] ?? 0) + 1;
    } else {
      failed += 1;
      const cause = answer?.failure ?? UNKNOWN_FAILURE;
      failedBy[cause] = (failedBy[cause] ?? 0) + 1;
      if (answer !== undefined && final.heldCheckoutIds.has(answer.checkoutId)) failedButHeld += 1;
    }
  }
  return { sent: checkouts.length, accepted, refused, refusedBy, failed, failedBy, failedButHeld, lost };
}

function unansweredCheckouts(
  checkouts: readonly DrillCheckout[],
  final: FinalPayments,
  windows: readonly StepWindow[],
): UnansweredCheckout[] {
  return checkouts
    .filter((checkout) => checkout.answer?.httpStatus === undefined)
    .map((checkout) => ({
      window:
        windows.find((window) => checkout.sentAtMs >= window.fromMs && checkout.sentAtMs < window.toMs)
          ?.label ?? 'outside every window',
      sentAtMs: checkout.sentAtMs,
      failedAfterMs: (checkout.answer?.answeredAtMs ?? checkout.sentAtMs) - checkout.sentAtMs,
      failure: checkout.answer?.failure ?? UNKNOWN_FAILURE,
      held: checkout.answer !== undefined && final.heldCheckoutIds.has(checkout.answer.checkoutId),
    }))
    .sort((left, right) => left.sentAtMs - right.sentAtMs);
}

const sentIn = (checkouts: readonly DrillCheckout[], fromMs: number, toMs: number): DrillCheckout[] =>
  checkouts.filter((checkout) => checkout.sentAtMs >= fromMs && checkout.sentAtMs < toMs);

export const seconds = (ms: number): string => `${(ms / 1_000).toFixed(1)} s`;
export const share = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(2)} %`;

export function consumerWaitText(wait: ConsumerWait | undefined): string {
  if (wait === undefined) return 'no consumer';
  switch (wait.kind) {
    case 'met':
      return seconds(wait.afterMs);
    case 'timed-out':
      return `not within ${seconds(wait.waitedMs)}`;
    case 'not-measured':
      return 'not measured';
  }
}

export function terminalWaitText(wait: TerminalWait): string {
  switch (wait.kind) {
    case 'terminal':
      return `${seconds(wait.afterMs)} (${wait.payments} payments)`;
    case 'timed-out':
      return `not within ${seconds(wait.waitedMs)} (${wait.open} of ${wait.payments} open)`;
  }
}

const verdictOf = (passed: boolean): Verdict => (passed ? 'PASS' : 'FAIL');

function withinMs(wait: ConsumerWait | TerminalWait | undefined, boundMs: number): Verdict {
  if (wait === undefined || wait.kind === 'not-measured') return 'NOT MEASURED';
  if (wait.kind === 'timed-out') return 'FAIL';
  return verdictOf(wait.afterMs <= boundMs);
}

/** A count, and what the quiet traffic right after the step added, if anything. */
const withAfter = (count: number, after: number): string =>
  after === 0 ? String(count) : `${count} (${after} more in the quiet traffic after)`;

function rollingTargets(rolling: RestartDrillFigures['rolling'], after: CheckoutCounts): TargetResult[] {
  const step = '(a) rolling restart';
  const { counts } = rolling;
  return [
    {
      step,
      target: '0 checkouts refused',
      measured: withAfter(counts.refused, after.refused),
      verdict: verdictOf(counts.refused === 0),
    },
    {
      step,
      target: '0 checkouts failed',
      measured: withAfter(counts.failed, after.failed),
      verdict: verdictOf(counts.failed === 0),
    },
    {
      step,
      target: '0 checkouts lost',
      measured: withAfter(counts.lost, after.lost),
      verdict: verdictOf(counts.lost === 0),
    },
    {
      step,
      target: `every payment terminal ≤ ${seconds(TARGETS.rollingTerminalMs)} after the last restart`,
      measured: terminalWaitText(rolling.terminal),
      verdict: withinMs(rolling.terminal, TARGETS.rollingTerminalMs),
    },
  ];
}

function refusalTarget(
  step: string,
  service: KeelServiceName,
  counts: CheckoutCounts,
  after: CheckoutCounts,
): TargetResult[] {
  if (service === 'wallet' || service === 'ledger')
    return [
      {
        step,
        target: '0 checkouts refused',
        measured: withAfter(counts.refused, after.refused),
        verdict: verdictOf(counts.refused === 0),
      },
    ];
  if (service === 'executor')
    return [
      {
        step,
        target: `≤ ${share(TARGETS.executorRefusedShareMax, 1)} of checkouts refused`,
        measured: `${withAfter(counts.refused, after.refused)} of ${counts.sent} (${share(counts.refused, counts.sent)})`,
        verdict: verdictOf(counts.refused <= TARGETS.executorRefusedShareMax * counts.sent),
      },
    ];
  return [];
}

function killTargets(row: KillRow, after: CheckoutCounts): TargetResult[] {
  const step = `(b) SIGKILL ${row.restart.service}`;
  return [
    ...refusalTarget(step, row.restart.service, row.counts, after),
    {
      step,
      target: `partitions assigned ≤ ${seconds(TARGETS.killAssignedMs)} after it is back`,
      measured: consumerWaitText(row.restart.assignment),
      verdict: withinMs(row.restart.assignment, TARGETS.killAssignedMs),
    },
    {
      step,
      target: `every accepted payment terminal ≤ ${seconds(TARGETS.killTerminalMs)} after it is back`,
      measured: terminalWaitText(row.terminal),
      verdict: withinMs(row.terminal, TARGETS.killTerminalMs),
    },
  ];
}

/**
 * A consumer service resumed when it holds partitions and applies again; the slowest decides. The
 * assignment gauge is left out where a service does not export it (and the figure says so).
 */
export function brokerResumeTarget(broker: DrillObservations['broker']): TargetResult {
  const waits = broker.resumes.flatMap((resume) =>
    resume.assignment.kind === 'not-measured' ? [resume.applying] : [resume.assignment, resume.applying],
  );
  const unmeasuredAssignment = broker.resumes.some((resume) => resume.assignment.kind === 'not-measured');
  const timedOut = waits.find((wait) => wait.kind === 'timed-out');
  const slowestMs = Math.max(0, ...waits.map((wait) => (wait.kind === 'met' ? wait.afterMs : 0)));
  const measured =
    (timedOut === undefined ? `slowest ${seconds(slowestMs)}` : consumerWaitText(timedOut)) +
    (unmeasuredAssignment ? ' (inbox applying again; assigned partitions not measured)' : '');
  return {
    step: '(c) broker restart',
    target: `every consumer service resumes ≤ ${seconds(TARGETS.brokerResumeMs)} after the broker answers`,
    measured,
    verdict: timedOut === undefined ? verdictOf(slowestMs <= TARGETS.brokerResumeMs) : 'FAIL',
  };
}

function invariantsTarget(invariants: readonly InvariantResult[]): TargetResult {
  const failed = invariants.filter((result) => !result.passed).map((result) => result.invariant);
  return {
    step: 'whole drill',
    target: 'every chaos-checker invariant (I1–I8) PASS',
    measured:
      failed.length === 0
        ? `${invariants.length} of ${invariants.length} PASS`
        : `FAIL: ${failed.join(', ')}`,
    verdict: verdictOf(invariants.length > 0 && failed.length === 0),
  };
}

interface StepWindow {
  readonly label: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** The gaps around and between the step windows (in time order), each named after the step before it. */
export function quietWindows(steps: readonly StepWindow[]): StepWindow[] {
  const first = steps[0];
  if (first === undefined) return [{ label: 'whole drill', fromMs: -Infinity, toMs: Infinity }];
  return [
    { label: `before ${first.label}`, fromMs: -Infinity, toMs: first.fromMs },
    ...steps.map((step, index) => ({
      label: `after ${step.label}`,
      fromMs: step.toMs,
      toMs: steps[index + 1]?.fromMs ?? Infinity,
    })),
  ];
}

/**
 * Each checkout goes to the window that holds its send time. A step's window runs from its signal
 * until `windowAfterBackMs` after the instance (or broker) is back; rolling-restart rows run from
 * one SIGTERM to the next. What falls between windows is quiet traffic.
 */
export function restartDrillFigures(
  observations: DrillObservations,
  checkouts: readonly DrillCheckout[],
  final: FinalPayments,
  invariants: readonly InvariantResult[],
  windowAfterBackMs: number,
): RestartDrillFigures {
  const { rolling, kills, broker } = observations;
  const count = (window: { fromMs: number; toMs: number }) =>
    countCheckouts(sentIn(checkouts, window.fromMs, window.toMs), final);
  const lastBackMs = rolling.restarts[rolling.restarts.length - 1]?.readyAtMs ?? rolling.endMs;
  const rollingWindow = {
    label: '(a)',
    fromMs: rolling.restarts[0]?.signalAtMs ?? rolling.endMs,
    toMs: lastBackMs + windowAfterBackMs,
  };
  const killWindows = kills.map((kill) => ({
    label: `(b) ${kill.restart.instance}`,
    fromMs: kill.restart.signalAtMs,
    toMs: kill.restart.readyAtMs + windowAfterBackMs,
  }));
  const brokerWindow = { label: '(c)', fromMs: broker.stopAtMs, toMs: broker.backAtMs + windowAfterBackMs };
  const rows = rolling.restarts.map((restart, index) => ({
    restart,
    counts: count({
      fromMs: restart.signalAtMs,
      toMs: rolling.restarts[index + 1]?.signalAtMs ?? rollingWindow.toMs,
    }),
  }));
  const killRows = kills.map((kill, index) => ({
    restart: kill.restart,
    terminal: kill.terminal,
    counts: count(killWindows[index] ?? rollingWindow),
  }));
  const quiet = quietWindows([rollingWindow, ...killWindows, brokerWindow]).map((window) => ({
    label: window.label,
    counts: count(window),
  }));
  const labelled = [
    ...rows.map((row, index) => ({
      label: `(a) ${row.restart.instance}`,
      fromMs: row.restart.signalAtMs,
      toMs: rolling.restarts[index + 1]?.signalAtMs ?? rollingWindow.toMs,
    })),
    ...killWindows,
    { ...brokerWindow, label: '(c) broker' },
    ...quietWindows([rollingWindow, ...killWindows, brokerWindow]).map((window) => ({
      ...window,
      label: `quiet, ${window.label}`,
    })),
  ];
  const quietAfter = (label: string): CheckoutCounts =>
    quiet.find((segment) => segment.label === `after ${label}`)?.counts ?? countCheckouts([], final);
  const figures = {
    rolling: { rows, counts: count(rollingWindow), terminal: rolling.terminal },
    kills: killRows,
    broker: { ...broker, counts: count(brokerWindow) },
    quiet,
    quietTotal: countCheckouts(
      checkouts.filter((checkout) =>
        [rollingWindow, ...killWindows, brokerWindow].every(
          (window) => checkout.sentAtMs < window.fromMs || checkout.sentAtMs >= window.toMs,
        ),
      ),
      final,
    ),
    overall: countCheckouts(checkouts, final),
    unanswered: unansweredCheckouts(checkouts, final, labelled),
    invariants,
  };
  const targets = [
    ...rollingTargets(figures.rolling, quietAfter(rollingWindow.label)),
    ...killRows.flatMap((row, index) => killTargets(row, quietAfter(killWindows[index]?.label ?? ''))),
    brokerResumeTarget(broker),
    invariantsTarget(invariants),
  ];
  return { ...figures, targets, passed: targets.every((target) => target.verdict !== 'FAIL') };
}
