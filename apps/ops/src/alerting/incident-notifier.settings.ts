import type { BackoffSettings } from '@keel/backoff';
import type { OpsEnvironment } from '../ops.environment';

/** Where and how hard the notifier tries: every limit from OpsEnvironment. */
export interface IncidentNotifierSettings {
  /** A Slack-compatible incoming webhook; undefined turns notifications off. */
  readonly webhookUrl?: string;
  /** One request, from connecting to the answer's last byte. */
  readonly timeoutMs: number;
  /** Requests per notification, the first included. */
  readonly attemptsMax: number;
  /** The wait before each retry (equal jitter). */
  readonly retryBackoff: BackoffSettings;
}

/** Injection token of the IncidentNotifierSettings read from the environment at boot. */
export const INCIDENT_NOTIFIER_SETTINGS = Symbol('keel.ops.incident-notifier-settings');

export function incidentNotifierSettingsOf(environment: OpsEnvironment): IncidentNotifierSettings {
  return {
    webhookUrl: environment.OPS_ALERT_WEBHOOK_URL,
    timeoutMs: environment.OPS_ALERT_WEBHOOK_TIMEOUT_MS,
    attemptsMax: environment.OPS_ALERT_WEBHOOK_ATTEMPTS_MAX,
    retryBackoff: {
      initialDelayMs: environment.OPS_ALERT_WEBHOOK_RETRY_INITIAL_DELAY_MS,
      maxDelayMs: environment.OPS_ALERT_WEBHOOK_RETRY_MAX_DELAY_MS,
    },
  };
}
