import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  decide,
  evolve,
  fold,
  type PaymentCommand,
  type PaymentEvent,
  type PaymentState,
} from '@keel/payment-domain';
import { PAYMENT_ENVIRONMENT } from '../payment.settings';
import type { PaymentEnvironment } from '../payment.environment';
import { PaymentEventRepository } from './payment-event.repository';
import { PaymentProjectionRepository } from './payment-projection.repository';
import { violatedUniqueConstraint } from './unique-violation.util';

const VERSION_CONSTRAINT = 'payment_events_payment_id_version_key';

export interface Decision {
  readonly before: PaymentState | undefined;
  /** Undefined only when the payment does not exist and the command created nothing. */
  readonly after: PaymentState | undefined;
  /** What this command appended; empty when it repeated a known fact. */
  readonly events: readonly PaymentEvent[];
}

/** Thrown when every attempt lost the race for the next version; the caller's transaction retries later. */
export class AppendConflictError extends Error {
  override readonly name = 'AppendConflictError';
}

/**
 * The event-sourced payment repository: load the events, fold, decide, append with the expected
 * version, and update the projections in the same transaction. A stored payment is first locked
 * through its projection row, so concurrent writers (the wallet's and the ledger's confirmations,
 * say) wait for each other instead of failing. A payment without a row yet can still race: another
 * writer that appended first makes the INSERT fail on UNIQUE (payment_id, version); the attempt is
 * rolled back to its savepoint, the events are read again and the command decided again, a bounded
 * number of times.
 */
@Injectable()
export class PaymentStore {
  constructor(
    private readonly events: PaymentEventRepository,
    private readonly projections: PaymentProjectionRepository,
    @Inject(PAYMENT_ENVIRONMENT) private readonly environment: PaymentEnvironment,
  ) {}

  /** Runs in the caller's transaction (`manager` must be inside one). */
  async execute(manager: EntityManager, paymentId: string, command: PaymentCommand): Promise<Decision> {
    // Holding the row until commit, no other writer can append: no savepoint, no lost race. A
    // request names a fresh id, which has no row to lock yet.
    if (command.kind !== 'RequestPayment' && (await this.projections.lockPayment(manager, paymentId)))
      return this.attempt(manager, paymentId, command);
    const attemptsMax = this.environment.EVENT_APPEND_MAX_ATTEMPTS;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // A nested transaction is a savepoint: a lost race undoes only this attempt.
        return await manager.transaction((savepoint) => this.attempt(savepoint, paymentId, command));
      } catch (error) {
        if (violatedUniqueConstraint(error) !== VERSION_CONSTRAINT) throw error;
        if (attempt >= attemptsMax) {
          throw new AppendConflictError(
            `payment ${paymentId}: lost ${attempt} appends to concurrent writers`,
          );
        }
      }
    }
  }

  private async attempt(
    manager: EntityManager,
    paymentId: string,
    command: PaymentCommand,
  ): Promise<Decision> {
    const before = fold(await this.events.load(manager, paymentId));
    const events = decide(before, command);
    if (events.length === 0) return { before, after: before, events };
    const after = events.reduce<PaymentState | undefined>(evolve, before);
    if (after === undefined) throw new Error(`payment ${paymentId}: events folded to no state`);
    const sinceVersion = before?.version ?? 0;
    await this.events.append(manager, paymentId, sinceVersion, events);
    // Unchanged orders keep their object identity through evolve, so only touched ones are written.
    const changedOrders = after.orders.filter((order, index) => before?.orders[index] !== order);
    await this.projections.write(manager, after, changedOrders, sinceVersion);
    return { before, after, events };
  }
}
