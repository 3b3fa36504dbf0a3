import { parseDrillArguments } from './drill-options';

describe('parseDrillArguments', () => {
  it("takes the scenario's defaults and an isolated system when only a scenario is named", () => {
    const options = parseDrillArguments(['card-psp-down']);
    expect(options.scenario.name).toBe('card-psp-down');
    expect(options.ratePerSecond).toBe(options.scenario.defaultRatePerSecond);
    expect(options.faultSeconds).toBe(options.scenario.defaultFaultSeconds);
    expect(options.report).toBe(false);
    expect(options.running).toBeUndefined();
  });

  it('reads the rate, the fault period and --report in any order', () => {
    const options = parseDrillArguments(['--rate', '25', 'issuer-down', '--report', '--fault-seconds', '40']);
    expect(options).toMatchObject({ ratePerSecond: 25, faultSeconds: 40, report: true });
    expect(options.scenario.name).toBe('issuer-down');
  });

  it('takes a running system only with every URL and an API key, trailing slashes dropped', () => {
    const urls = [
      '--payment-url',
      'http://h:3001/',
      '--executor-url',
      'http://h:3002',
      '--ops-url',
      'http://h:3006',
    ];
    expect(() => parseDrillArguments(['slow-psp', ...urls])).toThrow(
      'a running system needs --psp-sim-url, --api-key as well',
    );
    const options = parseDrillArguments([
      'slow-psp',
      ...urls,
      '--psp-sim-url',
      'http://h:3010',
      '--api-key',
      'key_1',
    ]);
    expect(options.running).toEqual({
      paymentUrl: 'http://h:3001',
      executorUrl: 'http://h:3002',
      opsUrl: 'http://h:3006',
      pspSimUrl: 'http://h:3010',
      apiKey: 'key_1',
      topicNamespace: '',
    });
  });

  it.each([
    [[], 'name a scenario'],
    [['no-such'], 'unknown scenario "no-such"'],
    [['card-psp-down', 'issuer-down'], 'one scenario at a time'],
    [['card-psp-down', '--rate'], '--rate needs a value'],
    [['card-psp-down', '--rate', '0'], '--rate must be a positive number, got "0"'],
    [['card-psp-down', '--fast'], 'unknown option --fast'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseDrillArguments(argv)).toThrow(message);
  });
});
