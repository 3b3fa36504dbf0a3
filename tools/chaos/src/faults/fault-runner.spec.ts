import { FAULT_CLASSES, type FaultClass, type InjectedFault, type ScheduledFault } from './fault';
import type { ActiveFault, FaultContext, FaultInjector } from './fault-context';
import { runFaultSchedule, undoActiveFaults } from './fault-runner';

/** The runner never looks into the context; the injectors here do not either. */
const CONTEXT = {} as FaultContext;

interface FakeFault {
  readonly faultClass?: FaultClass;
  readonly target: string;
  readonly atMs: number;
  readonly durationMs: number;
  /** How long its undo takes (a broker or a service starting again). */
  readonly undoMs?: number;
  readonly fails?: 'inject' | 'undo';
}

function fault(fake: FakeFault): ScheduledFault {
  return {
    atMs: fake.atMs,
    durationMs: fake.durationMs,
    faultClass: fake.faultClass ?? 'service-kill',
    target: fake.target,
    parameters: { undoMs: fake.undoMs ?? 0, ...(fake.fails === undefined ? {} : { fails: fake.fails }) },
  };
}

/** A Kafka broker restart; its undo (the broker starting again) takes `undoMs`. */
function brokerRestart(atMs: number, durationMs: number, undoMs?: number): ScheduledFault {
  return fault({ faultClass: 'kafka-broker-restart', target: 'kafka', atMs, durationMs, undoMs });
}

/** Injectors that log, at fake time since the run started, what happens to each fault (`<target>@<atMs>`). */
function recordingInjectors(log: string[], runStartMs: number): Record<FaultClass, FaultInjector> {
  const at = (): number => Date.now() - runStartMs;
  const injector: FaultInjector = async (scheduled) => {
    const name = `${scheduled.target}@${scheduled.atMs}`;
    if (scheduled.parameters['fails'] === 'inject') throw new Error('simulator unreachable');
    log.push(`${at()} inject ${name}`);
    return {
      observation: () => `seen ${name}`,
      undo: async () => {
        const undoMs = Number(scheduled.parameters['undoMs']);
        if (undoMs > 0) await new Promise((resolve) => setTimeout(resolve, undoMs));
        log.push(`${at()} undone ${name}`);
        if (scheduled.parameters['fails'] === 'undo') throw new Error('undo refused');
      },
    };
  };
  return Object.fromEntries(FAULT_CLASSES.map((faultClass) => [faultClass, injector])) as Record<
    FaultClass,
    FaultInjector
  >;
}

function startRun(
  schedule: readonly ScheduledFault[],
  options: { active?: Set<ActiveFault>; signal?: AbortSignal } = {},
): { log: string[]; running: Promise<InjectedFault[]> } {
  const log: string[] = [];
  const running = runFaultSchedule({
    schedule,
    context: CONTEXT,
    active: options.active ?? new Set(),
    injectors: recordingInjectors(log, Date.now()),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
  return { log, running };
}

async function finish(running: Promise<InjectedFault[]>): Promise<InjectedFault[]> {
  await jest.runAllTimersAsync();
  return running;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe('runFaultSchedule', () => {
  it('injects each fault at its time, undoes it after its duration, and records failures without stopping', async () => {
    const { log, running } = startRun([
      fault({ target: 'wallet', atMs: 0, durationMs: 30 }),
      fault({ target: 'acme', atMs: 10, durationMs: 50, fails: 'inject' }),
      fault({ target: 'nova', atMs: 150, durationMs: 20, fails: 'undo' }),
    ]);
    const injected = await finish(running);

    expect(log).toEqual([
      '0 inject wallet@0',
      '30 undone wallet@0',
      '150 inject nova@150',
      '170 undone nova@150',
    ]);
    expect(injected.map(({ target, observation, error }) => ({ target, observation, error }))).toEqual([
      { target: 'wallet', observation: 'seen wallet@0', error: undefined },
      { target: 'acme', observation: undefined, error: 'inject failed: simulator unreachable' },
      { target: 'nova', observation: 'seen nova@150', error: 'undo failed: undo refused' },
    ]);
    expect(injected.every((entry) => entry.endedAt !== undefined && entry.startDelayMs === undefined)).toBe(
      true,
    );
  });

  it("runs a delay on the network path to a target beside the target's own fault", async () => {
    const { log, running } = startRun([
      brokerRestart(0, 5_000, 20_000),
      fault({ faultClass: 'network-delay', target: 'kafka', atMs: 10_000, durationMs: 2_000 }),
    ]);
    await finish(running);

    expect(log).toEqual([
      '0 inject kafka@0',
      '10000 inject kafka@10000',
      '12000 undone kafka@10000',
      '25000 undone kafka@0',
    ]);
  });

  it('starts a fault on the same target only once the one before has ended, its slow undo included', async () => {
    const { log, running } = startRun([
      brokerRestart(0, 5_000, 20_000),
      brokerRestart(10_000, 2_000),
      brokerRestart(40_000, 5_000),
    ]);

    await jest.advanceTimersByTimeAsync(24_999);
    expect(log).toEqual(['0 inject kafka@0']);
    await jest.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['0 inject kafka@0', '25000 undone kafka@0', '25000 inject kafka@10000']);
    const injected = await finish(running);

    expect(log).toEqual([
      '0 inject kafka@0',
      '25000 undone kafka@0',
      '25000 inject kafka@10000',
      '27000 undone kafka@10000',
      '40000 inject kafka@40000',
      '45000 undone kafka@40000',
    ]);
    expect(injected.map((entry) => entry.startDelayMs)).toEqual([undefined, 15_000, undefined]);
  });

  it('keeps faults on different targets concurrent, each on its own clock', async () => {
    const { log, running } = startRun([
      fault({ target: 'payment', atMs: 0, durationMs: 5_000, undoMs: 20_000 }),
      fault({ target: 'wallet', atMs: 1_000, durationMs: 2_000, undoMs: 10_000 }),
      fault({ faultClass: 'psp-outage', target: 'acme', atMs: 2_000, durationMs: 1_000 }),
    ]);
    const injected = await finish(running);

    expect(log).toEqual([
      '0 inject payment@0',
      '1000 inject wallet@1000',
      '2000 inject acme@2000',
      '3000 undone acme@2000',
      '13000 undone wallet@1000',
      '25000 undone payment@0',
    ]);
    expect(injected.map((entry) => entry.startDelayMs)).toEqual([undefined, undefined, undefined]);
  });

  it('on abort undoes the faults in force at once and skips those not started, waiting ones included', async () => {
    const abort = new AbortController();
    const { log, running } = startRun(
      [
        fault({ target: 'kafka', atMs: 0, durationMs: 5_000, undoMs: 20_000 }),
        fault({ target: 'kafka', atMs: 10_000, durationMs: 1_000 }),
        fault({ target: 'payment', atMs: 0, durationMs: 60_000 }),
        fault({ target: 'payment', atMs: 60_000, durationMs: 1_000 }),
      ],
      { signal: abort.signal },
    );

    await jest.advanceTimersByTimeAsync(12_000);
    abort.abort();
    const injected = await finish(running);

    expect(log).toEqual([
      '0 inject kafka@0',
      '0 inject payment@0',
      '12000 undone payment@0',
      '25000 undone kafka@0',
    ]);
    expect(injected.map((entry) => entry.error)).toEqual([
      undefined,
      'not started: the run was aborted',
      undefined,
      'not started: the run was aborted',
    ]);
  });

  it('leaves a fault that heal() undid first alone', async () => {
    const active = new Set<ActiveFault>();
    const { log, running } = startRun([fault({ target: 'wallet', atMs: 0, durationMs: 200 })], { active });

    await jest.advanceTimersByTimeAsync(50);
    await undoActiveFaults(active);
    await finish(running);

    expect(log).toEqual(['0 inject wallet@0', '50 undone wallet@0']);
  });
});
