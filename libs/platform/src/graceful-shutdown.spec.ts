import { shutdownSettingsOf } from './graceful-shutdown';
import { EnvironmentError, loadEnvironment, ServiceEnvironment } from './service-environment';

const BASE = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_test',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};

function settingsFrom(variables: Record<string, string>) {
  return shutdownSettingsOf(loadEnvironment(ServiceEnvironment, { ...BASE, ...variables }));
}

describe('shutdown settings', () => {
  it('default to a 5 s drain within a 20 s shutdown, below Kubernetes 30 s grace period', () => {
    expect(settingsFrom({})).toEqual({ drainDelayMs: 5_000, timeoutMs: 20_000 });
  });

  it('read SHUTDOWN_DRAIN_DELAY_MS and SHUTDOWN_TIMEOUT_MS', () => {
    expect(settingsFrom({ SHUTDOWN_DRAIN_DELAY_MS: '0', SHUTDOWN_TIMEOUT_MS: '8000' })).toEqual({
      drainDelayMs: 0,
      timeoutMs: 8_000,
    });
  });

  it.each([
    ['SHUTDOWN_DRAIN_DELAY_MS', '-1'],
    ['SHUTDOWN_DRAIN_DELAY_MS', 'soon'],
    ['SHUTDOWN_TIMEOUT_MS', '999'],
    ['SHUTDOWN_TIMEOUT_MS', '600001'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => settingsFrom({ [name]: value })).toThrow(EnvironmentError);
    expect(() => settingsFrom({ [name]: value })).toThrow(name);
  });

  it('refuse a drain that leaves the other phases no time', () => {
    expect(() => settingsFrom({ SHUTDOWN_DRAIN_DELAY_MS: '20000' })).toThrow(
      'SHUTDOWN_DRAIN_DELAY_MS (20000) must be below SHUTDOWN_TIMEOUT_MS (20000)',
    );
  });
});
