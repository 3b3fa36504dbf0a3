import { DEFAULT_DETECTION_RULES, horizonOf, ruleProblems, type DetectionRule } from './detection-rule';

const valid: DetectionRule = {
  id: 'psp-trouble',
  kind: 'trouble_rate',
  level: 'psp',
  threshold: 0.3,
  windowMs: 20_000,
  minVolume: 20,
  cooldownMs: 120_000,
  response: 'auto_act',
};

describe('detection rules', () => {
  it("ship valid, and the windows' horizon covers the longest window with its baseline", () => {
    expect(ruleProblems(DEFAULT_DETECTION_RULES)).toEqual([]);
    expect(horizonOf(DEFAULT_DETECTION_RULES)).toBe(11 * 60_000);
  });

  it('name every problem of a rule set an operator sends', () => {
    expect(
      ruleProblems([
        valid,
        { ...valid },
        { ...valid, id: 'Bad Id', threshold: 2, windowMs: 10, minVolume: 0, response: 'shout' as never },
        { ...valid, id: 'no-level', level: undefined },
        { ...valid, id: 'slow', kind: 'latency_percentile', threshold: 3_000 },
        { ...valid, id: 'drop', kind: 'approval_drop', baselineWindowMs: 1_000 },
        { ...valid, id: 'what', kind: 'vibes' as never },
      ]),
    ).toEqual([
      'rule "psp-trouble": id used twice',
      'rule "Bad Id": id must be lowercase letters, digits and dashes',
      'rule "Bad Id": response must be one of alert_only, auto_act',
      'rule "Bad Id": a trouble_rate threshold is a share, at most 1',
      'rule "Bad Id": windowMs must be a whole number ≥ 1000',
      'rule "Bad Id": minVolume must be a whole number ≥ 1',
      'rule "no-level": level must be one of psp, provider, psp_provider',
      'rule "slow": percentile must be between 0 and 1',
      'rule "drop": baselineWindowMs must be at least windowMs',
      'rule "what": unknown kind "vibes"',
    ]);
  });

  it('let state rules go without a level or a window', () => {
    expect(
      ruleProblems([
        {
          id: 'breaker',
          kind: 'breaker_open',
          threshold: 0,
          windowMs: 0,
          minVolume: 0,
          cooldownMs: 0,
          response: 'alert_only',
        },
      ]),
    ).toEqual([]);
  });
});
