import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ApiKeyMode } from '@keel/api-keys';

/** What the guards learned about a request, for the handler. */
export interface RequestIdentity {
  merchantId?: string;
  /** The mode of the caller's API key: test, as long as live keys are refused. */
  mode?: ApiKeyMode;
  /** The visible prefix of the caller's API key: what its rate limits are kept under. */
  apiKeyPrefix?: string;
  idempotencyKey?: string;
  requestHash?: string;
}

export interface PaymentHttpRequest extends IncomingMessage {
  /** The parsed JSON body, before validation transforms it. */
  body?: unknown;
  keelPayment?: RequestIdentity;
}

export function identityOf(context: ExecutionContext): RequestIdentity {
  const request = context.switchToHttp().getRequest<PaymentHttpRequest>();
  request.keelPayment ??= {};
  return request.keelPayment;
}

function required<K extends keyof RequestIdentity>(context: ExecutionContext, key: K): string {
  const value = identityOf(context)[key];
  // A handler that reads a value its guard did not set is wired wrongly; that is a bug, not a 4xx.
  if (value === undefined) throw new Error(`${key} is read without the guard that sets it`);
  return value;
}

/** The merchant whose API key the MerchantGuard verified. */
export const MerchantId = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  required(context, 'merchantId'),
);

/** The Idempotency-Key and body hash the IdempotencyKeyGuard read. */
export const IdempotentRequest = createParamDecorator((_data: unknown, context: ExecutionContext) => ({
  key: required(context, 'idempotencyKey'),
  requestHash: required(context, 'requestHash'),
}));
