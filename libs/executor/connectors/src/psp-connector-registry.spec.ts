import { PspConfigurationError, PspErrorCode } from './psp.error';
import { createPspConnectors } from './psp-connector-registry';
import { DEFAULT_PSP_TIMEOUT_MS, DEFAULT_RESPONSE_BODY_BYTES_MAX } from './psp-settings';
import { Secret } from './secret';

const connection = {
  baseUrl: 'http://127.0.0.1:3011',
  timeoutMs: DEFAULT_PSP_TIMEOUT_MS,
  responseBodyBytesMax: DEFAULT_RESPONSE_BODY_BYTES_MAX,
  webhookSecret: new Secret('whsec'),
  webhookToleranceMs: 300_000,
};

describe('createPspConnectors', () => {
  it('builds a connector for each PSP with settings, and only those', () => {
    const registry = createPspConnectors({
      acme: { ...connection, apiKey: new Secret('k') },
      swiftpay: { ...connection, apiKey: new Secret('k') },
    });
    expect(registry.pspIds()).toEqual(['acme', 'swiftpay']);
    expect(registry.get('acme').pspId).toBe('acme');
    expect(registry.has('nova')).toBe(false);
    let error: unknown;
    try {
      registry.get('nova');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(PspConfigurationError);
    expect((error as PspConfigurationError).code).toBe(PspErrorCode.UnknownPsp);
  });

  it.each([
    { baseUrl: 'not a url' },
    { baseUrl: 'ftp://127.0.0.1' },
    { timeoutMs: 0 },
    { responseBodyBytesMax: 1.5 },
    { webhookToleranceMs: -1 },
  ])('refuses unusable settings %p', (override) => {
    expect(() =>
      createPspConnectors({
        nova: { ...connection, ...override, merchantId: 'm', signingSecret: new Secret('s') },
      }),
    ).toThrow(PspConfigurationError);
  });
});
