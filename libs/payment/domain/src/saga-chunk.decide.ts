import type { PaymentCommand } from './payment.command';
import { decide } from './payment.decide';
import { PaymentError } from './payment.error';
import type { PaymentEvent } from './payment.event';
import { evolve } from './payment.evolve';
import type { PaymentState } from './payment.state';

/** What one consumed event asks of one payment. */
export interface SagaCommand {
  /** The id of the event the command comes from: the one to dead-letter when it can never apply. */
  readonly eventId: string;
  readonly paymentId: string;
  readonly command: PaymentCommand;
  /** The merchant the event says the payment belongs to, when it says one. */
  readonly expectedMerchantId?: string;
  /** Trace context of the event, continued by the events its command publishes. */
  readonly traceparent?: string;
}

/** One command that changed its payment: the state right after it, and what it appended. */
export interface SagaEffect {
  readonly cause: SagaCommand;
  readonly after: PaymentState;
  readonly events: readonly PaymentEvent[];
}

/** Everything a chunk did to one payment, from its stored state to its state after the last command. */
export interface PaymentChange {
  readonly before: PaymentState;
  readonly after: PaymentState;
  /** Appended in this order, versions before.version + 1, + 2, … */
  readonly events: readonly PaymentEvent[];
}

export interface ChunkDecision {
  /** Only payments that got new events, by payment id. */
  readonly changes: ReadonlyMap<string, PaymentChange>;
  /** In command order; commands that repeated a known fact have none. */
  readonly effects: readonly SagaEffect[];
}

/** A command its payment can never accept: `eventId` names the event it came from. */
export class SagaCommandRejectedError extends Error {
  override readonly name = 'SagaCommandRejectedError';

  constructor(
    readonly eventId: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

function rejected(cause: SagaCommand, reason: string, error?: unknown): SagaCommandRejectedError {
  return new SagaCommandRejectedError(
    cause.eventId,
    `event ${cause.eventId} for payment ${cause.paymentId}: ${reason}`,
    error === undefined ? undefined : { cause: error },
  );
}

/** The events of one command against `state`, or a SagaCommandRejectedError naming the command's event. */
function eventsOf(state: PaymentState | undefined, cause: SagaCommand): PaymentEvent[] {
  if (
    state !== undefined &&
    cause.expectedMerchantId !== undefined &&
    state.merchantId !== cause.expectedMerchantId
  ) {
    throw rejected(
      cause,
      `the payment belongs to another merchant than the event says (${cause.expectedMerchantId})`,
    );
  }
  try {
    return decide(state, cause.command);
  } catch (error) {
    if (error instanceof PaymentError) throw rejected(cause, `${error.code}: ${error.message}`, error);
    throw error;
  }
}

/**
 * Applies a chunk's commands in their order to the stored states (`stored`: payment id → state;
 * a payment missing from it does not exist), each command deciding on the state the ones before it
 * left, so several commands on one payment fold in sequence. Pure: nothing is written here.
 * Throws a SagaCommandRejectedError naming the first event its payment can never accept.
 */
export function decideChunk(
  stored: ReadonlyMap<string, PaymentState>,
  commands: readonly SagaCommand[],
): ChunkDecision {
  const current = new Map(stored);
  const changes = new Map<string, PaymentChange>();
  const effects: SagaEffect[] = [];
  for (const cause of commands) {
    const before = current.get(cause.paymentId);
    const events = eventsOf(before, cause);
    if (events.length === 0) continue;
    const after = events.reduce<PaymentState | undefined>(evolve, before);
    // Only RequestPayment starts from no state, and the saga never sends it.
    if (before === undefined || after === undefined) {
      throw new Error(`payment ${cause.paymentId}: ${cause.command.kind} decided on no state`);
    }
    current.set(cause.paymentId, after);
    const change = changes.get(cause.paymentId);
    changes.set(cause.paymentId, {
      before: change?.before ?? before,
      after,
      events: [...(change?.events ?? []), ...events],
    });
    effects.push({ cause, after, events });
  }
  return { changes, effects };
}

/** The orders a change touched: evolve keeps the object of an order it did not change. */
export function changedOrdersOf(change: PaymentChange): PaymentState['orders'] {
  return change.after.orders.filter((order, index) => change.before.orders[index] !== order);
}
