import { PROFILES, withOverrides } from './profiles';

describe('withOverrides', () => {
  it('keeps the profile when nothing is set', () => {
    expect(withOverrides(PROFILES.short, {})).toEqual(PROFILES.short);
    expect(PROFILES.short.paymentInstances).toBe(2);
    expect(PROFILES.long.paymentInstances).toBe(2);
  });

  it('takes the traffic, rate and payment instances from the environment', () => {
    const profile = withOverrides(PROFILES.long, {
      CHAOS_TRAFFIC_S: '30',
      CHAOS_RATE_PER_S: '1.5',
      CHAOS_PAYMENT_INSTANCES: '3',
    });
    expect(profile).toMatchObject({ trafficMs: 30_000, paymentInstances: 3 });
    expect(profile.mix).toMatchObject({ durationMs: 30_000, ratePerSecond: 1.5 });
    expect(withOverrides(PROFILES.short, { CHAOS_PAYMENT_INSTANCES: '1' }).paymentInstances).toBe(1);
  });

  it('refuses payment instances that are not a whole number ≥ 1', () => {
    for (const raw of ['0', '1.5', '-2', 'two'])
      expect(() => withOverrides(PROFILES.short, { CHAOS_PAYMENT_INSTANCES: raw })).toThrow(
        'CHAOS_PAYMENT_INSTANCES',
      );
  });
});
