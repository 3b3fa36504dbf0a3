import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@keel/contracts';
import { statusAfterDecision, type ExecutionDecision } from '@keel/executor-domain';
import { OutboxPublisher } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { OrphanChargeService } from '../orphan/orphan-charge.service';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderBatchRepository } from '../payment-order/payment-order-batch.repository';
import { PaymentOrderRepository, type PaymentOrderUpdate } from '../payment-order/payment-order.repository';
import { ExecutorMetrics } from './executor.metrics';
import { outcomeEnvelopes } from './payment-order-outcome.event';

/** What a decision changes on the order it was made for. */
export function updateOf(order: PaymentOrder, decision: ExecutionDecision): PaymentOrderUpdate {
  const status = statusAfterDecision(order.status, decision);
  switch (decision.kind) {
    case 'succeed':
      return { status, statusReason: 'charged', pspReference: decision.pspReference, completed: true };
    case 'decline':
      return {
        status,
        statusReason: 'declined by the PSP',
        pspReference: decision.pspReference,
        resultCode: decision.code,
        resultMessage: decision.message,
        completed: true,
      };
    case 'fail':
      return {
        status,
        statusReason: 'failed',
        // A refused charge is named on the order, so its record says which charge is refunded.
        pspReference: decision.refusedCharge?.pspReference,
        resultCode: decision.code,
        resultMessage: decision.message,
        completed: true,
      };
    case 'retry':
    case 'resolve':
      return {
        status,
        statusReason: decision.reason,
        nextAttemptDelayMs: decision.delayMs,
        completed: false,
      };
    default: {
      const unreachable: never = decision;
      return unreachable;
    }
  }
}

/**
 * Applies a decision to an order in the caller's transaction: the new status and, for an
 * outcome, the event that announces it, through the outbox in that same transaction. The
 * transition table is checked first, so an outcome can never overwrite another. A failure that
 * refuses a charge the PSP made (it captured another amount) records that charge as an orphan
 * charge in the same transaction, to be refunded.
 */
@Injectable()
export class PaymentOrderOutcomeService {
  constructor(
    private readonly orders: PaymentOrderRepository,
    private readonly batch: PaymentOrderBatchRepository,
    private readonly outbox: OutboxPublisher,
    private readonly orphans: OrphanChargeService,
    private readonly metrics: ExecutorMetrics,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async apply(
    manager: EntityManager,
    order: PaymentOrder,
    decision: ExecutionDecision,
  ): Promise<PaymentOrder> {
    const updated = await this.orders.update(manager, order.paymentOrderId, updateOf(order, decision));
    const envelopes = this.announce(updated, decision, 'info');
    if (envelopes.length > 0) await this.outbox.publish(manager, envelopes);
    await this.refuseCharge(manager, updated, decision);
    return updated;
  }

  /**
   * Applies decisions to orders this transaction holds locked, each still as it was read (status
   * and attempts), in one update, and publishes their outcomes with one insert, `alongside` (other
   * events of the same batch) in that insert too. Answers the orders as updated.
   */
  async applyToLocked(
    manager: EntityManager,
    entries: readonly { readonly order: PaymentOrder; readonly decision: ExecutionDecision }[],
    alongside: readonly EventEnvelope[] = [],
  ): Promise<PaymentOrder[]> {
    const updated = await this.batch.applyLockedOutcomes(
      manager,
      entries.map(({ order, decision }) => ({
        paymentOrderId: order.paymentOrderId,
        status: order.status,
        attempts: order.attempts,
        update: updateOf(order, decision),
      })),
    );
    // The rows are locked and were read here: a shortfall means the read and the update disagree.
    if (updated.length !== entries.length) {
      throw new Error(`${entries.length - updated.length} locked payment orders were not as read`);
    }
    const byId = new Map(updated.map((order) => [order.paymentOrderId, order]));
    const envelopes: EventEnvelope[] = [];
    const rows: { row: PaymentOrder; decision: ExecutionDecision }[] = [];
    for (const { order, decision } of entries) {
      const row = byId.get(order.paymentOrderId);
      if (row === undefined) throw new Error(`payment order ${order.paymentOrderId} missing from its update`);
      envelopes.push(...this.announce(row, decision, 'debug'));
      rows.push({ row, decision });
    }
    envelopes.push(...alongside);
    if (envelopes.length > 0) await this.outbox.publish(manager, envelopes);
    // Rare (a PSP that captured another amount): one insert each, after the batch's statements.
    for (const { row, decision } of rows) await this.refuseCharge(manager, row, decision);
    return updated;
  }

  private async refuseCharge(
    manager: EntityManager,
    updated: PaymentOrder,
    decision: ExecutionDecision,
  ): Promise<void> {
    if (decision.kind !== 'fail' || decision.refusedCharge === undefined) return;
    await this.orphans.refuse(manager, updated, decision.refusedCharge);
  }

  /** Counts and logs what the decision did; answers the outcome events when it ended the order. */
  private announce(
    updated: PaymentOrder,
    decision: ExecutionDecision,
    completionLevel: 'info' | 'debug',
  ): EventEnvelope[] {
    const log = { paymentOrderId: updated.paymentOrderId, pspId: updated.pspId, status: updated.status };
    switch (decision.kind) {
      case 'succeed':
      case 'decline':
      case 'fail':
        this.metrics.recordCompletion(updated.pspId, updated.status);
        this.logger[completionLevel]({ ...log, resultCode: updated.resultCode }, 'payment order completed');
        return outcomeEnvelopes(updated, decision, updated.updatedAt);
      case 'retry':
        this.logger.warn(
          { ...log, reason: decision.reason, delayMs: decision.delayMs },
          'charge to be retried',
        );
        return [];
      case 'resolve':
        this.logger.warn(
          { ...log, reason: decision.reason, delayMs: decision.delayMs },
          'outcome to be resolved',
        );
        return [];
      default: {
        const unreachable: never = decision;
        return unreachable;
      }
    }
  }
}
