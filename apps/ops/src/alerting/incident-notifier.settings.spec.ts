import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { OpsEnvironment } from '../ops.environment';
import { incidentNotifierSettingsOf } from './incident-notifier.settings';

const REQUIRED = {
  PORT: '3006',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_ops',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};
const WEBHOOK_URL = 'https://hooks.slack.example/services/T000/B000/a-secret-token';

describe('incidentNotifierSettingsOf', () => {
  it('is off without a webhook, with every limit at its default', () => {
    expect(incidentNotifierSettingsOf(loadEnvironment(OpsEnvironment, REQUIRED))).toEqual({
      webhookUrl: undefined,
      timeoutMs: 5_000,
      attemptsMax: 4,
      retryBackoff: { initialDelayMs: 1_000, maxDelayMs: 10_000 },
    });
  });

  it('reads the webhook and its limits from the environment', () => {
    const environment = loadEnvironment(OpsEnvironment, {
      ...REQUIRED,
      OPS_ALERT_WEBHOOK_URL: WEBHOOK_URL,
      OPS_ALERT_WEBHOOK_TIMEOUT_MS: '2000',
      OPS_ALERT_WEBHOOK_ATTEMPTS_MAX: '6',
      OPS_ALERT_WEBHOOK_RETRY_INITIAL_DELAY_MS: '250',
      OPS_ALERT_WEBHOOK_RETRY_MAX_DELAY_MS: '4000',
    });
    expect(incidentNotifierSettingsOf(environment)).toEqual({
      webhookUrl: WEBHOOK_URL,
      timeoutMs: 2_000,
      attemptsMax: 6,
      retryBackoff: { initialDelayMs: 250, maxDelayMs: 4_000 },
    });
  });

  it('refuses a webhook that is not an http(s) URL without quoting it, and limits out of range', () => {
    const load = (variables: Record<string, string>) => () =>
      loadEnvironment(OpsEnvironment, { ...REQUIRED, ...variables });
    expect(load({ OPS_ALERT_WEBHOOK_URL: 'ftp://hooks.example/a-secret-token' })).toThrow(EnvironmentError);
    expect(load({ OPS_ALERT_WEBHOOK_URL: 'ftp://hooks.example/a-secret-token' })).not.toThrow(
      /a-secret-token/,
    );
    expect(load({ OPS_ALERT_WEBHOOK_ATTEMPTS_MAX: '0' })).toThrow(/OPS_ALERT_WEBHOOK_ATTEMPTS_MAX/);
    expect(load({ OPS_ALERT_WEBHOOK_TIMEOUT_MS: '50' })).toThrow(/OPS_ALERT_WEBHOOK_TIMEOUT_MS/);
  });
});
