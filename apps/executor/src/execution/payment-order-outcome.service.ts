import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { statusAfterDecision, type ExecutionDecision } from '@keel/executor-domain';
import { OutboxPublisher } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderRepository, type PaymentOrderUpdate } from '../payment-order/payment-order.repository';
import { ExecutorMetrics } from './executor.metrics';
import { outcomeEnvelope } from './payment-order-outcome.event';

function updateOf(order: PaymentOrder, decision: ExecutionDecision): PaymentOrderUpdate {
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
 * transition table is checked first, so an outcome can never overwrite another.
 */
@Injectable()
export class PaymentOrderOutcomeService {
  constructor(
    private readonly orders: PaymentOrderRepository,
    private readonly outbox: OutboxPublisher,
    private readonly metrics: ExecutorMetrics,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async apply(
    manager: EntityManager,
    order: PaymentOrder,
    decision: ExecutionDecision,
  ): Promise<PaymentOrder> {
    const updated = await this.orders.update(manager, order.paymentOrderId, updateOf(order, decision));
    const log = { paymentOrderId: order.paymentOrderId, pspId: order.pspId, status: updated.status };
    switch (decision.kind) {
      case 'succeed':
      case 'decline':
      case 'fail':
        await this.outbox.publish(manager, [outcomeEnvelope(updated, decision, updated.updatedAt)]);
        this.metrics.recordCompletion(updated.pspId, updated.status);
        this.logger.info({ ...log, resultCode: updated.resultCode }, 'payment order completed');
        break;
      case 'retry':
        this.logger.warn(
          { ...log, reason: decision.reason, delayMs: decision.delayMs },
          'charge to be retried',
        );
        break;
      case 'resolve':
        this.logger.warn(
          { ...log, reason: decision.reason, delayMs: decision.delayMs },
          'outcome to be resolved',
        );
        break;
      default: {
        const unreachable: never = decision;
        return unreachable;
      }
    }
    return updated;
  }
}
