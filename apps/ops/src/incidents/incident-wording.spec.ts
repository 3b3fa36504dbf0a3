import { changeText } from './incident-wording';

describe('changeText', () => {
  it('says a provider switched off with its notice, on for a probe share of its payments, and on', () => {
    const change = { kind: 'method', methodType: 'card', provider: 'hyundai' } as const;
    expect(changeText({ ...change, enabled: false, notice: 'not now' })).toBe(
      'card/hyundai switched off: "not now"',
    );
    expect(changeText({ ...change, enabled: true, admittedPercent: 10, notice: 'not now' })).toBe(
      'card/hyundai switched on for 10 % of its payments: "not now"',
    );
    expect(changeText({ ...change, enabled: true })).toBe('card/hyundai switched on');
  });
});
