import type { RequestPayment } from './payment.command';
import { decide } from './payment.decide';
import type { PaymentEvent } from './payment.event';
import { evolve } from './payment.evolve';
import type { PaymentState } from './payment.state';

/** A payment as its request decided it: the events to store and the state they fold to. */
export interface NewPayment {
  readonly events: readonly PaymentEvent[];
  readonly state: PaymentState;
}

/**
 * Decides the request of a payment whose id the caller has just drawn. A fresh random id has no
 * stream, so there is nothing to load and no earlier version to race for: the stream starts at
 * version 1, and the state is the fold of the new events alone.
 */
export function decideNewPayment(command: RequestPayment): NewPayment {
  const events = decide(undefined, command);
  const state = events.reduce<PaymentState | undefined>(evolve, undefined);
  if (state === undefined) throw new Error(`payment ${command.paymentId}: its request folded to no state`);
  return { events, state };
}
