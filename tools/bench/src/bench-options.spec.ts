import { parseBenchOptions, variantName } from './bench-options';

describe('parseBenchOptions', () => {
  it('defaults to the full ramp: 10/s, ×1.5 per 30 s step', () => {
    const options = parseBenchOptions([]);
    expect(options).toMatchObject({
      quick: false,
      instances: 1,
      startRatePerS: 10,
      rateGrowthFactor: 1.5,
      stepDurationS: 30,
      overloadDurationS: 90,
    });
    expect(options.kafkaClient).toBeUndefined();
  });

  it('shortens every part with --quick, and later flags still apply', () => {
    expect(parseBenchOptions(['--step-seconds', '5', '--quick'])).toMatchObject({
      quick: true,
      stepDurationS: 5,
      stepsMax: 4,
    });
  });

  it('reads the overload step length', () => {
    expect(parseBenchOptions(['--overload-seconds', '120'])).toMatchObject({ overloadDurationS: 120 });
  });

  it('reads the client, instances and a fixed rate', () => {
    expect(
      parseBenchOptions(['--kafka-client', 'platformatic', '--instances', '2', '--rate', '22.5']),
    ).toMatchObject({
      kafkaClient: 'platformatic',
      instances: 2,
      ratePerS: 22.5,
    });
  });

  it('refuses unknown flags and malformed values with a clear message', () => {
    expect(() => parseBenchOptions(['--fast'])).toThrow(/unknown option "--fast"/);
    expect(() => parseBenchOptions(['--instances', '1.5'])).toThrow(
      /--instances needs a positive integer, got "1.5"/,
    );
    expect(() => parseBenchOptions(['--rate'])).toThrow(/--rate needs a positive number/);
    expect(() => parseBenchOptions(['--growth', '1'])).toThrow(/above 1/);
    expect(() => parseBenchOptions(['--kafka-client', '--quick'])).toThrow(/needs a name/);
  });
});

describe('variantName', () => {
  it('names only runs that differ from the plain full one', () => {
    expect(variantName(parseBenchOptions([]))).toBeUndefined();
    expect(variantName(parseBenchOptions(['--kafka-client', 'kafkajs']))).toBeUndefined();
    expect(variantName(parseBenchOptions(['--kafka-client', 'platformatic']))).toBe('kafka-platformatic');
    expect(variantName(parseBenchOptions(['--instances', '2', '--quick']))).toBe('instances-2-quick');
    expect(variantName(parseBenchOptions(['--rate', '30']))).toBe('rate-30');
    expect(variantName(parseBenchOptions(['--instances', '2', '--rate', '22.5']))).toBe('instances-2');
  });
});
