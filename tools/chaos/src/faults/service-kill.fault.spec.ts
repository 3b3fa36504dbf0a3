import type { KeelSystem, SystemInstance, SystemProcessName } from '@keel/local-system';
import type { ScheduledFault } from './fault';
import { metricTotal, targetInstance } from './service-kill.fault';

const EXPOSITION = [
  '# HELP keel_consumer_lag_records Records behind the end of each partition.',
  '# TYPE keel_consumer_lag_records gauge',
  'keel_consumer_lag_records{topic="a",partition="0"} 3',
  'keel_consumer_lag_records{topic="a",partition="1"} 4',
  'keel_outbox_backlog_rows 0',
  'keel_outbox_backlog_rows_total 99',
].join('\n');

describe('metricTotal', () => {
  it('sums every sample of one metric and nothing else', () => {
    expect(metricTotal(EXPOSITION, 'keel_consumer_lag_records')).toBe(7);
    expect(metricTotal(EXPOSITION, 'keel_outbox_backlog_rows')).toBe(0);
    expect(metricTotal(EXPOSITION, 'keel_missing')).toBe(0);
  });
});

describe('targetInstance', () => {
  /** Only `instances()` is read: payment runs two instances, wallet one. */
  const system = {
    instances: (name: SystemProcessName): SystemInstance[] =>
      (name === 'payment' ? ['payment', 'payment-2'] : [name]).map(
        (instance) => ({ name: instance, service: name }) as SystemInstance,
      ),
  } as unknown as KeelSystem;
  const kill = (target: string, parameters: ScheduledFault['parameters']): ScheduledFault => ({
    atMs: 0,
    durationMs: 1_000,
    faultClass: 'service-kill',
    target,
    parameters,
  });

  it('hits the instance the schedule names, the first when it names none', () => {
    expect(targetInstance(kill('payment', { signal: 'SIGKILL', instance: 1 }), system).name).toBe(
      'payment-2',
    );
    expect(targetInstance(kill('payment', { signal: 'SIGKILL', instance: 0 }), system).name).toBe('payment');
    expect(targetInstance(kill('payment', { signal: 'SIGKILL' }), system).name).toBe('payment');
    expect(targetInstance(kill('wallet', { signal: 'SIGKILL' }), system).name).toBe('wallet');
  });

  it('refuses an instance the target does not run, and an unknown process', () => {
    expect(() => targetInstance(kill('wallet', { instance: 1 }), system)).toThrow(
      'wallet has no instance 1 (it runs 1)',
    );
    expect(() => targetInstance(kill('payment', { instance: 'two' }), system)).toThrow('instance');
    expect(() => targetInstance(kill('kafka', {}), system)).toThrow('unknown process kafka');
  });
});
