import { FAULT_CLASSES, type FaultClass, type ScheduledFault } from './fault';
import type { ActiveFault, FaultContext, FaultInjector } from './fault-context';
import { runFaultSchedule, undoActiveFaults } from './fault-runner';

/** The runner never looks into the context; the injectors here do not either. */
const CONTEXT = {} as FaultContext;

function fault(faultClass: FaultClass, atMs: number, durationMs: number): ScheduledFault {
  return { atMs, durationMs, faultClass, target: 'acme', parameters: {} };
}

/** Injectors that log what happens to them; `psp-outage` fails to inject, `psp-latency` to undo. */
function recordingInjectors(log: string[]): Record<FaultClass, FaultInjector> {
  const injector: FaultInjector = async (scheduled) => {
    if (scheduled.faultClass === 'psp-outage') throw new Error('simulator unreachable');
    log.push(`inject ${scheduled.faultClass}`);
    return {
      observation: () => `seen ${scheduled.faultClass}`,
      undo: async () => {
        log.push(`undo ${scheduled.faultClass}`);
        if (scheduled.faultClass === 'psp-latency') throw new Error('undo refused');
      },
    };
  };
  return Object.fromEntries(FAULT_CLASSES.map((faultClass) => [faultClass, injector])) as Record<
    FaultClass,
    FaultInjector
  >;
}

describe('runFaultSchedule', () => {
  it('injects each fault at its time, undoes it after its duration, and records failures without stopping', async () => {
    const log: string[] = [];
    const startedAtMs = Date.now();
    const injected = await runFaultSchedule({
      schedule: [fault('service-kill', 0, 30), fault('psp-outage', 10, 50), fault('psp-latency', 150, 20)],
      context: CONTEXT,
      active: new Set(),
      injectors: recordingInjectors(log),
    });
    expect(Date.now() - startedAtMs).toBeGreaterThanOrEqual(165);
    expect(log).toEqual([
      'inject service-kill',
      'undo service-kill',
      'inject psp-latency',
      'undo psp-latency',
    ]);
    expect(
      injected.map(({ faultClass, observation, error }) => ({ faultClass, observation, error })),
    ).toEqual([
      { faultClass: 'service-kill', observation: 'seen service-kill', error: undefined },
      { faultClass: 'psp-outage', observation: undefined, error: 'inject failed: simulator unreachable' },
      { faultClass: 'psp-latency', observation: 'seen psp-latency', error: 'undo failed: undo refused' },
    ]);
    expect(injected.every((entry) => entry.endedAt !== undefined)).toBe(true);
  });

  it('on abort undoes the faults in force at once and skips those not started', async () => {
    const log: string[] = [];
    const abort = new AbortController();
    const running = runFaultSchedule({
      schedule: [fault('service-kill', 0, 60_000), fault('network-delay', 60_000, 1_000)],
      context: CONTEXT,
      active: new Set(),
      signal: abort.signal,
      injectors: recordingInjectors(log),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    const injected = await running;
    expect(log).toEqual(['inject service-kill', 'undo service-kill']);
    expect(injected[1]?.error).toBe('not started: the run was aborted');
  });

  it('leaves a fault that heal() undid first alone', async () => {
    const log: string[] = [];
    const active = new Set<ActiveFault>();
    const running = runFaultSchedule({
      schedule: [fault('service-kill', 0, 200)],
      context: CONTEXT,
      active,
      injectors: recordingInjectors(log),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await undoActiveFaults(active);
    await running;
    expect(log).toEqual(['inject service-kill', 'undo service-kill']);
  });
});
