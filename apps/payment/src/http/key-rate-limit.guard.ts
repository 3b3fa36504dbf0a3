import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { KeyRateLimiter, type KeyOperation } from '../admission/key-rate-limiter.service';
import { identityOf, type PaymentHttpRequest } from './request-identity.decorator';

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD']);

/**
 * Holds each API key to its rate, reads and writes apart; runs after MerchantGuard, which names
 * the key, and before anything else reads the request.
 */
@Injectable()
export class KeyRateLimitGuard implements CanActivate {
  constructor(private readonly limiter: KeyRateLimiter) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<PaymentHttpRequest>();
    const apiKeyPrefix = identityOf(context).apiKeyPrefix;
    // Behind MerchantGuard a request always has its key; without one this guard is wired wrongly.
    if (apiKeyPrefix === undefined) throw new Error('KeyRateLimitGuard runs before MerchantGuard');
    const operation: KeyOperation = READ_METHODS.has(request.method ?? '') ? 'read' : 'write';
    this.limiter.admit(apiKeyPrefix, operation);
    return true;
  }
}
