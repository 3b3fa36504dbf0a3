import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { WalletEnvironment } from './wallet.environment';
import { walletSettingsOf } from './wallet-settings';

const BASE = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_wallet',
  KAFKA_BROKERS: '127.0.0.1:19092',
};

describe('WalletEnvironment', () => {
  it('defaults to the shared fee policy and pages of 20, at most 100', () => {
    const settings = walletSettingsOf(loadEnvironment(WalletEnvironment, BASE));
    expect(settings.feePolicy).toEqual({
      basisPointsByMethod: { card: 250, easy_pay: 300, bank_transfer: 100, mobile: 350 },
      rounding: 'half_even',
    });
    expect(settings.entriesPageLimits).toEqual({ defaultLimit: 20, maxLimit: 100 });
  });

  it('reads a configured fee table, rounding and page sizes', () => {
    const environment = loadEnvironment(WalletEnvironment, {
      ...BASE,
      WALLET_FEE_BPS: '{"card":290,"easy_pay":300,"bank_transfer":0,"mobile":350}',
      WALLET_FEE_ROUNDING: 'down',
      WALLET_ENTRIES_PAGE_LIMIT_DEFAULT: '50',
      WALLET_ENTRIES_PAGE_LIMIT_MAX: '500',
    });
    expect(walletSettingsOf(environment)).toEqual({
      feePolicy: {
        basisPointsByMethod: { card: 290, easy_pay: 300, bank_transfer: 0, mobile: 350 },
        rounding: 'down',
      },
      entriesPageLimits: { defaultLimit: 50, maxLimit: 500 },
    });
  });

  it.each([
    ['a fee of 100 %', { WALLET_FEE_BPS: '{"card":10000}' }, 'WALLET_FEE_BPS'],
    ['an unknown payment method', { WALLET_FEE_BPS: '{"cash":10}' }, 'unknown payment method type'],
    ['a fee table that is not JSON', { WALLET_FEE_BPS: '{card:250}' }, 'WALLET_FEE_BPS'],
    ['an unknown rounding mode', { WALLET_FEE_ROUNDING: 'bankers' }, 'WALLET_FEE_ROUNDING'],
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
