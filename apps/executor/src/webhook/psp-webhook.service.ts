import { Inject, Injectable } from '@nestjs/common';
import {
  PspConnectorRegistry,
  PspWebhookError,
  WebhookRejection,
  type PspWebhookEvent,
  type WebhookHeaders,
} from '@keel/executor-connectors';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  PspWebhookMalformedError,
  PspWebhookNotRecordedError,
  PspWebhookQueueFullError,
  PspWebhookRejectedError,
  PspWebhookUnknownPspError,
} from '../executor.errors';
import { PspWebhookWriter, type WebhookEffect } from './psp-webhook-writer.service';

export interface ReceivedWebhook {
  readonly pspId: string;
  readonly headers: WebhookHeaders;
  readonly rawBody: Buffer;
  readonly remoteAddress?: string;
}

/**
 * A PSP notification (docs/architecture.md, exactly-once rule 8): verify it here, then record its
 * id under a unique key and apply it to the order in one transaction of the webhook writer's batch,
 * and answer 2xx only once that transaction committed. A redelivery finds its id and does nothing;
 * a batch that could not be committed answers 503 to each of its webhooks, so the PSP sends them
 * again.
 */
@Injectable()
export class PspWebhookService {
  constructor(
    private readonly connectors: PspConnectorRegistry,
    private readonly writer: PspWebhookWriter,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async receive(webhook: ReceivedWebhook): Promise<WebhookEffect> {
    const event = this.verify(webhook);
    try {
      return await this.writer.submit({ event, payload: webhook.rawBody.toString('utf8') });
    } catch (error) {
      // Whatever failed the batch, each of its webhooks may be sent again: none is recorded.
      if (error instanceof PspWebhookQueueFullError) throw error;
      throw new PspWebhookNotRecordedError(event.pspId, error);
    }
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
}
