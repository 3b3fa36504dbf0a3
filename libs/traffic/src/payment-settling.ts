import { setTimeout as sleep } from 'node:timers/promises';
import type { DrillCheckout } from './steady-traffic';

export const TERMINAL_PAYMENT_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'partially_failed',
]);

/** Where a drill sends and reads payments: the payment API and its merchant's API key. */
export interface DrillPaymentApi {
  readonly url: string;
  readonly apiKey: string;
}

/** How every payment accepted before a moment became terminal, or how many were still open. */
export type TerminalWait =
  | { readonly kind: 'terminal'; readonly afterMs: number; readonly payments: number }
  | {
      readonly kind: 'timed-out';
      readonly waitedMs: number;
      readonly payments: number;
      readonly open: number;
    };

/** Payments read at once: enough to keep up with the drill's rate, few enough not to load the API. */
const READS_AT_ONCE = 16;
const POLL_INTERVAL_MS = 500;
const READ_TIMEOUT_MS = 5_000;

export const isTerminal = (checkout: DrillCheckout): boolean =>
  TERMINAL_PAYMENT_STATUSES.has(checkout.status ?? '');

/**
 * The checkouts sent before `sinceMs`: whether any still waits for its answer, those accepted, and
 * those accepted but not terminal yet, oldest first.
 */
export function settlingState(
  checkouts: readonly DrillCheckout[],
  sinceMs: number,
): { unanswered: number; accepted: DrillCheckout[]; open: DrillCheckout[] } {
  const before = checkouts.filter((checkout) => checkout.sentAtMs < sinceMs);
  const accepted = before.filter((checkout) => checkout.answer?.paymentId !== undefined);
  return {
    unanswered: before.filter((checkout) => checkout.answer === undefined).length,
    accepted,
    open: accepted.filter((checkout) => !isTerminal(checkout)),
  };
}

/** From `sinceMs` to the moment the last of `accepted` became terminal (0 when all were before). */
export function lastTerminalAfterMs(accepted: readonly DrillCheckout[], sinceMs: number): number {
  const lastMs = accepted.reduce((latest, checkout) => Math.max(latest, checkout.updatedAtMs ?? 0), sinceMs);
  return lastMs - sinceMs;
}

async function readPayment(payment: DrillPaymentApi, checkout: DrillCheckout): Promise<void> {
  const response = await fetch(`${payment.url}/v1/payments/${checkout.answer?.paymentId ?? ''}`, {
    headers: { authorization: `Bearer ${payment.apiKey}` },
    signal: AbortSignal.timeout(READ_TIMEOUT_MS),
  }).catch(() => undefined);
  if (response === undefined || !response.ok) return;
  const body = (await response.json()) as { status: string; updatedAt: string };
  checkout.status = body.status;
  checkout.updatedAtMs = Date.parse(body.updatedAt);
}

/**
 * Reads the open payments oldest first, a few at a time, and stops at the first group that still
 * has one open: payments finish roughly in order, so a round costs a few reads while the system
 * is behind, and the whole backlog only once it has caught up.
 */
async function readOldestOpen(payment: DrillPaymentApi, open: readonly DrillCheckout[]): Promise<void> {
  for (let index = 0; index < open.length; index += READS_AT_ONCE) {
    const group = open.slice(index, index + READS_AT_ONCE);
    await Promise.all(group.map((checkout) => readPayment(payment, checkout)));
    if (group.some((checkout) => !isTerminal(checkout))) return;
  }
}

/**
 * Waits (at most `timeoutMs`) until every checkout sent before `sinceMs` is answered and every
 * accepted one is terminal, reading the payment API; says when the last one became terminal (its
 * `updatedAt`), so the figure does not depend on how often the drill reads.
 */
export async function waitUntilTerminal(
  payment: DrillPaymentApi,
  checkouts: readonly DrillCheckout[],
  sinceMs: number,
  timeoutMs: number,
): Promise<TerminalWait> {
  const deadlineMs = Date.now() + timeoutMs;
  while (true) {
    const state = settlingState(checkouts, sinceMs);
    if (state.unanswered === 0) await readOldestOpen(payment, state.open);
    const after = settlingState(checkouts, sinceMs);
    if (after.unanswered === 0 && after.open.length === 0)
      return {
        kind: 'terminal',
        afterMs: lastTerminalAfterMs(after.accepted, sinceMs),
        payments: after.accepted.length,
      };
    if (Date.now() >= deadlineMs)
      return {
        kind: 'timed-out',
        waitedMs: Date.now() - sinceMs,
        payments: after.accepted.length,
        open: after.open.length + after.unanswered,
      };
    await sleep(POLL_INTERVAL_MS);
  }
}
