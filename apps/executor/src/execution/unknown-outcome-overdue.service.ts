import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  OUTCOME_OVERDUE_EVENT_TYPES,
  type EventEnvelope,
  type PaymentOrderOutcomeOverduePayload,
} from '@keel/contracts';
import { PspConnectorRegistry } from '@keel/executor-connectors';
import { isUnknownOutcomeOverdue } from '@keel/executor-domain';
import { OutboxPublisher } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { ExecutorMetrics } from './executor.metrics';
import { EXECUTOR_EVENT_SOURCE } from './payment-order-outcome.event';

function overdueEnvelope(order: PaymentOrder, pspId: string, unknownSince: Date): EventEnvelope {
  if (order.overdueReportedAt === undefined) {
    throw new Error(`payment order ${order.paymentOrderId} is not reported overdue`);
  }
  const data: PaymentOrderOutcomeOverduePayload = {
    paymentOrderId: order.paymentOrderId,
    paymentId: order.paymentId,
    pspId,
    unknownSince: unknownSince.toISOString(),
    inquiries: order.inquiries,
    reportedAt: order.overdueReportedAt.toISOString(),
  };
  return buildEnvelope({ type: OUTCOME_OVERDUE_EVENT_TYPES.overdue, source: EXECUTOR_EVENT_SOURCE, data });
}

/**
 * Surfaces orders whose outcome stays unknown past EXECUTOR_UNKNOWN_DEADLINE_MS: each is marked
 * once and announced in the same transaction, and the count of unknown orders per PSP is kept as
 * a gauge for alerting. It never touches the resolution: the order is still asked about at its
 * PSP with the same key, and nothing more happens when it resolves.
 */
@Injectable()
export class UnknownOutcomeOverdueService {
  constructor(
    private readonly orders: PaymentOrderRepository,
    private readonly outbox: OutboxPublisher,
    private readonly metrics: ExecutorMetrics,
    private readonly connectors: PspConnectorRegistry,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** Runs in the caller's transaction; reports at most `limit` orders. */
  async check(manager: EntityManager, limit: number): Promise<void> {
    const counts = await this.orders.countUnknownByPsp(manager);
    this.metrics.setUnknownOrders([...this.connectors.pspIds(), ...counts.keys()], counts);
    if (counts.size === 0) return;
    const { orders, now } = await this.orders.lockUnreportedUnknown(manager, limit);
    for (const order of orders) {
      // Longest unknown first: once one is not due, none after it is.
      if (!isUnknownOutcomeOverdue(order, now, this.settings.unknownDeadlineMs)) break;
      await this.report(manager, order);
    }
  }

  private async report(manager: EntityManager, order: PaymentOrder): Promise<void> {
    const { pspId, unknownSince } = order;
    // The table's checks make these impossible for an unknown order.
    if (pspId === undefined || unknownSince === undefined) {
      throw new Error(`unknown payment order ${order.paymentOrderId} has no PSP or start time`);
    }
    const reported = await this.orders.markOverdueReported(manager, order.paymentOrderId);
    await this.outbox.publish(manager, [overdueEnvelope(reported, pspId, unknownSince)]);
    this.metrics.recordUnknownOverdue(pspId);
    this.logger.error(
      {
        paymentOrderId: order.paymentOrderId,
        pspId,
        unknownSince: unknownSince.toISOString(),
        inquiries: order.inquiries,
        deadlineMs: this.settings.unknownDeadlineMs,
      },
      'payment order outcome still unknown past the deadline; still resolving by inquiry',
    );
  }
}
