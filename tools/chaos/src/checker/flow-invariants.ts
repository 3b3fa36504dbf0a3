import type { ChaosFacts, KeelPayment } from './chaos-facts';
import { invariantResult, type InvariantResult } from './invariant-result';

export const TERMINAL_PAYMENT_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'partially_failed',
]);

/** Payment ids some client got a 2xx for: what Keel accepted. */
export function acceptedPaymentIds(facts: ChaosFacts): Set<string> {
  return new Set(facts.checkouts.flatMap((checkout) => checkout.answeredPaymentIds));
}

/** How long after the later of its creation and the end of the faults a payment became terminal. */
function msPastFaults(payment: KeelPayment, faultsEndedAtMs: number): number {
  return Date.parse(payment.updatedAt) - Math.max(faultsEndedAtMs, Date.parse(payment.createdAt));
}

export function checkTerminalInBound(facts: ChaosFacts, terminalBoundMs: number): InvariantResult {
  const payments = new Map(facts.payments.map((payment) => [payment.id, payment] as const));
  // Accepted by a 2xx, or held by Keel for a checkout whose answer the client lost.
  const accepted = [...new Set([...acceptedPaymentIds(facts), ...payments.keys()])];
  const late: string[] = [];
  let slowest: { id: string; ms: number } | undefined;
  for (const id of accepted) {
    const payment = payments.get(id);
    if (payment === undefined || !TERMINAL_PAYMENT_STATUSES.has(payment.status)) {
      late.push(id);
      continue;
    }
    const ms = msPastFaults(payment, facts.faultsEndedAtMs);
    if (ms > terminalBoundMs) late.push(id);
    if (slowest === undefined || ms > slowest.ms) slowest = { id, ms };
  }
  const slowestText =
    slowest === undefined
      ? 'none terminal'
      : `slowest ${slowest.id}, ${Math.max(0, slowest.ms)} ms after faults stopped`;
  return invariantResult(
    'I7',
    `every accepted payment (a 2xx, or held by Keel) terminal within ${terminalBoundMs} ms of the faults stopping`,
    accepted.length,
    late,
    `${late.length} payments not terminal in time; ${slowestText}`,
  );
}

export function checkIdempotentRequests(facts: ChaosFacts): InvariantResult {
  const knownOrderIds = new Set(facts.payments.flatMap((payment) => payment.orders.map((order) => order.id)));
  const keysOffending = facts.checkouts
    .filter((checkout) => {
      const answered = new Set(checkout.answeredPaymentIds);
      const listed = checkout.listedPaymentIds;
      const answeredNotListed = [...answered].some((id) => !listed.includes(id));
      return listed.length > 1 || answered.size > 1 || answeredNotListed;
    })
    .map((checkout) => checkout.idempotencyKey);
  const unknownCharges = facts.simulatorCharges.filter((charge) => !knownOrderIds.has(charge.idempotencyKey));
  return invariantResult(
    'I8',
    'one payment per idempotency key, one payment id in every 2xx, no PSP charge for an unknown order',
    facts.checkouts.length,
    [...keysOffending, ...unknownCharges.map((charge) => charge.idempotencyKey)],
    `${keysOffending.length} keys with several payments or payment ids, ` +
      `${unknownCharges.length} psp-sim charges for orders Keel does not hold`,
  );
}
