import type { ExecutionContext } from '@nestjs/common';
import type { ApiKeyVerdict } from '@keel/api-keys';
import type { ApiKeyAuthenticator } from '../apikeys/api-key-authenticator.service';
import { PaymentProblem } from '../payment.errors';
import { MerchantGuard } from './merchant.guard';
import type { PaymentHttpRequest } from './request-identity.decorator';

function contextOf(headers: Record<string, string>) {
  const request = { headers } as unknown as PaymentHttpRequest;
  const responseHeaders = new Map<string, string>();
  const response = { setHeader: (name: string, value: string) => responseHeaders.set(name, value) };
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
  return { context, request, responseHeaders };
}

function guardAnswering(verdict: ApiKeyVerdict): { guard: MerchantGuard; presented: string[] } {
  const presented: string[] = [];
  const authenticator = {
    authenticate: (key: string) => {
      presented.push(key);
      return verdict;
    },
  } as unknown as ApiKeyAuthenticator;
  return { guard: new MerchantGuard(authenticator), presented };
}

async function refusal(guard: MerchantGuard, context: ExecutionContext): Promise<PaymentProblem> {
  const error: unknown = await guard.canActivate(context).catch((thrown: unknown) => thrown);
  if (!(error instanceof PaymentProblem)) throw new Error('expected a PaymentProblem');
  return error;
}

describe('MerchantGuard', () => {
  it("sets the key's merchant, mode and prefix on the request, ignoring Keel-Merchant-Id", async () => {
    const { guard, presented } = guardAnswering({
      valid: true,
      merchantId: 'merchant_1',
      mode: 'test',
      validUntil: null,
    });
    const key = `sk_test_${'a'.repeat(43)}`;
    const { context, request } = contextOf({
      authorization: `Bearer ${key}`,
      'keel-merchant-id': 'merchant_2',
    });
    await expect(guard.canActivate(context)).resolves.toBe(true);
    expect(presented).toEqual([key]);
    expect(request.keelPayment).toEqual({
      merchantId: 'merchant_1',
      mode: 'test',
      apiKeyPrefix: 'sk_test_aaaaaaaa',
    });
  });

  it('answers a missing or non-Bearer Authorization with 401 and WWW-Authenticate, asking nothing', async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { 'keel-merchant-id': 'merchant_1' },
    ];
    for (const headers of headerSets) {
      const { guard, presented } = guardAnswering({ valid: false, reason: 'unknown' });
      const { context, responseHeaders } = contextOf(headers);
      const problem = await refusal(guard, context);
      expect(problem).toMatchObject({ status: 401, code: 'api_key_invalid' });
      expect(responseHeaders.get('WWW-Authenticate')).toBe('Bearer realm="keel"');
      expect(presented).toEqual([]);
    }
  });

  it.each([
    ['unknown', 'The API key is not known.'],
    ['revoked', 'The API key was revoked.'],
    ['expired', 'The API key has expired.'],
  ] as const)('answers a key that is %s with 401 and WWW-Authenticate', async (reason, detail) => {
    const { guard } = guardAnswering({ valid: false, reason });
    const { context, responseHeaders, request } = contextOf({ authorization: 'Bearer sk_test_x' });
    expect(await refusal(guard, context)).toMatchObject({ status: 401, code: 'api_key_invalid', detail });
    expect(responseHeaders.get('WWW-Authenticate')).toBe('Bearer realm="keel"');
    expect(request.keelPayment?.merchantId).toBeUndefined();
  });

  it('refuses a live key with 403', async () => {
    const { guard } = guardAnswering({
      valid: true,
      merchantId: 'merchant_1',
      mode: 'live',
      validUntil: null,
    });
    const { context, request } = contextOf({ authorization: 'Bearer sk_live_x' });
    expect(await refusal(guard, context)).toMatchObject({ status: 403, code: 'live_mode_unavailable' });
    expect(request.keelPayment?.merchantId).toBeUndefined();
  });
});
