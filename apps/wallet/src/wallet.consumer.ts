import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { PAYMENT_ORDER_EVENT_TYPES, PaymentOrderSucceededPayload } from '@keel/contracts';
import { InboxContext, PermanentEventError } from '@keel/messaging';
import { Money, MoneyError } from '@keel/money';
import { WalletError, WalletErrorCode } from '@keel/wallet-domain';
import { WalletCreditService, type SucceededPaymentOrder } from './wallet-credit.service';

/** The wallet's Kafka handlers: each runs in the inbox transaction that records its event id. */
@Controller()
export class WalletConsumer {
  constructor(private readonly credits: WalletCreditService) {}

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.succeeded)
  async onPaymentOrderSucceeded(
    @Payload() data: PaymentOrderSucceededPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    try {
      await this.credits.creditPaymentOrder(context.getManager(), succeededOrderOf(data));
    } catch (error) {
      throw asPermanentIfUnappliable(error);
    }
  }
}

function succeededOrderOf(data: PaymentOrderSucceededPayload): SucceededPaymentOrder {
  return {
    paymentOrderId: data.paymentOrderId,
    paymentId: data.paymentId,
    sellerId: data.sellerId,
    // Validates the currency too: a code @keel/money does not know can never be credited.
    gross: Money.fromJSON(data.amount),
    methodType: data.paymentMethod.type,
  };
}

/**
 * An event the wallet can never apply goes to the dead-letter topic at once, for a person to look
 * at: an amount or currency that is not money, or a payment order that contradicts its earlier
 * credit. Anything else (the database, a bug) is retried by the inbox before it is dead-lettered.
 */
function asPermanentIfUnappliable(error: unknown): unknown {
  const unappliable =
    error instanceof MoneyError ||
    (error instanceof WalletError &&
      (error.code === WalletErrorCode.INVALID_CREDIT || error.code === WalletErrorCode.CONFLICTING_CREDIT));
  return unappliable ? new PermanentEventError(error.message, { cause: error }) : error;
}
