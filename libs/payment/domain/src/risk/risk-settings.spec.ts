import { parseAmountLimits, parseList, RiskSettingsError } from './risk-settings';

describe('parseAmountLimits', () => {
  it('reads limits per currency as bigint minor units', () => {
    expect(parseAmountLimits('{"KRW":"5000000","USD":"500000"}')).toEqual(
      new Map([
        ['KRW', 5_000_000n],
        ['USD', 500_000n],
      ]),
    );
  });

  it('reads an empty value as no limits', () => {
    expect(parseAmountLimits('').size).toBe(0);
    expect(parseAmountLimits('{}').size).toBe(0);
  });

  it.each([
    ['not JSON', '{KRW:1}'],
    ['an array', '["KRW"]'],
    ['a number amount, which may have lost digits', '{"KRW":5000000}'],
    ['a zero amount', '{"KRW":"0"}'],
    ['a fractional amount', '{"KRW":"1.5"}'],
    ['an amount beyond 2^63 - 1', '{"KRW":"9223372036854775808"}'],
    ['a lower-case currency', '{"krw":"1"}'],
  ])('refuses %s', (_name, json) => {
    expect(() => parseAmountLimits(json)).toThrow(RiskSettingsError);
  });
});

describe('parseList', () => {
  it('splits on commas, trims, drops empty entries and normalises', () => {
    expect(parseList(' kp, ir ,,', (entry) => entry.toUpperCase())).toEqual(new Set(['KP', 'IR']));
    expect(parseList('').size).toBe(0);
  });
});
