import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { ExecutorEnvironment } from './executor.environment';
import { executorSettingsOf } from './executor.settings';

const base = {
  PORT: '0',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/keel_executor',
  KAFKA_BROKERS: '127.0.0.1:19092',
  KEEL_PROFILE: 'local',
};

const PSP_SECRETS = [
  'PSP_ACME_API_KEY',
  'PSP_ACME_WEBHOOK_SECRET',
  'PSP_NOVA_SECRET',
  'PSP_NOVA_WEBHOOK_SECRET',
  'PSP_SWIFTPAY_API_KEY',
  'PSP_SWIFTPAY_WEBHOOK_SECRET',
];

/** Why the executor refuses to start on `source`. */
function refusalOf(source: NodeJS.ProcessEnv): string {
  try {
    loadEnvironment(ExecutorEnvironment, source);
  } catch (error) {
    if (error instanceof EnvironmentError) return error.message;
    throw error;
  }
  throw new Error('expected the environment to be refused');
}

/** A PSP's credentials as a real deployment sets them: its own, 32 characters or more. */
const configuredSecrets = Object.fromEntries(
  PSP_SECRETS.map((name) => [name, `${name.toLowerCase()}_0123456789abcdef0123456789abcdef`]),
);

describe('executorSettingsOf', () => {
  it('defaults to psp-sim on ports 3011-3013 with a 5 s timeout', () => {
    const settings = executorSettingsOf(loadEnvironment(ExecutorEnvironment, base));
    expect(settings.connectors.acme?.baseUrl).toBe('http://127.0.0.1:3011');
    expect(settings.connectors.nova?.baseUrl).toBe('http://127.0.0.1:3012');
    expect(settings.connectors.swiftpay?.baseUrl).toBe('http://127.0.0.1:3013');
    expect(settings.connectors.acme?.timeoutMs).toBe(5_000);
    expect(settings.connectors.acme?.webhookToleranceMs).toBe(300_000);
    expect(settings.policy.chargeAttemptsMax).toBe(5);
    expect(settings.lease).toEqual({ durationMs: 60_000, holder: undefined });
    expect(JSON.stringify(settings)).not.toContain('acme_test_key');
  });

  it('reads every limit from the environment', () => {
    const settings = executorSettingsOf(
      loadEnvironment(ExecutorEnvironment, {
        ...base,
        PSP_TIMEOUT_MS: '2000',
        EXECUTOR_WORKER_CONCURRENCY: '7',
        EXECUTOR_RESOLVER_BATCH_SIZE: '3',
        EXECUTOR_CHARGE_ATTEMPTS_MAX: '9',
        EXECUTOR_LEASE_MS: '30000',
        KEEL_INSTANCE_ID: '2',
      }),
    );
    expect(settings.lease).toEqual({ durationMs: 30_000, holder: '2' });
    expect(settings.connectors.nova?.timeoutMs).toBe(2_000);
    expect(settings.worker.concurrency).toBe(7);
    expect(settings.resolver.batchSize).toBe(3);
    expect(settings.policy.chargeAttemptsMax).toBe(9);
  });

  it('refuses a lease too short for a charge to finish', () => {
    const environment = loadEnvironment(ExecutorEnvironment, {
      ...base,
      PSP_TIMEOUT_MS: '5000',
      EXECUTOR_LEASE_MS: '10000',
    });
    expect(() => executorSettingsOf(environment)).toThrow(EnvironmentError);
  });

  it('refuses retry delays whose maximum is below their start', () => {
    const environment = loadEnvironment(ExecutorEnvironment, {
      ...base,
      EXECUTOR_RETRY_INITIAL_DELAY_MS: '5000',
      EXECUTOR_RETRY_MAX_DELAY_MS: '1000',
    });
    expect(() => executorSettingsOf(environment)).toThrow(EnvironmentError);
  });

  it('refuses to start outside KEEL_PROFILE=local without the PSP credentials, and names each', () => {
    const message = refusalOf({ ...base, KEEL_PROFILE: undefined });
    for (const name of PSP_SECRETS) {
      expect(message).toContain(`${name} is a secret with no default and is not set`);
    }
    expect(message).toContain('KEEL_PROFILE=local');
  });

  it("refuses psp-sim's test credentials outside KEEL_PROFILE=local, and takes a deployment's own", () => {
    const unprofiled = {
      ...base,
      KEEL_PROFILE: undefined,
      OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
    };
    expect(refusalOf({ ...unprofiled, ...configuredSecrets, PSP_ACME_API_KEY: 'acme_test_key' })).toContain(
      "PSP_ACME_API_KEY is the PSP simulator's public test value, accepted only with KEEL_PROFILE=local",
    );
    const settings = executorSettingsOf(
      loadEnvironment(ExecutorEnvironment, { ...unprofiled, ...configuredSecrets }),
    );
    expect(settings.connectors.acme?.apiKey.reveal()).toBe(configuredSecrets['PSP_ACME_API_KEY']);
    expect(settings.connectors.nova?.webhookSecret.reveal()).toBe(
      configuredSecrets['PSP_NOVA_WEBHOOK_SECRET'],
    );
  });

  it('reads the breaker and routing limits, and refuses a window that buckets do not divide', () => {
    const settings = executorSettingsOf(
      loadEnvironment(ExecutorEnvironment, {
        ...base,
        ROUTING_REFRESH_MS: '500',
        EXECUTOR_BREAKER_ERROR_THRESHOLD_PERCENT: '30',
        EXECUTOR_BREAKER_VOLUME_THRESHOLD: '4',
        EXECUTOR_BREAKER_RESET_TIMEOUT_MS: '1500',
      }),
    );
    expect(settings.routingRefreshMs).toBe(500);
    expect(settings.breaker).toEqual({
      errorThresholdPercent: 30,
      volumeThreshold: 4,
      rollingWindowMs: 10_000,
      rollingBuckets: 10,
      resetTimeoutMs: 1_500,
      halfOpenTrialsMax: 1,
    });
    const uneven = loadEnvironment(ExecutorEnvironment, { ...base, EXECUTOR_BREAKER_ROLLING_BUCKETS: '7' });
    expect(() => executorSettingsOf(uneven)).toThrow(EnvironmentError);
  });
});
