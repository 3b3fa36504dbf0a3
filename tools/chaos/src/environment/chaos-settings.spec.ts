import { chaosEnvironmentSettings } from './chaos-settings';

describe('chaosEnvironmentSettings', () => {
  it('has safe defaults', () => {
    expect(chaosEnvironmentSettings({})).toEqual({
      kafkaHeap: '512m',
      kafkaStartTimeoutMs: 90_000,
      kafkaStopTimeoutMs: 30_000,
      readyTimeoutMs: 120_000,
      restartAttemptsMax: 5,
    });
  });

  it('takes valid values and refuses malformed ones with the variable named', () => {
    expect(chaosEnvironmentSettings({ KEEL_CHAOS_KAFKA_HEAP: '1g' }).kafkaHeap).toBe('1g');
    expect(() => chaosEnvironmentSettings({ KEEL_CHAOS_KAFKA_HEAP: 'lots' })).toThrow(
      'KEEL_CHAOS_KAFKA_HEAP',
    );
    expect(() => chaosEnvironmentSettings({ KEEL_CHAOS_READY_TIMEOUT_MS: '-5' })).toThrow(
      'KEEL_CHAOS_READY_TIMEOUT_MS must be a positive integer',
    );
  });
});
