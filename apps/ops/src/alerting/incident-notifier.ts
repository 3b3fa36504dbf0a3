import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { equalJitterDelayMs } from '@keel/backoff';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import type { Counter } from 'prom-client';
import { incidentMessage } from './incident-message';
import type { IncidentSummary } from './incident-summary';
import { INCIDENT_NOTIFIER_SETTINGS, type IncidentNotifierSettings } from './incident-notifier.settings';

/**
 * How a notification ended: `sent` (the webhook answered 2xx), `off` (no webhook configured),
 * `gave_up` (refused, or every attempt failed), `cancelled` (the service stopped meanwhile).
 */
export type NotificationResult = 'sent' | 'off' | 'gave_up' | 'cancelled';

/** Statuses worth another try: the receiver is busy or broken for now, not refusing this message. */
function isTransient(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** One request's result: a status, or why none came (the webhook's URL, a secret, never in it). */
type AttemptResult = { readonly status: number } | { readonly error: string };

/**
 * Tells people about an incident: posts the fixed template (incidentMessage) to the configured
 * Slack-compatible webhook, retrying a failed or transient answer with backoff up to its limits.
 * notify() never rejects: an alert that cannot be delivered is logged and counted
 * (keel_ops_alert_notifications_total{result="gave_up"}, an alert rule of its own), and the
 * incident's handling goes on without it.
 */
@Injectable()
export class IncidentNotifier implements OnModuleDestroy {
  private readonly stopping = new AbortController();
  private readonly notifications: Counter<'result'>;

  constructor(
    @Inject(INCIDENT_NOTIFIER_SETTINGS) private readonly settings: IncidentNotifierSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.notifications = getOrCreateCounter(registry, {
      name: 'keel_ops_alert_notifications_total',
      help: 'Incident notifications to the alert webhook, by result: sent, off (no webhook), gave_up, cancelled.',
      labelNames: ['result'],
    });
  }

  /** A notification waiting for its next retry is dropped: shutdown is not held for an alert. */
  onModuleDestroy(): void {
    this.stopping.abort();
  }

  async notify(summary: IncidentSummary): Promise<NotificationResult> {
    const result = await this.deliver(summary);
    this.notifications.inc({ result });
    return result;
  }

  private async deliver(summary: IncidentSummary): Promise<NotificationResult> {
    const { webhookUrl, attemptsMax, retryBackoff } = this.settings;
    if (webhookUrl === undefined) return 'off';
    const body = JSON.stringify(incidentMessage(summary));
    const context = { incidentId: summary.incidentId, stage: summary.stage };
    for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
      if (this.stopping.signal.aborted) return 'cancelled';
      const outcome = await this.post(webhookUrl, body);
      if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
        if (attempt > 1) this.logger.info({ ...context, attempts: attempt }, 'incident notification sent');
        return 'sent';
      }
      const problem = 'status' in outcome ? `answered ${outcome.status}` : outcome.error;
      if ('status' in outcome && !isTransient(outcome.status)) {
        this.logger.error({ ...context, problem }, 'incident notification refused by the alert webhook');
        return 'gave_up';
      }
      if (attempt === attemptsMax) {
        this.logger.error(
          { ...context, problem, attempts: attempt },
          'incident notification given up: the alert webhook failed every attempt',
        );
        return 'gave_up';
      }
      this.logger.warn({ ...context, problem, attempt }, 'incident notification failed, will retry');
      try {
        await sleep(equalJitterDelayMs(attempt - 1, retryBackoff), undefined, {
          signal: this.stopping.signal,
        });
      } catch {
        return 'cancelled';
      }
    }
    return 'gave_up';
  }

  private async post(url: string, body: string): Promise<AttemptResult> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        redirect: 'error',
        signal: AbortSignal.any([AbortSignal.timeout(this.settings.timeoutMs), this.stopping.signal]),
      });
      // The body is drained so the connection can be reused; a receiver's text says nothing we act on.
      await response.arrayBuffer();
      return { status: response.status };
    } catch (error) {
      return { error: describe(error) };
    }
  }
}

/** An error's name, message and cause's code; undici's errors name the host, never the URL's path. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error.cause as { code?: unknown } | undefined)?.code;
  const code = typeof cause === 'string' ? ` (${cause})` : '';
  return `${error.name}: ${error.message}${code}`;
}
