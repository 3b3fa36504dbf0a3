import { exponentialDelayMs } from '@keel/backoff';
import type { PspId } from './psp';
import type { CancelTask, Scheduler } from './scheduler';
import { signWebhook } from './webhook-signature';

/** One event to deliver; the body is sent byte for byte as signed. */
export interface WebhookMessage {
  readonly psp: PspId;
  readonly eventId: string;
  readonly url: string;
  readonly contentType: string;
  readonly signatureHeader: string;
  readonly secret: string;
  readonly body: string;
}

export interface WebhookRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Aborted when every delivery is abandoned (reset, shutdown). */
  readonly signal: AbortSignal;
  /** The attempt is abandoned when no answer came within this long. */
  readonly timeoutMs: number;
}

/**
 * Sends one request and resolves with the HTTP status; rejects on network errors, when `signal`
 * is aborted, and when no answer came within `timeoutMs`.
 */
export type WebhookTransport = (request: WebhookRequest) => Promise<number>;

export type WebhookResult = 'delivered' | 'will_retry' | 'gave_up' | 'dropped';

export interface WebhookOutcome {
  readonly message: WebhookMessage;
  readonly attempt: number;
  readonly result: WebhookResult;
  readonly status?: number;
  readonly error?: string;
}

export interface WebhookDispatcherOptions {
  readonly transport: WebhookTransport;
  readonly scheduler: Scheduler;
  /** Retries after the first attempt (API.md: up to 5). */
  readonly maxRetries: number;
  /** Delay before the first retry; doubled for each next one, up to `backoffMaxMs`. */
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** Each attempt is abandoned after this long. */
  readonly attemptTimeoutMs: number;
  /** Deliveries in progress (sending or waiting to retry); more are dropped and reported. */
  readonly maxInProgress: number;
  readonly onOutcome: (outcome: WebhookOutcome) => void;
}

interface Delivery {
  readonly message: WebhookMessage;
  cancelRetry: CancelTask | undefined;
}

/** Delivers signed webhooks, retrying with exponential backoff until the receiver answers 2xx. */
export class WebhookDispatcher {
  private readonly deliveries = new Set<Delivery>();
  private abort = new AbortController();

  constructor(private readonly options: WebhookDispatcherOptions) {}

  get inProgress(): number {
    return this.deliveries.size;
  }

  /** False when the limit of deliveries in progress is reached and the message is dropped. */
  enqueue(message: WebhookMessage): boolean {
    if (this.deliveries.size >= this.options.maxInProgress) {
      this.options.onOutcome({ message, attempt: 0, result: 'dropped' });
      return false;
    }
    const delivery: Delivery = { message, cancelRetry: undefined };
    this.deliveries.add(delivery);
    this.attempt(delivery, 1);
    return true;
  }

  /** Abandons every delivery: sends in flight are aborted, retries are not made. */
  clear(): void {
    this.abort.abort();
    this.abort = new AbortController();
    for (const delivery of this.deliveries) delivery.cancelRetry?.();
    this.deliveries.clear();
  }

  /** The delay before retry number `retry` (1-based). */
  backoffMs(retry: number): number {
    return exponentialDelayMs(retry - 1, {
      initialDelayMs: this.options.backoffBaseMs,
      maxDelayMs: this.options.backoffMaxMs,
    });
  }

  private attempt(delivery: Delivery, attempt: number): void {
    delivery.cancelRetry = undefined;
    const abort = this.abort;
    void this.send(delivery.message, abort.signal).then((answer) => {
      // A clear() while this attempt was in flight abandoned the delivery.
      if (abort.signal.aborted || !this.deliveries.has(delivery)) return;
      this.afterAttempt(delivery, attempt, answer);
    });
  }

  private afterAttempt(
    delivery: Delivery,
    attempt: number,
    answer: { status?: number; error?: string },
  ): void {
    const { message } = delivery;
    const { status, error } = answer;
    if (status !== undefined && status >= 200 && status < 300) {
      this.deliveries.delete(delivery);
      this.options.onOutcome({ message, attempt, result: 'delivered', status });
      return;
    }
    if (attempt > this.options.maxRetries) {
      this.deliveries.delete(delivery);
      this.options.onOutcome({ message, attempt, result: 'gave_up', status, error });
      return;
    }
    this.options.onOutcome({ message, attempt, result: 'will_retry', status, error });
    delivery.cancelRetry = this.options.scheduler.schedule(this.backoffMs(attempt), () =>
      this.attempt(delivery, attempt + 1),
    );
  }

  private async send(
    message: WebhookMessage,
    cancel: AbortSignal,
  ): Promise<{ status?: number; error?: string }> {
    const timestampSeconds = Math.floor(this.options.scheduler.nowMs() / 1000);
    try {
      const status = await this.options.transport({
        url: message.url,
        headers: {
          'content-type': message.contentType,
          [message.signatureHeader]: signWebhook(message.secret, message.body, timestampSeconds),
        },
        body: message.body,
        signal: cancel,
        timeoutMs: this.options.attemptTimeoutMs,
      });
      return { status };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }
}
