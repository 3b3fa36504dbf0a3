import { percentile } from '@keel/traffic';
import type { ChargeTruth, PaymentTally, SimulatorCharge } from './drill';
import type { ExecutorAttempt, ExecutorOrder } from './executor-orders';

const TERMINAL_ORDER_STATUSES: ReadonlySet<string> = new Set(['succeeded', 'declined', 'failed']);
const UNANSWERED: ReadonlySet<string> = new Set(['unknown_outcome', 'unavailable']);
const FINAL_OUTCOMES: ReadonlySet<string> = new Set(['succeeded', 'declined']);

export interface ChargeThenTimeoutSettings {
  /** `lost`: acme's webhooks never reach the executor (refused), so only inquiries can settle. */
  readonly acmeWebhooks: 'lost' | 'delivered';
  readonly ratePerSecond: number;
  readonly durationS: number;
  readonly chargeThenTimeoutRate: number;
  readonly pspTimeoutMs: number;
  readonly simHangMs: number;
}

export interface ChargeThenTimeoutFigures extends ChargeThenTimeoutSettings, ChargeTruth {
  readonly payments: PaymentTally;
  readonly ordersExamined: number;
  readonly ordersByStatus: Readonly<Record<string, number>>;
  /** Orders with a charge attempt whose outcome the executor recorded as `unknown_outcome`. */
  readonly timedOutOrders: number;
  readonly timeoutErrorCodes: Readonly<Record<string, number>>;
  /** Status inquiries made for the timed-out orders, and how many of those got no answer either. */
  readonly inquiries: { readonly made: number; readonly unanswered: number };
  /** Which PSP call settled each timed-out order; `other` = no call did (a webhook) or not settled. */
  readonly resolvedBy: { readonly inquiry: number; readonly charge: number; readonly other: number };
  readonly ordersInUnknown: number;
  readonly ordersNotTerminal: number;
  /** Terminal orders whose status disagrees with the simulator (succeeded ⇔ an approved charge). */
  readonly wrongTerminalState: number;
  /** Simulator charges asked for more than once with the same key (absorbed by idempotency). */
  readonly repeatedChargeRequests: number;
  /** Timed-out charge sent → order terminal, over the timed-out orders. */
  readonly chargeToTerminalMs: { readonly median: number; readonly max: number } | undefined;
}

const count = (values: readonly string[]): Record<string, number> =>
  values.reduce<Record<string, number>>(
    (counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }),
    {},
  );

const timedOutCharge = (order: ExecutorOrder): ExecutorAttempt | undefined =>
  order.attempts.find((attempt) => attempt.kind === 'charge' && attempt.outcome === 'unknown_outcome');

const inquiriesOf = (timedOut: readonly { order: ExecutorOrder }[]): ExecutorAttempt[] =>
  timedOut.flatMap(({ order }) => order.attempts.filter((attempt) => attempt.kind === 'inquiry'));

function settledBy(order: ExecutorOrder): 'inquiry' | 'charge' | 'other' {
  const settling = [...order.attempts].reverse().find((attempt) => FINAL_OUTCOMES.has(attempt.outcome ?? ''));
  return TERMINAL_ORDER_STATUSES.has(order.status) && settling !== undefined ? settling.kind : 'other';
}

export function chargeThenTimeoutFigures(
  settings: ChargeThenTimeoutSettings,
  payments: PaymentTally,
  orders: readonly ExecutorOrder[],
  charges: readonly SimulatorCharge[],
  truth: ChargeTruth,
): ChargeThenTimeoutFigures {
  const approvedKeys = new Set(
    charges.filter((charge) => charge.status === 'approved').map((c) => c.idempotencyKey),
  );
  const terminal = orders.filter((order) => TERMINAL_ORDER_STATUSES.has(order.status));
  const timedOut = orders.flatMap((order) => {
    const charge = timedOutCharge(order);
    return charge === undefined ? [] : [{ order, charge }];
  });
  const delaysMs = timedOut
    .flatMap(({ order, charge }) =>
      order.completedAt === undefined ? [] : [Date.parse(order.completedAt) - Date.parse(charge.startedAt)],
    )
    .sort((a, b) => a - b);
  const resolvedBy = count(timedOut.map(({ order }) => settledBy(order)));
  return {
    ...settings,
    ...truth,
    payments,
    ordersExamined: orders.length,
    ordersByStatus: count(orders.map((order) => order.status)),
    timedOutOrders: timedOut.length,
    timeoutErrorCodes: count(timedOut.map(({ charge }) => charge.errorCode ?? 'none')),
    inquiries: {
      made: inquiriesOf(timedOut).length,
      unanswered: inquiriesOf(timedOut).filter((attempt) => UNANSWERED.has(attempt.outcome ?? '')).length,
    },
    resolvedBy: {
      inquiry: resolvedBy['inquiry'] ?? 0,
      charge: resolvedBy['charge'] ?? 0,
      other: resolvedBy['other'] ?? 0,
    },
    ordersInUnknown: orders.filter((order) => order.status === 'unknown').length,
    ordersNotTerminal: orders.length - terminal.length,
    wrongTerminalState: terminal.filter(
      (order) => (order.status === 'succeeded') !== approvedKeys.has(order.paymentOrderId),
    ).length,
    repeatedChargeRequests: charges.filter((charge) => charge.attempts > 1).length,
    chargeToTerminalMs:
      delaysMs.length === 0
        ? undefined
        : { median: percentile(delaysMs, 50) ?? 0, max: delaysMs[delaysMs.length - 1] ?? 0 },
  };
}

/** The scenario's promises: nothing charged twice, nothing left open, every order where the money is. */
export function chargeThenTimeoutPassed(figures: ChargeThenTimeoutFigures): boolean {
  return (
    figures.ordersChargedMoreThanOnce === 0 &&
    figures.ordersInUnknown === 0 &&
    figures.ordersNotTerminal === 0 &&
    figures.payments.notTerminal === 0 &&
    figures.wrongTerminalState === 0
  );
}
