import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { containsCardNumber, IDENTIFIER_PATTERN } from '@keel/contracts';
import { PaymentProblem, PaymentProblemCode } from '../payment.errors';
import { identityOf, type PaymentHttpRequest } from './request-identity.decorator';

export const MERCHANT_ID_HEADER = 'keel-merchant-id';

/**
 * Identifies the calling merchant. Until real authentication exists the merchant names itself in
 * Keel-Merchant-Id; this guard is the one place to swap for a verified credential.
 */
@Injectable()
export class MerchantGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<PaymentHttpRequest>().headers[MERCHANT_ID_HEADER];
    if (typeof header !== 'string' || !IDENTIFIER_PATTERN.test(header)) {
      throw new PaymentProblem(
        PaymentProblemCode.MerchantUnauthenticated,
        header === undefined
          ? 'Keel-Merchant-Id is required.'
          : 'Keel-Merchant-Id is not a valid identifier.',
      );
    }
    // The merchant id is stored and published with each of its payments.
    if (containsCardNumber(header)) {
      throw new PaymentProblem(
        PaymentProblemCode.MerchantUnauthenticated,
        'Keel-Merchant-Id must not contain a card number.',
      );
    }
    identityOf(context).merchantId = header;
    return true;
  }
}
