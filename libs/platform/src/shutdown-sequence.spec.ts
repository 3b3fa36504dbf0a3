import {
  exitCodeOf,
  runShutdownSequence,
  type ShutdownLog,
  type ShutdownOutcome,
  type ShutdownPhase,
} from './shutdown-sequence';

interface LogLine {
  level: 'info' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

function recordingLog(): ShutdownLog & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (fields, message) =>
      lines.push({ level: 'info', fields: fields as Record<string, unknown>, message }),
    error: (fields, message) =>
      lines.push({ level: 'error', fields: fields as Record<string, unknown>, message }),
  };
}

function phase(
  name: string,
  ran: string[],
  work: () => Promise<void> | void = () => undefined,
): ShutdownPhase {
  return {
    name,
    run: async () => {
      ran.push(name);
      await work();
    },
  };
}

const never = (): Promise<void> => new Promise(() => undefined);

describe('runShutdownSequence', () => {
  it('runs the phases one after another, in order, and logs one line per phase with its duration', async () => {
    const ran: string[] = [];
    const log = recordingLog();
    let clock = 1_000;
    const now = () => clock;
    const outcome = await runShutdownSequence(
      [
        phase('readiness', ran),
        phase('drain', ran, () => {
          clock += 300;
        }),
        phase('http', ran, async () => {
          await Promise.resolve();
          clock += 40;
        }),
      ],
      { timeoutMs: 5_000, log, now },
    );

    expect(ran).toEqual(['readiness', 'drain', 'http']);
    expect(outcome).toEqual({ kind: 'completed', durationMs: 340 });
    expect(exitCodeOf(outcome)).toBe(0);
    expect(log.lines).toEqual([
      { level: 'info', fields: { phase: 'readiness', durationMs: 0 }, message: 'shutdown phase done' },
      { level: 'info', fields: { phase: 'drain', durationMs: 300 }, message: 'shutdown phase done' },
      { level: 'info', fields: { phase: 'http', durationMs: 40 }, message: 'shutdown phase done' },
      { level: 'info', fields: { durationMs: 340 }, message: 'shutdown complete' },
    ]);
  });

  it('ends at the timeout when a phase hangs, naming that phase, and runs none after it', async () => {
    const ran: string[] = [];
    const log = recordingLog();
    jest.useFakeTimers();
    try {
      let outcome: ShutdownOutcome | undefined;
      void runShutdownSequence(
        [phase('http', ran), phase('inbox consumer', ran, never), phase('outbox relay', ran)],
        { timeoutMs: 200, log },
      ).then((ended) => (outcome = ended));
      await jest.advanceTimersByTimeAsync(199);
      expect(outcome).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);

      expect(outcome).toEqual({ kind: 'timed-out', waitingOn: 'inbox consumer', durationMs: 200 });
      expect(exitCodeOf(outcome as ShutdownOutcome)).toBe(1);
      expect(ran).toEqual(['http', 'inbox consumer']);
      expect(log.lines.at(-1)).toMatchObject({
        level: 'error',
        fields: { waitingOn: 'inbox consumer', timeoutMs: 200 },
        message: 'shutdown timed out',
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('runs the phases after a failed one, and reports the failure', async () => {
    const ran: string[] = [];
    const log = recordingLog();
    const outcome = await runShutdownSequence(
      [
        phase('inbox consumer', ran, () => {
          throw new Error('broker unreachable');
        }),
        phase('outbox relay', ran),
        phase('connections', ran),
      ],
      { timeoutMs: 5_000, log },
    );

    expect(ran).toEqual(['inbox consumer', 'outbox relay', 'connections']);
    expect(outcome).toMatchObject({ kind: 'failed', failedPhases: ['inbox consumer'] });
    expect(exitCodeOf(outcome)).toBe(1);
    const failure = log.lines.find((line) => line.message === 'shutdown phase failed');
    expect(failure?.fields).toMatchObject({ phase: 'inbox consumer' });
    expect((failure?.fields['err'] as Error).message).toBe('broker unreachable');
  });

  it('leaves no timer behind once the phases are done', async () => {
    const log = recordingLog();
    jest.useFakeTimers();
    try {
      await runShutdownSequence([phase('readiness', [])], { timeoutMs: 60_000, log });
      expect(jest.getTimerCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});
