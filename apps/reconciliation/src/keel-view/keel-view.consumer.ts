import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Counter } from 'prom-client';
import {
  LEDGER_EVENT_TYPES,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
  type LedgerTransactionRecordedPayload,
  type WalletCreditedPayload,
} from '@keel/contracts';
import type { InboxContext } from '@keel/messaging';
import { getOrCreateCounter, Registry } from '@keel/observability';
import { FeeAdjustmentResolutions } from '../fixes/fee-adjustment-resolutions';
import { KeelViewService, PAYMENT_ORDER_VIEW_EVENT_TYPES } from './keel-view.service';

/**
 * Reconciliation's Kafka handlers: each applies a run of events to Keel's view in the inbox
 * transaction of their chunk. The payment-order types share one method, so a chunk that mixes
 * outcomes and orphan charges is folded and written at once, in offset order.
 */
@Controller()
export class KeelViewConsumer {
  private readonly appliedTotal: Counter<'type'>;

  constructor(
    private readonly view: KeelViewService,
    private readonly feeAdjustments: FeeAdjustmentResolutions,
    metrics: Registry,
  ) {
    // The inbox counts events per topic (keel_inbox_applied_total); this says which types they were.
    this.appliedTotal = getOrCreateCounter(metrics, {
      name: 'keel_reconciliation_view_events_applied_total',
      help: "Events applied to reconciliation's view of Keel, by type; counted once their chunk committed.",
      labelNames: ['type'],
    });
  }

  @EventPattern([...PAYMENT_ORDER_VIEW_EVENT_TYPES])
  async onPaymentOrderEvents(
    @Payload() events: readonly EventEnvelope[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.view.applyPaymentOrderEvents(context.getManager(), events);
    this.countAfterCommit(events, context);
  }

  @EventPattern(LEDGER_EVENT_TYPES.transactionRecorded)
  async onLedgerTransactions(
    @Payload() events: readonly EventEnvelope<LedgerTransactionRecordedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.view.applyLedgerTransactions(context.getManager(), events);
    // The ledger's fee adjustments settle the discrepancies that asked for them.
    await this.feeAdjustments.apply(context.getManager(), events);
    this.countAfterCommit(events, context);
  }

  @EventPattern(WALLET_EVENT_TYPES.credited)
  async onWalletCredits(
    @Payload() events: readonly EventEnvelope<WalletCreditedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.view.applyWalletCredits(context.getManager(), events);
    this.countAfterCommit(events, context);
  }

  private countAfterCommit(events: readonly EventEnvelope[], context: InboxContext): void {
    const counts = new Map<string, number>();
    for (const event of events) counts.set(event.type, (counts.get(event.type) ?? 0) + 1);
    context.getTransaction().afterCommit(() => {
      for (const [type, count] of counts) this.appliedTotal.inc({ type }, count);
    });
  }
}
