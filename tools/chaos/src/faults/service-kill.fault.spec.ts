import type { KeelSystem, SystemInstance, SystemProcessName } from '@keel/local-system';
import type { ScheduledFault } from './fault';
import { targetInstance } from './service-kill.fault';

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
