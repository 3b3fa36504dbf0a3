import {
  retryAfterMsOf,
  retryDelayMs,
  type AttemptOutcome,
  type RetryPolicy,
  type RetryProgress,
} from './retry-policy';

const POLICY: RetryPolicy = {
  requestTimeoutMs: 2_000,
  attemptsMax: 4,
  patienceMs: 5_000,
  retryInitialDelayMs: 200,
  retryMaxDelayMs: 1_000,
};
const HALF = () => 0.5;

function delayAfter(
  outcome: AttemptOutcome,
  progress: RetryProgress,
  random: () => number = HALF,
): number | undefined {
  return retryDelayMs(outcome, progress, POLICY, random);
}

describe('retryDelayMs', () => {
  it('retries timeouts, lost connections, 5xx and 409 with growing, jittered backoff', () => {
    expect(delayAfter({ kind: 'timeout' }, { attempt: 1, elapsedMs: 0 })).toBe(150);
    expect(delayAfter({ kind: 'network_error', message: 'ECONNRESET' }, { attempt: 2, elapsedMs: 0 })).toBe(
      300,
    );
    expect(delayAfter({ kind: 'answered', status: 503 }, { attempt: 3, elapsedMs: 0 }, () => 0.999)).toBe(
      799,
    );
    expect(delayAfter({ kind: 'answered', status: 409 }, { attempt: 1, elapsedMs: 0 }, () => 0)).toBe(100);
  });

  it("honours the server's Retry-After, capped at the longest delay", () => {
    expect(
      delayAfter({ kind: 'answered', status: 409, retryAfterMs: 500 }, { attempt: 1, elapsedMs: 0 }),
    ).toBe(500);
    expect(
      delayAfter({ kind: 'answered', status: 503, retryAfterMs: 30_000 }, { attempt: 1, elapsedMs: 0 }),
    ).toBe(1_000);
  });

  it('stops on a final answer and after the last attempt', () => {
    expect(delayAfter({ kind: 'answered', status: 202 }, { attempt: 1, elapsedMs: 0 })).toBeUndefined();
    expect(delayAfter({ kind: 'answered', status: 422 }, { attempt: 1, elapsedMs: 0 })).toBeUndefined();
    expect(delayAfter({ kind: 'timeout' }, { attempt: 4, elapsedMs: 0 })).toBeUndefined();
  });

  it('gives up when the next attempt would start past its patience, counted from the first', () => {
    expect(delayAfter({ kind: 'timeout' }, { attempt: 2, elapsedMs: 4_700 })).toBe(300);
    expect(delayAfter({ kind: 'timeout' }, { attempt: 2, elapsedMs: 4_701 })).toBeUndefined();
    const retryAfter = { kind: 'answered', status: 503, retryAfterMs: 1_000 } as const;
    expect(delayAfter(retryAfter, { attempt: 1, elapsedMs: 4_500 })).toBeUndefined();
  });
});

describe('retryAfterMsOf', () => {
  it('reads whole seconds and ignores anything else', () => {
    expect(retryAfterMsOf('2')).toBe(2_000);
    expect(retryAfterMsOf(null)).toBeUndefined();
    expect(retryAfterMsOf('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
  });
});
