import { HealthRegistry, type ReadinessReport } from './health-registry.service';
import { ObservabilityErrorCode } from './observability.error';

const never = () => new Promise<void>(() => undefined);

describe('HealthRegistry', () => {
  it('is ready with no checks and with passing checks', async () => {
    const health = new HealthRegistry();
    await expect(health.checkReadiness()).resolves.toEqual({ ready: true, checks: {} });
    health.register('postgres', async () => undefined);
    health.register('kafka', async () => undefined);
    await expect(health.checkReadiness()).resolves.toEqual({
      ready: true,
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('reports each failing check with its error, including synchronous throws', async () => {
    const health = new HealthRegistry();
    health.register('postgres', async () => undefined);
    health.register('kafka', () => Promise.reject(new Error('broker unreachable')));
    health.register('cache', () => {
      throw new Error('not configured');
    });
    await expect(health.checkReadiness()).resolves.toEqual({
      ready: false,
      reason: 'checks-failed',
      checks: {
        postgres: { status: 'up' },
        kafka: { status: 'down', error: 'broker unreachable' },
        cache: { status: 'down', error: 'not configured' },
      },
    });
  });

  it('stays ready when only a check that does not gate readiness fails, and reports its last result', async () => {
    const health = new HealthRegistry();
    health.register('postgres', async () => undefined);
    health.register('kafka', () => Promise.reject(new Error('broker unreachable')), {
      gatesReadiness: false,
    });
    await expect(health.checkReadiness()).resolves.toEqual({
      ready: true,
      checks: { postgres: { status: 'up' }, kafka: { status: 'down', error: 'broker unreachable' } },
    });
  });

  it('waits only reportWaitMs for a check that does not gate readiness, however long it hangs', async () => {
    jest.useFakeTimers();
    try {
      const health = new HealthRegistry({ defaultTimeoutMs: 60_000, reportWaitMs: 20 });
      let calls = 0;
      const hangs = () => {
        calls += 1;
        return never();
      };
      health.register('kafka', hangs, { gatesReadiness: false });
      for (let probe = 1; probe <= 2; probe += 1) {
        let report: ReadinessReport | undefined;
        void health.checkReadiness().then((answered) => (report = answered));
        await jest.advanceTimersByTimeAsync(19);
        expect(report).toBeUndefined();
        await jest.advanceTimersByTimeAsync(1);
        expect(report).toEqual({
          ready: true,
          checks: { kafka: { status: 'down', error: 'not checked yet' } },
        });
      }
      expect(calls).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps a gating check that answered up while a later call is slow, and turns down once that call times out', async () => {
    jest.useFakeTimers();
    try {
      const health = new HealthRegistry({ defaultTimeoutMs: 2_000, reportWaitMs: 250 });
      let answer: () => Promise<void> = async () => undefined;
      health.register('postgres', () => answer());
      await expect(health.checkReadiness()).resolves.toMatchObject({ ready: true });

      // The database answers, but slowly: the probe does not wait for it.
      answer = never;
      const slow = health.checkReadiness();
      await jest.advanceTimersByTimeAsync(250);
      await expect(slow).resolves.toEqual({ ready: true, checks: { postgres: { status: 'up' } } });

      // Past the check's own timeout the slow call counts as lost.
      await jest.advanceTimersByTimeAsync(1_750);
      const next = health.checkReadiness();
      await jest.advanceTimersByTimeAsync(250);
      await expect(next).resolves.toEqual({
        ready: false,
        reason: 'checks-failed',
        checks: { postgres: { status: 'down', error: 'timed out after 2000 ms' } },
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('is unready while a gating check has not answered once', async () => {
    // On fake timers, so that the check's minute-long timeout does not outlive the test.
    jest.useFakeTimers();
    try {
      const health = new HealthRegistry({ defaultTimeoutMs: 60_000, reportWaitMs: 20 });
      health.register('postgres', never);
      const report = health.checkReadiness();
      await jest.advanceTimersByTimeAsync(20);
      await expect(report).resolves.toEqual({
        ready: false,
        reason: 'checks-failed',
        checks: { postgres: { status: 'down', error: 'not checked yet' } },
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('times out a check that hangs, with the default or its own timeout', async () => {
    const health = new HealthRegistry({ defaultTimeoutMs: 30 });
    health.register('hangs', never);
    health.register('slow', never, { timeoutMs: 10 });
    const report = await health.checkReadiness();
    expect(report).toEqual({
      ready: false,
      reason: 'checks-failed',
      checks: {
        hangs: { status: 'down', error: 'timed out after 30 ms' },
        slow: { status: 'down', error: 'timed out after 10 ms' },
      },
    });
  });

  it('does not start a hanging check again while its first call is outstanding', async () => {
    const health = new HealthRegistry({ defaultTimeoutMs: 5 });
    let calls = 0;
    health.register('hangs', () => {
      calls += 1;
      return never();
    });
    await health.checkReadiness();
    await health.checkReadiness();
    expect(calls).toBe(1);
  });

  it('cuts long error messages', async () => {
    const health = new HealthRegistry({ errorMessageMaxLength: 5 });
    health.register('noisy', () => Promise.reject(new Error('0123456789')));
    await expect(health.checkReadiness()).resolves.toMatchObject({
      checks: { noisy: { status: 'down', error: '01234…' } },
    });
  });

  it('is unready once shutting down, without running checks', async () => {
    const health = new HealthRegistry();
    const check = jest.fn(async () => undefined);
    health.register('postgres', check);
    health.beforeApplicationShutdown();
    expect(health.isShuttingDown()).toBe(true);
    await expect(health.checkReadiness()).resolves.toEqual({ ready: false, reason: 'shutting-down' });
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses duplicate and malformed names and invalid limits', () => {
    const health = new HealthRegistry();
    health.register('postgres', async () => undefined);
    expect(() => health.register('postgres', async () => undefined)).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.DuplicateHealthCheck }),
    );
    expect(() => health.register('', async () => undefined)).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.InvalidHealthCheck }),
    );
    expect(() => health.register('a'.repeat(65), async () => undefined)).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.InvalidHealthCheck }),
    );
    expect(() => health.register('kafka', async () => undefined, { timeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.InvalidLimit }),
    );
    expect(() => new HealthRegistry({ defaultTimeoutMs: 1.5 })).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.InvalidLimit }),
    );
  });

  it('forgets an unregistered check', async () => {
    const health = new HealthRegistry();
    health.register('kafka', () => Promise.reject(new Error('down')));
    health.unregister('kafka');
    expect(health.names()).toEqual([]);
    await expect(health.checkReadiness()).resolves.toEqual({ ready: true, checks: {} });
  });
});
