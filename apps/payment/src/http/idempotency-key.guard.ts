import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { containsCardNumber } from '@keel/contracts';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from '../idempotency/idempotency-key.util';
import { requestHashOf } from '../idempotency/request-hash.util';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import { identityOf, type PaymentHttpRequest } from './request-identity.decorator';

/**
 * Requires a valid Idempotency-Key and hashes the raw JSON body. Guards run before validation
 * pipes, so the hash is of the body exactly as the client sent it.
 */
@Injectable()
export class IdempotencyKeyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<PaymentHttpRequest>();
    const parsed = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (!parsed.ok) {
      throw parsed.reason === 'missing'
        ? new PaymentProblem(PaymentProblemCode.IdempotencyKeyMissing, 'Send an Idempotency-Key header.')
        : new PaymentProblem(
            PaymentProblemCode.IdempotencyKeyInvalid,
            'Idempotency-Key must be 1 to 255 printable ASCII characters.',
          );
    }
    // The key is stored with the answer, so one holding a card number is refused like a bad one.
    if (containsCardNumber(parsed.key)) {
      throw new PaymentProblem(
        PaymentProblemCode.IdempotencyKeyInvalid,
        'Idempotency-Key must not contain a card number.',
      );
    }
    const identity = identityOf(context);
    identity.idempotencyKey = parsed.key;
    identity.requestHash = requestHashOf(request.body);
    return true;
  }
}
