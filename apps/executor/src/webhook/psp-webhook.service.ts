import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  PspConnectorRegistry,
  PspWebhookError,
  WebhookRejection,
  type PspWebhookEvent,
  type WebhookHeaders,
} from '@keel/executor-connectors';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PaymentOrderOutcomeService } from '../execution/payment-order-outcome.service';
import { OrphanChargeService } from '../orphan/orphan-charge.service';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { decideOnWebhook, type WebhookAction } from './psp-webhook-decision';
import { PspWebhookEventRepository } from './psp-webhook-event.repository';
import {
  PspWebhookMalformedError,
  PspWebhookRejectedError,
  PspWebhookUnknownPspError,
} from './psp-webhook.error';

export interface ReceivedWebhook {
  readonly pspId: string;
  readonly headers: WebhookHeaders;
  readonly rawBody: Buffer;
  readonly remoteAddress?: string;
}

export type WebhookEffect = WebhookAction['kind'] | 'duplicate';

/**
 * A PSP notification (STYLE.md §12): verify, record its id under a unique key, apply it to the
 * order in that same transaction, then answer 2xx. A redelivery finds its id and does nothing.
 */
@Injectable()
export class PspWebhookService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly connectors: PspConnectorRegistry,
    private readonly events: PspWebhookEventRepository,
    private readonly orders: PaymentOrderRepository,
    private readonly outcomes: PaymentOrderOutcomeService,
    private readonly orphans: OrphanChargeService,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async receive(webhook: ReceivedWebhook): Promise<WebhookEffect> {
    const event = this.verify(webhook);
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.events.recordIfAbsent(manager, event, webhook.rawBody.toString('utf8')))) {
        this.logger.info({ pspId: event.pspId, eventId: event.eventId }, 'webhook redelivered; no effect');
        return 'duplicate';
      }
      return this.apply(manager, event);
    });
  }

  private verify({ pspId, headers, rawBody, remoteAddress }: ReceivedWebhook): PspWebhookEvent {
    if (!this.connectors.has(pspId)) throw new PspWebhookUnknownPspError(pspId);
    try {
      return this.connectors.get(pspId).parseWebhook(headers, rawBody, Date.now());
    } catch (error) {
      if (!(error instanceof PspWebhookError)) throw error;
      if (error.rejection === WebhookRejection.MalformedPayload) {
        this.logger.error({ psp: pspId, err: error, remoteAddress }, 'signed webhook unreadable');
        throw new PspWebhookMalformedError(pspId);
      }
      this.logger.warn({ psp: pspId, reason: error.rejection, remoteAddress }, 'webhook rejected');
      throw new PspWebhookRejectedError(pspId);
    }
  }

  private async apply(manager: EntityManager, event: PspWebhookEvent): Promise<WebhookEffect> {
    const order = await this.orders.lockById(manager, event.idempotencyKey);
    const action = decideOnWebhook(order, event);
    const log = { pspId: event.pspId, eventId: event.eventId, paymentOrderId: event.idempotencyKey };
    switch (action.kind) {
      case 'apply':
        if (order !== undefined) await this.outcomes.apply(manager, order, action.decision);
        break;
      case 'orphan':
        if (order !== undefined)
          await this.orphans.detect(manager, order, event.pspId, event.pspReference, 'webhook');
        break;
      case 'ignore':
        this.logger.info(
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
