import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { PspWebhookEvent } from '@keel/executor-connectors';
import { decideOnWebhook, type ExecutionDecision, type WebhookAction } from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { MicroBatcher } from '../batching/micro-batcher';
import { PaymentOrderOutcomeService } from '../execution/payment-order-outcome.service';
import { PspWebhookQueueFullError } from '../executor.errors';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { OrphanChargeService } from '../orphan/orphan-charge.service';
import { PaymentOrderBatchRepository } from '../payment-order/payment-order-batch.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PspWebhookEventRepository, webhookKeyOf, type WebhookRecord } from './psp-webhook-event.repository';

export type WebhookEffect = WebhookAction['kind'] | 'duplicate';

/**
 * Records and applies verified webhooks in micro-batches (docs/architecture.md, exactly-once rule
 * 8: record the id under a unique key, apply, and only then answer 2xx). Per batch, in one
 * transaction: one insert of the deliveries (a redelivery is not recorded again: `duplicate`), one
 * lock of the orders the new ones name, in id order (the lock order of every other writer: orders
 * before attempts), each new webhook decided in arrival order, and the outcomes the first webhook
 * of each order settles applied in one update with one outbox insert. A success is checked
 * against the locked order's amount and currency in memory: one that captured anything else fails
 * the order in that same update and its charge goes to the orphan charges, to be refunded. The
 * common webhook repeats what the charge answer already applied and costs nothing more; an orphan
 * charge goes through its service.
 */
@Injectable()
export class PspWebhookWriter {
  private readonly batcher: MicroBatcher<WebhookRecord>;
  /** What each webhook did, set by the transaction that recorded it; read once it committed. */
  private readonly effects = new WeakMap<WebhookRecord, WebhookEffect>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: PspWebhookEventRepository,
    private readonly batch: PaymentOrderBatchRepository,
    private readonly outcomes: PaymentOrderOutcomeService,
    private readonly orphans: OrphanChargeService,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.batcher = new MicroBatcher(
      'psp-webhooks',
      settings.webhookBatch,
      (items) => this.write(items),
      logger,
    );
  }

  /** Settles with the webhook's effect once it is committed; rejects when its batch was not. */
  async submit(record: WebhookRecord): Promise<WebhookEffect> {
    if (this.batcher.pending >= this.settings.webhookQueueMax) {
      throw new PspWebhookQueueFullError(record.event.pspId);
    }
    await this.batcher.submit(record);
    const effect = this.effects.get(record);
    if (effect === undefined) throw new Error(`webhook ${record.event.eventId} committed without an effect`);
    return effect;
  }

  /** Webhooks waiting for a batch. */
  get pending(): number {
    return this.batcher.pending;
  }

  private write(records: readonly WebhookRecord[]): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      // The first delivery of an event in the batch is the one recorded; the others are duplicates.
      const firsts = new Map<string, WebhookRecord>();
      for (const record of records) {
        const key = webhookKeyOf(record.event);
        if (!firsts.has(key)) firsts.set(key, record);
      }
      const recorded = await this.events.recordNew(manager, [...firsts.values()]);
      const fresh = new Set(
        records.filter((record) => {
          const key = webhookKeyOf(record.event);
          return firsts.get(key) === record && recorded.has(key);
        }),
      );
      for (const record of records) {
        if (fresh.has(record)) continue;
        this.effects.set(record, 'duplicate');
        this.logger.debug(
          { pspId: record.event.pspId, eventId: record.event.eventId },
          'webhook redelivered; no effect',
        );
      }
      if (fresh.size === 0) return;
      const locked = await this.batch.lockByIds(manager, [
        ...new Set([...fresh].map((record) => record.event.idempotencyKey)),
      ]);
      const current = new Map(locked.map((order) => [order.paymentOrderId, order]));
      const later = await this.applyFirstPerOrder(manager, current, [...fresh]);
      for (const record of later) {
        this.effects.set(record, await this.apply(manager, current, record.event));
      }
    });
  }

  /**
   * Decides the first new webhook of each order against the order as locked, applies every
   * resulting outcome in one update, and answers the webhooks left: the later ones of an order
   * already decided here, to be decided one by one against what the first one left.
   */
  private async applyFirstPerOrder(
    manager: EntityManager,
    current: Map<string, PaymentOrder>,
    records: readonly WebhookRecord[],
  ): Promise<WebhookRecord[]> {
    const decided = new Set<string>();
    const later: WebhookRecord[] = [];
    const outcomes: { order: PaymentOrder; decision: ExecutionDecision }[] = [];
    for (const record of records) {
      const orderId = record.event.idempotencyKey;
      if (decided.has(orderId)) {
        later.push(record);
        continue;
      }
      decided.add(orderId);
      const order = current.get(orderId);
      // Compared in memory with the order as locked: checking the amount costs no statement.
      const action = decideOnWebhook(order, record.event);
      if ((action.kind === 'apply' || action.kind === 'amount_mismatch') && order !== undefined) {
        outcomes.push({ order, decision: action.decision });
        this.effects.set(record, action.kind);
      } else {
        this.effects.set(record, await this.apply(manager, current, record.event));
      }
    }
    for (const order of await this.outcomes.applyToLocked(manager, outcomes)) {
      current.set(order.paymentOrderId, order);
    }
    return later;
  }

  /** Decides on one webhook against its order as this batch left it, and applies the decision. */
  private async apply(
    manager: EntityManager,
    current: Map<string, PaymentOrder>,
    event: PspWebhookEvent,
  ): Promise<WebhookEffect> {
    const order = current.get(event.idempotencyKey);
    const action = decideOnWebhook(order, event);
    const log = { pspId: event.pspId, eventId: event.eventId, paymentOrderId: event.idempotencyKey };
    switch (action.kind) {
      case 'apply':
      case 'amount_mismatch':
        if (order !== undefined) {
          current.set(order.paymentOrderId, await this.outcomes.apply(manager, order, action.decision));
        }
        break;
      case 'orphan':
        if (order !== undefined) {
          const charge = { pspId: event.pspId, pspReference: event.pspReference, captured: action.captured };
          await this.orphans.detect(manager, order, charge, 'order_ended', 'webhook');
        }
        break;
      case 'ignore':
        this.logger.debug(
          { ...log, reason: action.reason, status: order?.status },
          'webhook recorded; no change',
        );
        break;
      case 'unknown_order':
        this.logger.warn(
          log,
          'webhook for an order this executor does not hold; recorded for reconciliation',
        );
        break;
      default: {
        const unreachable: never = action;
        return unreachable;
      }
    }
    return action.kind;
  }
}
