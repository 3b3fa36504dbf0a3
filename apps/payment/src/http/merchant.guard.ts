import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { apiKeyPrefixOf, bearerTokenOf, type ApiKeyVerdict } from '@keel/api-keys';
import { ApiKeyAuthenticator } from '../apikeys/api-key-authenticator.service';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import { identityOf, type PaymentHttpRequest } from './request-identity.decorator';

const DETAIL_OF_REFUSAL: Readonly<Record<Exclude<ApiKeyVerdict, { valid: true }>['reason'], string>> = {
  unknown: 'The API key is not known.',
  revoked: 'The API key was revoked.',
  expired: 'The API key has expired.',
};

/**
 * Identifies the calling merchant by its API key (`Authorization: Bearer sk_test_…`): the merchant
 * and mode are the key's, never anything the request says. Every refusal is the same 401 with
 * `WWW-Authenticate: Bearer`. Live keys are refused (403) until Keel has live PSP credentials:
 * every payment is a test payment, so a live key must not create or read any.
 */
@Injectable()
export class MerchantGuard implements CanActivate {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<PaymentHttpRequest>();
    const key = bearerTokenOf(request.headers.authorization);
    if (key === undefined) {
      throw unauthenticated(http.getResponse(), 'An `Authorization: Bearer <API key>` header is required.');
    }
    const verdict = await this.authenticator.authenticate(key);
    if (!verdict.valid) throw unauthenticated(http.getResponse(), DETAIL_OF_REFUSAL[verdict.reason]);
    if (verdict.mode === 'live') {
      throw new PaymentProblem(
        PaymentProblemCode.LiveModeUnavailable,
        'Live keys are refused until Keel has live PSP credentials; use a test key (sk_test_).',
      );
    }
    const identity = identityOf(context);
    identity.merchantId = verdict.merchantId;
    identity.mode = verdict.mode;
    identity.apiKeyPrefix = apiKeyPrefixOf(key);
    return true;
  }
}

function unauthenticated(response: ServerResponse, detail: string): PaymentProblem {
  response.setHeader('WWW-Authenticate', 'Bearer realm="keel"');
  return new PaymentProblem(PaymentProblemCode.ApiKeyInvalid, detail);
}
