import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@keel/contracts';
import { OutboxPublisher, PermanentEventError } from '@keel/messaging';
import { continueTraceparent, OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  changedOrdersOf,
  decideChunk,
  fold,
  SagaCommandRejectedError,
  type ChunkDecision,
  type PaymentEvent,
  type PaymentState,
  type SagaCommand,
  type SagaEffect,
} from '@keel/payment-domain';
import { PaymentEventRepository } from '../payments/payment-event.repository';
import { integrationEventsOf } from '../payments/payment-integration-events.util';
import { PaymentProjectionRepository } from '../payments/payment-projection.repository';
import { PaymentSagaRepository } from './payment-saga.repository';

/**
 * The payment saga: applies what the executor, wallet and ledger report to the payments it
 * concerns, a whole chunk of events at a time (whatever its mix of types), in the chunk's inbox
 * transaction, and publishes the terminal event of each payment that reaches one.
 *
 * Per chunk, whatever its length: one statement locks every payment it touches (in id order, so
 * concurrent chunks queue instead of deadlocking), one loads their event streams (after the lock:
 * a statement's snapshot predates its lock wait, so the two cannot be one), the commands are
 * decided in memory in offset order, and one statement appends the events, updates the payments,
 * their orders and their history, and fills the outbox.
 *
 * A fact a payment can never accept (unknown payment or order, another merchant, a contradicting
 * outcome, a mismatched amount) is a PermanentEventError naming its event: that event goes to the
 * DLQ for a person to look at, and the rest of the chunk is applied without it.
 */
@Injectable()
export class PaymentSagaService {
  constructor(
    private readonly events: PaymentEventRepository,
    private readonly projections: PaymentProjectionRepository,
    private readonly repository: PaymentSagaRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs in the caller's transaction (`manager` must be inside one). */
  async apply(manager: EntityManager, commands: readonly SagaCommand[]): Promise<void> {
    if (commands.length === 0) return;
    const stored = await this.lockAndLoad(manager, [
      ...new Set(commands.map((command) => command.paymentId)),
    ]);
    const { changes, effects } = decidedOrDeadLettered(stored, commands);
    if (changes.size === 0) return;
    const changed = [...changes.values()];
    await this.repository.writeChanges(
      manager,
      changed.map((change) => ({
        state: change.after,
        sinceVersion: change.before.version,
        events: change.events,
        changedOrders: changedOrdersOf(change),
      })),
      this.outbox.parametersFor(manager, effects.flatMap(envelopesOf)),
    );
    for (const change of changed) {
      if (change.after.status !== change.before.status) {
        this.logger.debug({ paymentId: change.after.id, status: change.after.status }, 'payment finished');
      }
    }
  }

  /**
   * The stored state of every payment that exists among `paymentIds`, its row locked first: the
   * events are read after the lock is held, so they are the latest and no one else appends now.
   */
  private async lockAndLoad(
    manager: EntityManager,
    paymentIds: readonly string[],
  ): Promise<Map<string, PaymentState>> {
    const locked = await this.projections.lockPayments(manager, paymentIds);
    const streams =
      locked.length === 0 ? new Map<string, PaymentEvent[]>() : await this.events.loadMany(manager, locked);
    const stored = new Map<string, PaymentState>();
    for (const paymentId of locked) {
      const state = fold(streams.get(paymentId) ?? []);
      if (state !== undefined) stored.set(paymentId, state);
    }
    return stored;
  }
}

/**
 * The chunk decided, or a PermanentEventError naming the event its payment can never accept: that
 * event goes to the DLQ and the rest of the chunk is applied again without it.
 */
function decidedOrDeadLettered(
  stored: ReadonlyMap<string, PaymentState>,
  commands: readonly SagaCommand[],
): ChunkDecision {
  try {
    return decideChunk(stored, commands);
  } catch (error) {
    if (!(error instanceof SagaCommandRejectedError)) throw error;
    throw new PermanentEventError(error.message, { eventId: error.eventId, cause: error.cause });
  }
}

/** The integration events of one effect, continuing the trace of the event that caused it. */
function envelopesOf(effect: SagaEffect): EventEnvelope[] {
  const traceparent = continueTraceparent(effect.cause.traceparent);
  return integrationEventsOf(effect.after, effect.events).map((envelope) => ({ ...envelope, traceparent }));
}
