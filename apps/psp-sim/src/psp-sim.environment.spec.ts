import { EnvironmentError } from '@keel/platform';
import { loadPspSimEnvironment } from './psp-sim.environment';

const LOCAL = { KEEL_PROFILE: 'local' };

const CREDENTIALS = [
  'PSP_SIM_ACME_API_KEY',
  'PSP_SIM_ACME_WEBHOOK_SECRET',
  'PSP_SIM_NOVA_SECRET',
  'PSP_SIM_NOVA_WEBHOOK_SECRET',
  'PSP_SIM_SWIFTPAY_KEY',
  'PSP_SIM_SWIFTPAY_WEBHOOK_SECRET',
];

describe('loadPspSimEnvironment', () => {
  it('defaults under KEEL_PROFILE=local to the ports, test credentials and limits of API.md', () => {
    const environment = loadPspSimEnvironment(LOCAL);
    expect(environment).toMatchObject({
      PSP_SIM_HOST: '127.0.0.1',
      PSP_SIM_PORT: 3010,
      PSP_SIM_ACME_PORT: 3011,
      PSP_SIM_NOVA_PORT: 3012,
      PSP_SIM_SWIFTPAY_PORT: 3013,
      PSP_SIM_ACME_API_KEY: 'acme_test_key',
      PSP_SIM_ACME_WEBHOOK_SECRET: 'whsec_acme_test',
      PSP_SIM_NOVA_MERCHANT_ID: 'nova_mid_test',
      PSP_SIM_NOVA_SECRET: 'nova_secret_test',
      PSP_SIM_NOVA_WEBHOOK_SECRET: 'nova_whsec_test',
      PSP_SIM_SWIFTPAY_KEY: 'swift_test_key',
      PSP_SIM_SWIFTPAY_WEBHOOK_SECRET: 'swift_whsec_test',
      PSP_SIM_PENDING_DELAY_MS: 2_000,
      PSP_SIM_SWIFTPAY_MERCHANT_ID: 'swift_mid_test',
      PSP_SIM_FEE_BPS_ACME: 250,
      PSP_SIM_FEE_BPS_NOVA: 290,
      PSP_SIM_FEE_BPS_SWIFTPAY: 320,
      PSP_SIM_MAX_SETTLEMENT_FAULTS: 1_000,
      PSP_SIM_SETTLEMENT_CHUNK_BYTES: 65_536,
      PSP_SIM_HANG_MS: 30_000,
      PSP_SIM_MAX_CHARGES: 1_000_000,
      PSP_SIM_WEBHOOK_MAX_RETRIES: 5,
      PSP_SIM_WEBHOOK_MAX_SOCKETS: 64,
      LOG_LEVEL: 'info',
    });
    expect(environment.PSP_SIM_SEED).toBeUndefined();
    expect(environment.PSP_SIM_WEBHOOK_URL_ACME).toBeUndefined();
    expect(environment.PSP_SIM_SETTLEMENT_DIR).toBeUndefined();
  });

  it('reads numbers and URLs, and takes an empty variable for unset', () => {
    const environment = loadPspSimEnvironment({
      ...LOCAL,
      PSP_SIM_PORT: '0',
      PSP_SIM_SEED: '42',
      PSP_SIM_WEBHOOK_URL_NOVA: 'http://127.0.0.1:3002/v1/psp-webhooks/nova',
      PSP_SIM_WEBHOOK_URL_ACME: '',
    });
    expect(environment.PSP_SIM_PORT).toBe(0);
    expect(environment.PSP_SIM_SEED).toBe(42);
    expect(environment.PSP_SIM_WEBHOOK_URL_NOVA).toBe('http://127.0.0.1:3002/v1/psp-webhooks/nova');
    expect(environment.PSP_SIM_WEBHOOK_URL_ACME).toBeUndefined();
  });

  it('lists every problem in one error', () => {
    const load = () =>
      loadPspSimEnvironment({
        ...LOCAL,
        PSP_SIM_PORT: '70000',
        PSP_SIM_FEE_BPS_NOVA: 'x',
        PSP_SIM_SWIFTPAY_MERCHANT_ID: 'a merchant id that is too long',
        PSP_SIM_WEBHOOK_URL_ACME: 'ftp://x',
      });
    expect(load).toThrow(EnvironmentError);
    for (const name of [
      'PSP_SIM_PORT',
      'PSP_SIM_FEE_BPS_NOVA',
      'PSP_SIM_SWIFTPAY_MERCHANT_ID',
      'PSP_SIM_WEBHOOK_URL_ACME',
    ])
      expect(load).toThrow(name);
  });

  it('refuses to start outside KEEL_PROFILE=local without its credentials, and names each', () => {
    const load = () => loadPspSimEnvironment({ KEEL_PROFILE: '' });
    expect(load).toThrow(EnvironmentError);
    for (const name of CREDENTIALS)
      expect(load).toThrow(`${name} is a secret with no default and is not set`);
  });

  it('takes credentials of 32 characters or more outside KEEL_PROFILE=local', () => {
    const credentials = Object.fromEntries(
      CREDENTIALS.map((name) => [name, `${name.toLowerCase()}_0123456789abcdef0123456789abcdef`]),
    );
    const environment = loadPspSimEnvironment(credentials);
    expect(environment.PSP_SIM_ACME_WEBHOOK_SECRET).toBe(credentials['PSP_SIM_ACME_WEBHOOK_SECRET']);
    expect(() => loadPspSimEnvironment({ ...credentials, PSP_SIM_NOVA_SECRET: 'nova_short' })).toThrow(
      'PSP_SIM_NOVA_SECRET must be at least 32 characters long',
    );
  });
});
