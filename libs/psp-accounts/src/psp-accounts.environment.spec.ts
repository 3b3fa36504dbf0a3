import { EnvironmentError, loadEnvironment } from '@keel/platform';
import { PspAccountsEnvironment } from './psp-accounts.environment';

const COMMON = {
  PORT: '0',
  DATABASE_URL: 'postgres://keel@127.0.0.1:5432/keel_test',
  KAFKA_BROKERS: '127.0.0.1:19092',
};
const CREDENTIALS = {
  PSP_ACME_API_KEY: 'acme-live-key-0123456789abcdef0123456789',
  PSP_NOVA_SECRET: 'nova-live-secret-0123456789abcdef012345',
  PSP_SWIFTPAY_API_KEY: 'swift-live-key-0123456789abcdef01234567',
};

function problemOf(source: NodeJS.ProcessEnv): string {
  try {
    loadEnvironment(PspAccountsEnvironment, source);
  } catch (error) {
    if (error instanceof EnvironmentError) return error.message;
    throw error;
  }
  throw new Error('the environment was accepted');
}

describe("Keel's accounts at the PSPs", () => {
  it("take psp-sim's addresses and public test credentials only under KEEL_PROFILE=local", () => {
    const local = loadEnvironment(PspAccountsEnvironment, {
      ...COMMON,
      KEEL_PROFILE: 'local',
      OPERATOR_TOKEN_SECRET: undefined,
    });
    expect(local).toMatchObject({
      PSP_ACME_URL: 'http://127.0.0.1:3011',
      PSP_NOVA_URL: 'http://127.0.0.1:3012',
      PSP_SWIFTPAY_URL: 'http://127.0.0.1:3013',
      PSP_ACME_API_KEY: 'acme_test_key',
      PSP_NOVA_MERCHANT_ID: 'nova_mid_test',
      PSP_NOVA_SECRET: 'nova_secret_test',
      PSP_SWIFTPAY_API_KEY: 'swift_test_key',
    });
    const elsewhere = problemOf({
      ...COMMON,
      OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
    });
    for (const name of Object.keys(CREDENTIALS)) expect(elsewhere).toContain(name);
  });

  it('are read from the environment, and a URL that is not one is refused by name', () => {
    const source = {
      ...COMMON,
      ...CREDENTIALS,
      OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
      PSP_NOVA_URL: 'https://nova.example.com/api',
    };
    expect(loadEnvironment(PspAccountsEnvironment, source)).toMatchObject({
      ...CREDENTIALS,
      PSP_NOVA_URL: 'https://nova.example.com/api',
    });
    expect(problemOf({ ...source, PSP_ACME_URL: 'acme.example.com' })).toContain('PSP_ACME_URL');
  });
});
