import { chargedPaymentsPerS, chargeOutcomesCap } from './charge-rate';

const WINDOW = { windowMs: 60_000, outcomesCap: 2_000 };

describe('chargeOutcomesCap', () => {
  it('reads the outcomes of the rate at which the pending cap binds before the wait budget', () => {
    expect(chargeOutcomesCap(2_000, 60_000, 60_000)).toBe(2_000);
    expect(chargeOutcomesCap(2_000, 120_000, 60_000)).toBe(4_000);
    expect(chargeOutcomesCap(5, 1_000, 60_000)).toBe(1);
  });
});

describe('chargedPaymentsPerS', () => {
  it('is the distinct payments charged within the window over its length', () => {
    expect(chargedPaymentsPerS({ outcomes: 1_500, payments: 1_500, oldestAgeMs: 60_000 }, WINDOW)).toBe(25);
  });

  it('counts a payment with several orders once', () => {
    expect(chargedPaymentsPerS({ outcomes: 1_200, payments: 600, oldestAgeMs: 60_000 }, WINDOW)).toBe(10);
  });

  it('is zero when no payment got an outcome within the window', () => {
    expect(chargedPaymentsPerS({ outcomes: 0, payments: 0, oldestAgeMs: undefined }, WINDOW)).toBe(0);
  });

  it('falls only by the stalled share of the window while the executor stalls', () => {
    // 25 payments/s until the executor stopped 15 s ago: 45 s of outcomes left in the window.
    expect(chargedPaymentsPerS({ outcomes: 1_125, payments: 1_125, oldestAgeMs: 60_000 }, WINDOW)).toBe(
      18.75,
    );
  });

  it('measures a rate that began within the window over its own span, not the quiet before it', () => {
    // Traffic began 4 s ago after a quiet minute: 100 payments charged since.
    expect(chargedPaymentsPerS({ outcomes: 100, payments: 100, oldestAgeMs: 4_000 }, WINDOW)).toBe(25);
    expect(chargedPaymentsPerS({ outcomes: 1, payments: 1, oldestAgeMs: 30 }, WINDOW)).toBe(1);
  });

  it('measures over the span of the outcomes read when the cap cut the window short', () => {
    expect(chargedPaymentsPerS({ outcomes: 2_000, payments: 2_000, oldestAgeMs: 20_000 }, WINDOW)).toBe(100);
    expect(chargedPaymentsPerS({ outcomes: 2_000, payments: 1_000, oldestAgeMs: 20_000 }, WINDOW)).toBe(50);
    expect(chargedPaymentsPerS({ outcomes: 2_000, payments: 2_000, oldestAgeMs: 0 }, WINDOW)).toBe(2_000);
  });
});
