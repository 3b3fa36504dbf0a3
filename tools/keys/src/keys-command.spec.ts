import { KeysUsageError, parseKeysCommand } from './keys-command';

const NOW = new Date('2026-12-07T12:00:00Z');

describe('parseKeysCommand', () => {
  it('reads create with its defaults and options', () => {
    expect(parseKeysCommand(['create', '--merchant', 'merchant_1'], NOW)).toEqual({
      kind: 'create',
      merchantId: 'merchant_1',
      mode: 'test',
      name: '',
      expiresAt: undefined,
    });
    expect(
      parseKeysCommand(
        [
          'create',
          '--merchant',
          'merchant_1',
          '--mode',
          'live',
          '--name',
          'checkout',
          '--expires-in-days',
          '30',
        ],
        NOW,
      ),
    ).toEqual({
      kind: 'create',
      merchantId: 'merchant_1',
      mode: 'live',
      name: 'checkout',
      expiresAt: new Date('2027-01-06T12:00:00Z'),
    });
  });

  it('reads list and revoke, with a revocation delay for a rotation', () => {
    expect(parseKeysCommand(['list', '--merchant', 'merchant_1'], NOW)).toEqual({
      kind: 'list',
      merchantId: 'merchant_1',
    });
    expect(parseKeysCommand(['revoke', 'sk_test_AbCd1234'], NOW)).toEqual({
      kind: 'revoke',
      prefix: 'sk_test_AbCd1234',
      at: undefined,
    });
    expect(parseKeysCommand(['revoke', 'sk_test_AbCd1234', '--in-hours', '24'], NOW)).toEqual({
      kind: 'revoke',
      prefix: 'sk_test_AbCd1234',
      at: new Date('2026-12-08T12:00:00Z'),
    });
  });

  it.each([
    [[], 'a command is required'],
    [['rotate'], 'unknown command "rotate"'],
    [['create'], '--merchant is required'],
    [['create', '--merchant', 'm', '--mode', 'prod'], '--mode must be one of test, live'],
    [['create', '--merchant', 'm', '--expires-in-days', '0'], '--expires-in-days must be a number above 0'],
    [
      ['create', '--merchant', 'm', '--expires-in-days', 'soon'],
      '--expires-in-days must be a number above 0',
    ],
    [['list'], '--merchant is required'],
    [['revoke'], 'revoke takes one key prefix'],
    [['revoke', 'a', 'b'], 'revoke takes one key prefix'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseKeysCommand(argv, NOW)).toThrow(KeysUsageError);
    expect(() => parseKeysCommand(argv, NOW)).toThrow(message);
  });

  it('refuses an unknown option', () => {
    expect(() => parseKeysCommand(['list', '--merchant', 'm', '--all'], NOW)).toThrow(
      "Unknown option '--all'",
    );
  });
});
