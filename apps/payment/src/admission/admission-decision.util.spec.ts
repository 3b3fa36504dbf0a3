import {
  backlogRetryAfterS,
  decideAdmission,
  pendingLimit,
  type AdmissionLimits,
  type BacklogSample,
} from './admission-decision.util';

const NOW_MS = 5_000_000;
const LIMITS: AdmissionLimits = {
  maxConcurrentCreates: 4,
  maxPendingPayments: 100,
  // Generous enough that only the cap of 100 applies at 10 completions/s in the tests below.
  maxBacklogDelayMs: 60_000,
  pendingLimitFloor: 20,
  sampleMaxAgeMs: 5_000,
  retryAfterMaxS: 30,
};

function sample(pendingPayments: number, completionsPerS = 10, ageMs = 0): BacklogSample {
  return { pendingPayments, completionsPerS, sampledAtMs: NOW_MS - ageMs };
}

describe('decideAdmission', () => {
  it('admits while creates in flight and the backlog are under their limits', () => {
    expect(decideAdmission({ createsInFlight: 3, backlog: sample(99), nowMs: NOW_MS }, LIMITS)).toEqual({
      admitted: true,
    });
  });

  it('refuses beyond the concurrent creates at once with Retry-After 1, whatever the backlog', () => {
    expect(decideAdmission({ createsInFlight: 4, backlog: sample(0), nowMs: NOW_MS }, LIMITS)).toEqual({
      admitted: false,
      reason: 'concurrency',
      retryAfterS: 1,
    });
  });

  it('refuses while the backlog is at or over its limit', () => {
    expect(decideAdmission({ createsInFlight: 0, backlog: sample(100), nowMs: NOW_MS }, LIMITS)).toEqual({
      admitted: false,
      reason: 'backlog',
      retryAfterS: 1,
    });
  });

  it('fails open without a sample or with one older than the trusted age', () => {
    expect(decideAdmission({ createsInFlight: 0, backlog: undefined, nowMs: NOW_MS }, LIMITS).admitted).toBe(
      true,
    );
    const stale = sample(1_000, 10, 5_001);
    expect(decideAdmission({ createsInFlight: 0, backlog: stale, nowMs: NOW_MS }, LIMITS).admitted).toBe(
      true,
    );
    const recent = sample(1_000, 10, 5_000);
    expect(decideAdmission({ createsInFlight: 0, backlog: recent, nowMs: NOW_MS }, LIMITS).admitted).toBe(
      false,
    );
  });
});

describe('pendingLimit', () => {
  const DELAY_LIMITS: AdmissionLimits = { ...LIMITS, maxBacklogDelayMs: 5_000 };

  it('holds as much work as the pipeline finishes within the delay at its recent rate', () => {
    expect(pendingLimit(sample(0, 10), DELAY_LIMITS)).toBe(50);
    expect(pendingLimit(sample(0, 12.5), DELAY_LIMITS)).toBe(62);
  });

  it('never limits below the floor, so a quiet system with no completion rate still admits', () => {
    expect(pendingLimit(sample(0, 0), DELAY_LIMITS)).toBe(20);
    expect(pendingLimit(sample(0, 1), DELAY_LIMITS)).toBe(20);
  });

  it('never allows more than the cap, however fast the pipeline', () => {
    expect(pendingLimit(sample(0, 1_000), DELAY_LIMITS)).toBe(100);
  });

  it('refuses when the pending payments would take longer than the delay to finish', () => {
    const overloaded = { createsInFlight: 0, backlog: sample(50, 10), nowMs: NOW_MS };
    expect(decideAdmission(overloaded, DELAY_LIMITS)).toEqual({
      admitted: false,
      reason: 'backlog',
      retryAfterS: 1,
    });
    const underLimit = { createsInFlight: 0, backlog: sample(49, 10), nowMs: NOW_MS };
    expect(decideAdmission(underLimit, DELAY_LIMITS).admitted).toBe(true);
    expect(backlogRetryAfterS(sample(80, 10), DELAY_LIMITS)).toBe(4);
  });
});

describe('backlogRetryAfterS', () => {
  it('is the time to bring the backlog under the limit at the recent completion rate', () => {
    expect(backlogRetryAfterS(sample(139, 10), LIMITS)).toBe(4);
    expect(backlogRetryAfterS(sample(150, 2.5), LIMITS)).toBe(21);
  });

  it('is at least one second', () => {
    expect(backlogRetryAfterS(sample(100, 1_000), LIMITS)).toBe(1);
  });

  it('is the maximum when the backlog drains slower than that, or not at all', () => {
    expect(backlogRetryAfterS(sample(200, 0.5), LIMITS)).toBe(30);
    expect(backlogRetryAfterS(sample(101, 0), LIMITS)).toBe(30);
  });
});
