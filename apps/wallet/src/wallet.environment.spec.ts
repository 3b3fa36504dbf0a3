import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { WalletEnvironment } from './wallet.environment';
import { walletSettingsOf } from './wallet.settings';

const BASE = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_wallet',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};

describe('WalletEnvironment', () => {
  it('defaults to pages of 20, at most 100', () => {
    const settings = walletSettingsOf(loadEnvironment(WalletEnvironment, BASE));
    expect(settings).toEqual({ entriesPageLimits: { defaultLimit: 20, maxLimit: 100 } });
  });

  it('reads configured page sizes', () => {
    const environment = loadEnvironment(WalletEnvironment, {
      ...BASE,
      WALLET_ENTRIES_PAGE_LIMIT_DEFAULT: '50',
      WALLET_ENTRIES_PAGE_LIMIT_MAX: '500',
    });
    expect(walletSettingsOf(environment)).toEqual({ entriesPageLimits: { defaultLimit: 50, maxLimit: 500 } });
  });

  it.each([
    ['a default page above the maximum', { WALLET_ENTRIES_PAGE_LIMIT_DEFAULT: '101' }, 'must not exceed'],
    [
      'a maximum page above the ceiling',
      { WALLET_ENTRIES_PAGE_LIMIT_MAX: '1001' },
      'WALLET_ENTRIES_PAGE_LIMIT_MAX',
    ],
  ])('refuses to start with %s', (_case, variables, message) => {
    const load = () => loadEnvironment(WalletEnvironment, { ...BASE, ...variables });
    expect(load).toThrow(EnvironmentError);
    expect(load).toThrow(message);
  });
});
