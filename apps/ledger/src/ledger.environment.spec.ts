import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { LedgerEnvironment } from './ledger.environment';

const REQUIRED = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_ledger',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
};

function load(variables: NodeJS.ProcessEnv = {}): LedgerEnvironment {
  return loadEnvironment(LedgerEnvironment, { ...REQUIRED, ...variables });
}

describe('LedgerEnvironment', () => {
  it('defaults to bounded pages', () => {
    const environment = load();
    expect(environment).toMatchObject({
      LEDGER_PAGE_SIZE_DEFAULT: 50,
      LEDGER_PAGE_SIZE_MAX: 200,
      LEDGER_TRIAL_BALANCE_ACCOUNTS_MAX: 1_000,
      LEDGER_BALANCE_CHECK_MISMATCHES_MAX: 100,
    });
  });

  it('refuses a default page above the maximum', () => {
    expect(() => load({ LEDGER_PAGE_SIZE_DEFAULT: '300' })).toThrow(EnvironmentError);
    expect(() => load({ LEDGER_PAGE_SIZE_DEFAULT: '300' })).toThrow(/must not exceed LEDGER_PAGE_SIZE_MAX/);
    expect(() => load({ LEDGER_PAGE_SIZE_MAX: '1001' })).toThrow(/LEDGER_PAGE_SIZE_MAX/);
  });
});
