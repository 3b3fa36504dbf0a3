import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { acmeWebhookBody } from '../acme/acme.wire';
import {
  FaultEngine,
  WebhookDispatcher,
  type CancelTask,
  type IdGenerator,
  type PspId,
  type Scheduler,
  type SimulatorEvent,
  type WebhookMessage,
  type WebhookOutcome,
} from '@keel/psp-sim-domain';
import { JSON_CONTENT_TYPE } from '../http/wire-response';
import { novaWebhookBody } from '../nova/nova.wire';
import { PSP_SIM_ENVIRONMENT, PSP_SIM_IDS, PSP_SIM_SCHEDULER } from '../psp-sim.constants';
import type { PspSimEnvironment } from '../psp-sim.environment';
import { PspSimMetrics } from '../psp-sim.metrics';
import { swiftpayWebhookBody } from '../swiftpay/swiftpay.wire';
import { PooledWebhookTransport } from './pooled-webhook-transport';

const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

/** Where and how one PSP sends its webhooks. */
interface WebhookTarget {
  readonly url: string | undefined;
  readonly secret: string;
  readonly signatureHeader: string;
  readonly contentType: string;
  readonly body: (event: SimulatorEvent, eventId: string, nowMs: number) => string;
}

/** Turns every charge event into the PSP's own signed webhook, when the PSP has a webhook URL. */
@Injectable()
export class WebhookService implements BeforeApplicationShutdown {
  private readonly targets: Readonly<Record<PspId, WebhookTarget>>;
  private readonly dispatcher: WebhookDispatcher;
  private readonly transport: PooledWebhookTransport;
  /** Copies held back by a webhook-delay fault, cancelled by `clear()`. */
  private readonly delayedCopies = new Set<CancelTask>();

  constructor(
    @Inject(PSP_SIM_ENVIRONMENT) environment: PspSimEnvironment,
    @Inject(PSP_SIM_SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(PSP_SIM_IDS) private readonly ids: IdGenerator,
    private readonly metrics: PspSimMetrics,
    private readonly faults: FaultEngine,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.targets = targetsOf(environment);
    this.transport = new PooledWebhookTransport({
      maxSocketsPerReceiver: environment.PSP_SIM_WEBHOOK_MAX_SOCKETS,
    });
    this.dispatcher = new WebhookDispatcher({
      transport: (request) => this.transport.post(request),
      scheduler,
      maxRetries: environment.PSP_SIM_WEBHOOK_MAX_RETRIES,
      backoffBaseMs: environment.PSP_SIM_WEBHOOK_BACKOFF_MS,
      backoffMaxMs: environment.PSP_SIM_WEBHOOK_BACKOFF_MAX_MS,
      attemptTimeoutMs: environment.PSP_SIM_WEBHOOK_TIMEOUT_MS,
      maxInProgress: environment.PSP_SIM_WEBHOOK_MAX_IN_PROGRESS,
      onOutcome: (outcome) => this.record(outcome),
    });
  }

  get inProgress(): number {
    return this.dispatcher.inProgress;
  }

  publish(event: SimulatorEvent): void {
    const { psp } = event.charge;
    const target = this.targets[psp];
    if (target.url === undefined) return;
    const eventId = this.ids.eventId(psp);
    const message: WebhookMessage = {
      psp,
      eventId,
      url: target.url,
      contentType: target.contentType,
      signatureHeader: target.signatureHeader,
      secret: target.secret,
      body: target.body(event, eventId, this.scheduler.nowMs()),
    };
    const { method, issuer } = event.charge;
    const plan = this.faults.webhookPlan({ psp, method, issuer }, this.scheduler.nowMs());
    for (const delayMs of plan.delaysMs) this.enqueueAfter(delayMs, message);
  }

  /** Abandons every delivery in progress (reset, shutdown). */
  clear(): void {
    for (const cancel of this.delayedCopies) cancel();
    this.delayedCopies.clear();
    this.dispatcher.clear();
  }

  private enqueueAfter(delayMs: number, message: WebhookMessage): void {
    if (delayMs === 0) {
      this.dispatcher.enqueue(message);
      return;
    }
    const cancel = this.scheduler.schedule(delayMs, () => {
      this.delayedCopies.delete(cancel);
      this.dispatcher.enqueue(message);
    });
    this.delayedCopies.add(cancel);
  }

  beforeApplicationShutdown(): void {
    this.clear();
    this.transport.close();
  }

  private record(outcome: WebhookOutcome): void {
    const { message, attempt, result, status, error } = outcome;
    this.metrics.webhookResult(message.psp, result);
    const fields = { psp: message.psp, eventId: message.eventId, url: message.url, attempt, status, error };
    switch (result) {
      case 'delivered':
        this.logger.debug(fields, 'webhook delivered');
        return;
      case 'will_retry':
        this.logger.warn(fields, 'webhook not accepted; will retry');
        return;
      case 'gave_up':
        this.logger.error(fields, 'webhook not accepted after every retry; given up');
        return;
      case 'dropped':
        this.logger.error(fields, 'webhook dropped: too many deliveries in progress');
        return;
    }
  }
}

function targetsOf(environment: PspSimEnvironment): Record<PspId, WebhookTarget> {
  return {
    acme: {
      url: environment.PSP_SIM_WEBHOOK_URL_ACME,
      secret: environment.PSP_SIM_ACME_WEBHOOK_SECRET,
      signatureHeader: 'acme-signature',
      contentType: JSON_CONTENT_TYPE,
      body: (event, eventId) => acmeWebhookBody(event, eventId),
    },
    nova: {
      url: environment.PSP_SIM_WEBHOOK_URL_NOVA,
      secret: environment.PSP_SIM_NOVA_WEBHOOK_SECRET,
      signatureHeader: 'x-nova-signature',
      contentType: FORM_CONTENT_TYPE,
      body: (event, _eventId, nowMs) => novaWebhookBody(event, nowMs),
    },
    swiftpay: {
      url: environment.PSP_SIM_WEBHOOK_URL_SWIFTPAY,
      secret: environment.PSP_SIM_SWIFTPAY_WEBHOOK_SECRET,
      signatureHeader: 'x-swift-signature',
      contentType: JSON_CONTENT_TYPE,
      body: (event, eventId) => swiftpayWebhookBody(event, eventId),
    },
  };
}
