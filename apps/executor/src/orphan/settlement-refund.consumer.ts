import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  RECONCILIATION_EVENT_TYPES,
  type EventEnvelope,
  type ReconciliationOrphanRefundRequestedPayload,
} from '@keel/contracts';
import type { InboxContext } from '@keel/messaging';
import { SettlementRefundService } from './settlement-refund.service';

/**
 * Reconciliation's requests to refund a charge its settlement file shows for an order Keel failed
 * or never held: a chunk at a time, in the inbox's transaction. Other types on its topic are not
 * the executor's and are skipped by the inbox.
 */
@Controller()
export class SettlementRefundConsumer {
  constructor(private readonly refunds: SettlementRefundService) {}

  @EventPattern(RECONCILIATION_EVENT_TYPES.orphanRefundRequested)
  onRefundRequested(
    @Payload() events: readonly EventEnvelope<ReconciliationOrphanRefundRequestedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    return this.refunds.requestRefunds(context.getManager(), events);
  }
}
