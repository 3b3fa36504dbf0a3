import CircuitBreaker from 'opossum';
import type { BreakerState } from '@keel/contracts';
import type { BreakerSettings } from '../executor.settings';
import { PspBreaker } from './psp-breaker';

type Result = 'ok' | 'declined' | 'down';

const settings: BreakerSettings = {
  errorThresholdPercent: 50,
  volumeThreshold: 4,
  rollingWindowMs: 10_000,
  rollingBuckets: 10,
  resetTimeoutMs: 50,
  halfOpenTrialsMax: 1,
};

function breakerWithLog(overrides: Partial<BreakerSettings> = {}): {
  breaker: PspBreaker<Result>;
  transitions: string[];
} {
  const transitions: string[] = [];
  const breaker = new PspBreaker<Result>(
    'acme',
    { ...settings, ...overrides },
    (result) => result === 'down',
    (previous: BreakerState, next: BreakerState) => transitions.push(`${previous}->${next}`),
  );
  return { breaker, transitions };
}

const answer = (result: Result) => (): Promise<Result> => Promise.resolve(result);
/** A call that answers when the test says so. */
function heldCall(): { call: () => Promise<Result>; answer: (result: Result) => void } {
  let answer: (result: Result) => void = () => undefined;
  const call = (): Promise<Result> => new Promise<Result>((resolve) => (answer = resolve));
  return { call, answer: (result) => answer(result) };
}

const breakers: PspBreaker<Result>[] = [];

async function openBreaker(breaker: PspBreaker<Result>): Promise<void> {
  for (let call = 0; call < 4; call += 1) await breaker.run(answer('down'));
}

// opossum keeps its reset timeout and rolling window on timers: the tests move the clock themselves.
beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  breakers.splice(0).forEach((breaker) => breaker.shutdown());
  jest.useRealTimers();
});

describe('PspBreaker', () => {
  it('never opens on declines, even when every call is declined', async () => {
    const { breaker, transitions } = breakerWithLog();
    breakers.push(breaker);
    for (let call = 0; call < 50; call += 1) {
      expect(await breaker.run(answer('declined'))).toEqual({ admitted: true, value: 'declined' });
    }
    expect(breaker.currentState).toBe('closed');
    expect(transitions).toEqual([]);
  });

  it('opens on failures past the volume and error thresholds, then rejects without calling', async () => {
    const { breaker, transitions } = breakerWithLog();
    breakers.push(breaker);
    // A failure is still handed back as the call's value: the caller needs what the PSP said.
    expect(await breaker.run(answer('down'))).toEqual({ admitted: true, value: 'down' });
    await openBreaker(breaker);
    expect(breaker.currentState).toBe('open');
    const call = jest.fn(answer('ok'));
    expect(await breaker.run(call)).toEqual({ admitted: false });
    expect(call).not.toHaveBeenCalled();
    expect(transitions).toEqual(['closed->open']);
  });

  it('half-opens after the reset timeout, admits a bounded number of trials, and closes on success', async () => {
    const { breaker, transitions } = breakerWithLog();
    breakers.push(breaker);
    await openBreaker(breaker);
    await jest.advanceTimersByTimeAsync(settings.resetTimeoutMs - 1);
    expect(breaker.currentState).toBe('open');
    expect(breaker.admits()).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(breaker.currentState).toBe('half_open');
    const held = heldCall();
    const trial = breaker.run(held.call);
    expect(breaker.admits()).toBe(false);
    expect(await breaker.run(answer('ok'))).toEqual({ admitted: false });
    held.answer('ok');
    expect(await trial).toEqual({ admitted: true, value: 'ok' });
    expect(breaker.currentState).toBe('closed');
    expect(transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('re-opens when the half-open trial fails', async () => {
    const { breaker, transitions } = breakerWithLog();
    breakers.push(breaker);
    await openBreaker(breaker);
    await jest.advanceTimersByTimeAsync(settings.resetTimeoutMs);
    await breaker.run(answer('down'));
    expect(breaker.currentState).toBe('open');
    expect(transitions).toEqual(['closed->open', 'open->half_open', 'half_open->open']);
  });

  it('lets a slow call finish while others fail: no breaker-wide abort', async () => {
    const { breaker } = breakerWithLog();
    breakers.push(breaker);
    const held = heldCall();
    const slow = breaker.run(held.call);
    await openBreaker(breaker);
    expect(breaker.currentState).toBe('open');
    // However long it takes: each PSP call has its own timeout, the breaker none.
    await jest.advanceTimersByTimeAsync(60_000);
    held.answer('ok');
    expect(await slow).toEqual({ admitted: true, value: 'ok' });
  });

  it('reports the first transition to a listener given at construction', async () => {
    const { breaker, transitions } = breakerWithLog({ volumeThreshold: 1 });
    breakers.push(breaker);
    await breaker.run(answer('down'));
    expect(transitions).toEqual(['closed->open']);
  });
});

/**
 * What opossum itself does, pinned so that an upgrade that changes it is noticed: these are the
 * reasons PspBreaker does not use errorFilter, timeout or abortController.
 */
describe('opossum 9 behaviour PspBreaker relies on avoiding', () => {
  const options = {
    timeout: false as const,
    errorThresholdPercentage: 50,
    volumeThreshold: 1,
    rollingCountTimeout: 10_000,
    rollingCountBuckets: 10,
    resetTimeout: 30,
  };

  it('counts an error passed by errorFilter as a success: a "decline" closes a half-open breaker', async () => {
    const raw = new CircuitBreaker<[string], string>(
      (kind: string) => (kind === 'ok' ? Promise.resolve(kind) : Promise.reject(new Error(kind))),
      { ...options, errorFilter: (error: Error) => error.message === 'declined' } as typeof options,
    );
    await raw.fire('down').catch(() => undefined);
    expect(raw.opened).toBe(true);
    await jest.advanceTimersByTimeAsync(options.resetTimeout);
    expect(raw.halfOpen).toBe(true);
    await raw.fire('declined').catch(() => undefined);
    expect(raw.closed).toBe(true);
    raw.shutdown();
  });

  it('aborts every call in flight on the first timeout when given an abortController', async () => {
    const controller = new AbortController();
    const raw = new CircuitBreaker<[], string>(() => new Promise<string>(() => undefined), {
      ...options,
      volumeThreshold: 100,
      timeout: 20,
      abortController: controller,
    } as unknown as typeof options);
    const slowCallSignal = controller.signal;
    const firing = raw.fire().catch(() => undefined);
    await jest.advanceTimersByTimeAsync(19);
    expect(slowCallSignal.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await firing;
    expect(slowCallSignal.aborted).toBe(true);
    raw.shutdown();
  });

  it('does not tell a listener added late about transitions before it', async () => {
    const raw = new CircuitBreaker<[], string>(() => Promise.reject(new Error('down')), options);
    await raw.fire().catch(() => undefined);
    const late: string[] = [];
    raw.on('open', () => late.push('open'));
    expect(raw.opened).toBe(true);
    expect(late).toEqual([]);
    raw.shutdown();
  });
});
