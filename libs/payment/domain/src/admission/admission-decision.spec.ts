import {
  backlogRetryAfterS,
  decideAdmission,
  estimatedChargeWaitS,
  pendingLimit,
  type AdmissionLimits,
  type ChargeBacklogSample,
} from './admission-decision';

const NOW_MS = 5_000_000;
const LIMITS: AdmissionLimits = {
  maxConcurrentCreates: 4,
  maxPendingPayments: 100,
  maxChargeWaitMs: 60_000,
  pendingLimitFloor: 20,
  sampleMaxAgeMs: 5_000,
  retryAfterMaxS: 30,
};

function sample(
  pendingPayments: number,
  chargedPerS = 10,
  ageMs = 0,
  oldestPendingAgeMs = 60_000,
): ChargeBacklogSample {
  return { pendingPayments, chargedPerS, oldestPendingAgeMs, sampledAtMs: NOW_MS - ageMs };
}

describe('decideAdmission', () => {
  it('admits while creates in flight and the charge backlog are under their limits', () => {
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

  it('refuses with reason charge_backlog while the backlog is at or over its cap', () => {
    expect(decideAdmission({ createsInFlight: 0, backlog: sample(100), nowMs: NOW_MS }, LIMITS)).toEqual({
      admitted: false,
      reason: 'charge_backlog',
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

describe('decideAdmission without a charge rate', () => {
  it('admits a backlog above the floor until its oldest order has waited the budget (a cold start)', () => {
    const starting = { createsInFlight: 0, backlog: sample(80, 0, 0, 3_000), nowMs: NOW_MS };
    expect(decideAdmission(starting, LIMITS).admitted).toBe(true);
    const dead = { createsInFlight: 0, backlog: sample(80, 0, 0, 60_000), nowMs: NOW_MS };
    expect(decideAdmission(dead, LIMITS)).toEqual({
      admitted: false,
      reason: 'charge_backlog',
      retryAfterS: LIMITS.retryAfterMaxS,
    });
  });

  it('never refuses below the floor, however long a few orders have waited (unknown outcomes)', () => {
    const stuck = { createsInFlight: 0, backlog: sample(19, 0, 0, 3_600_000), nowMs: NOW_MS };
    expect(decideAdmission(stuck, LIMITS).admitted).toBe(true);
  });

  it('still refuses at the cap', () => {
    const full = { createsInFlight: 0, backlog: sample(100, 0, 0, 1_000), nowMs: NOW_MS };
    expect(decideAdmission(full, LIMITS).admitted).toBe(false);
  });
});

describe('pendingLimit', () => {
  const BUDGET_LIMITS: AdmissionLimits = { ...LIMITS, maxPendingPayments: 10_000 };

  it('holds as many payments as get their charge outcome within the wait budget at the recent rate', () => {
    expect(pendingLimit(sample(0, 10), BUDGET_LIMITS)).toBe(600);
    expect(pendingLimit(sample(0, 12.5), BUDGET_LIMITS)).toBe(750);
    expect(pendingLimit(sample(0, 0.105), BUDGET_LIMITS)).toBe(20);
  });

  it('never limits below the floor, so a quiet system with no charge rate still admits', () => {
    expect(pendingLimit(sample(0, 0), BUDGET_LIMITS)).toBe(20);
    expect(pendingLimit(sample(0, 0.2), BUDGET_LIMITS)).toBe(20);
    expect(
      decideAdmission({ createsInFlight: 0, backlog: sample(19, 0), nowMs: NOW_MS }, LIMITS).admitted,
    ).toBe(true);
  });

  it('never allows more than the cap, however fast the executor', () => {
    expect(pendingLimit(sample(0, 1_000), LIMITS)).toBe(100);
  });

  it('refuses once a payment admitted now would wait the budget or longer for its charge', () => {
    const atBudget = { createsInFlight: 0, backlog: sample(600, 10), nowMs: NOW_MS };
    expect(estimatedChargeWaitS(atBudget.backlog)).toBe(60);
    expect(decideAdmission(atBudget, BUDGET_LIMITS)).toEqual({
      admitted: false,
      reason: 'charge_backlog',
      retryAfterS: 1,
    });
    const underBudget = { createsInFlight: 0, backlog: sample(599, 10), nowMs: NOW_MS };
    expect(decideAdmission(underBudget, BUDGET_LIMITS).admitted).toBe(true);
  });
});

describe('estimatedChargeWaitS', () => {
  it('is the backlog over the charge rate (Little’s law)', () => {
    expect(estimatedChargeWaitS(sample(250, 25))).toBe(10);
  });

  it('is zero with nothing pending, and what the oldest pending order waited while nothing gets an outcome', () => {
    expect(estimatedChargeWaitS(sample(0, 0))).toBe(0);
    expect(estimatedChargeWaitS(sample(1, 0, 0, 12_500))).toBe(12.5);
  });
});

describe('backlogRetryAfterS', () => {
  it('is the time to bring the backlog under the limit at the recent charge rate', () => {
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
