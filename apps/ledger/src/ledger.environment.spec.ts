import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { feePolicyOf, LedgerEnvironment } from './ledger.environment';

const REQUIRED = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_ledger',
  KAFKA_BROKERS: '127.0.0.1:19092',
};

function load(variables: NodeJS.ProcessEnv = {}): LedgerEnvironment {
  return loadEnvironment(LedgerEnvironment, { ...REQUIRED, ...variables });
}

describe('LedgerEnvironment', () => {
  it('defaults to the shared fee table, half-even rounding and bounded pages', () => {
    const environment = load();
    expect(feePolicyOf(environment)).toEqual({
      basisPointsByMethod: { card: 250, easy_pay: 300, bank_transfer: 100, mobile: 350 },
      rounding: 'half_even',
    });
    expect(environment).toMatchObject({
      LEDGER_PAGE_SIZE_DEFAULT: 50,
      LEDGER_PAGE_SIZE_MAX: 200,
      LEDGER_TRIAL_BALANCE_ACCOUNTS_MAX: 1_000,
      LEDGER_BALANCE_CHECK_MISMATCHES_MAX: 100,
    });
  });

  it('reads a fee table that overrides some methods, and the rounding mode', () => {
    const environment = load({ LEDGER_FEE_BPS: '{"card":290}', LEDGER_FEE_ROUNDING: 'down' });
    expect(feePolicyOf(environment)).toEqual({
      basisPointsByMethod: { card: 290, easy_pay: 300, bank_transfer: 100, mobile: 350 },
      rounding: 'down',
    });
  });

  it.each([
    ['{"cash":100}', /unknown payment method type "cash"/],
    ['{"card":10000}', /from 0 to 9999/],
    ['{"card":', /LEDGER_FEE_BPS/],
    ['[250]', /JSON object/],
  ])('refuses the fee table %s', (table, message) => {
    expect(() => load({ LEDGER_FEE_BPS: table })).toThrow(message);
  });

  it('refuses an unknown rounding mode and a default page above the maximum', () => {
    expect(() => load({ LEDGER_FEE_ROUNDING: 'bankers' })).toThrow(EnvironmentError);
    expect(() => load({ LEDGER_PAGE_SIZE_DEFAULT: '300' })).toThrow(/must not exceed LEDGER_PAGE_SIZE_MAX/);
    expect(() => load({ LEDGER_PAGE_SIZE_MAX: '1001' })).toThrow(/LEDGER_PAGE_SIZE_MAX/);
  });
});
