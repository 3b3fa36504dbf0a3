import {
  backlogRetryAfterS,
  decideAdmission,
  type AdmissionLimits,
  type BacklogSample,
} from './admission-decision.util';

const NOW_MS = 5_000_000;
const LIMITS: AdmissionLimits = {
  maxConcurrentCreates: 4,
  maxPendingPayments: 100,
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
