import { retryAfterMsOf, retryDelayMs, type RetryPolicy } from './retry-policy';

const POLICY: RetryPolicy = {
  requestTimeoutMs: 2_000,
  attemptsMax: 4,
  retryInitialDelayMs: 200,
  retryMaxDelayMs: 1_000,
};
const HALF = () => 0.5;

describe('retryDelayMs', () => {
  it('retries timeouts, lost connections, 5xx and 409 with growing, jittered backoff', () => {
    expect(retryDelayMs({ kind: 'timeout' }, 1, POLICY, HALF)).toBe(150);
    expect(retryDelayMs({ kind: 'network_error', message: 'ECONNRESET' }, 2, POLICY, HALF)).toBe(300);
    expect(retryDelayMs({ kind: 'answered', status: 503 }, 3, POLICY, () => 0.999)).toBe(800);
    expect(retryDelayMs({ kind: 'answered', status: 409 }, 1, POLICY, () => 0)).toBe(100);
  });

  it("honours the server's Retry-After, capped at the longest delay", () => {
    expect(retryDelayMs({ kind: 'answered', status: 409, retryAfterMs: 500 }, 1, POLICY, HALF)).toBe(500);
    expect(retryDelayMs({ kind: 'answered', status: 503, retryAfterMs: 30_000 }, 1, POLICY, HALF)).toBe(
      1_000,
    );
  });

  it('stops on a final answer and after the last attempt', () => {
    expect(retryDelayMs({ kind: 'answered', status: 202 }, 1, POLICY, HALF)).toBeUndefined();
    expect(retryDelayMs({ kind: 'answered', status: 422 }, 1, POLICY, HALF)).toBeUndefined();
    expect(retryDelayMs({ kind: 'timeout' }, 4, POLICY, HALF)).toBeUndefined();
  });
});

describe('retryAfterMsOf', () => {
  it('reads whole seconds and ignores anything else', () => {
    expect(retryAfterMsOf('2')).toBe(2_000);
    expect(retryAfterMsOf(null)).toBeUndefined();
    expect(retryAfterMsOf('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined();
  });
});
