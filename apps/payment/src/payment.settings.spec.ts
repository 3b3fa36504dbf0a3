import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { PaymentEnvironment } from './payment.environment';
import { feePolicyOf } from './payment.settings';

const REQUIRED = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_payment',
  KAFKA_BROKERS: '127.0.0.1:19092',
  OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
  API_KEY_HASH_SECRET: 'a-server-secret-of-at-least-32-characters',
};

function load(variables: NodeJS.ProcessEnv = {}): PaymentEnvironment {
  return loadEnvironment(PaymentEnvironment, { ...REQUIRED, ...variables });
}

describe('feePolicyOf', () => {
  it('defaults to the fee table of @keel/fees with half-even rounding', () => {
    expect(feePolicyOf(load())).toEqual({
      basisPointsByMethod: { card: 250, easy_pay: 300, bank_transfer: 100, mobile: 350 },
      rounding: 'half_even',
    });
  });

  it('reads a fee table that overrides some methods, and the rounding mode', () => {
    const environment = load({ PAYMENT_FEE_BPS: '{"card":290}', PAYMENT_FEE_ROUNDING: 'down' });
    expect(feePolicyOf(environment)).toEqual({
      basisPointsByMethod: { card: 290, easy_pay: 300, bank_transfer: 100, mobile: 350 },
      rounding: 'down',
    });
  });

  it.each([
    ['an unknown method', '{"cash":100}', /unknown payment method type "cash"/],
    ['a fee of 100 %', '{"card":10000}', /from 0 to 9999/],
    ['text that is not JSON', '{"card":', /PAYMENT_FEE_BPS: fee basis points are not valid JSON/],
    ['a list', '[250]', /JSON object/],
    ['over 4 KiB of text', `{"card":250${' '.repeat(4_096)}}`, /at most 4096 characters/],
  ])('refuses to start with a fee table of %s', (_name, table, message) => {
    expect(() => load({ PAYMENT_FEE_BPS: table })).toThrow(EnvironmentError);
    expect(() => load({ PAYMENT_FEE_BPS: table })).toThrow(message);
  });

  it('refuses to start with an unknown rounding mode', () => {
    expect(() => load({ PAYMENT_FEE_ROUNDING: 'bankers' })).toThrow(/PAYMENT_FEE_ROUNDING/);
  });
});
