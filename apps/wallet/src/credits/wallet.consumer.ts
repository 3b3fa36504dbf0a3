import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  PAYMENT_ORDER_EVENT_TYPES,
  type EventEnvelope,
  type PaymentOrderSucceededV2Payload,
} from '@keel/contracts';
import { InboxContext } from '@keel/messaging';
import { Money } from '@keel/money';
import { WalletCreditService, type SucceededPaymentOrder } from './wallet-credit.service';
import { unappliableAs } from './unappliable-event.util';

/** The wallet's Kafka handlers: each applies a run of events in the inbox transaction of their chunk. */
@Controller()
export class WalletConsumer {
  constructor(private readonly credits: WalletCreditService) {}

  /** v2, which carries the platform fee to apply; v1 (published beside it) is left to the payment saga. */
  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.succeededV2)
  async onPaymentOrdersSucceeded(
    @Payload() events: readonly EventEnvelope<PaymentOrderSucceededV2Payload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.credits.creditPaymentOrders(context.getManager(), events.map(succeededOrderOf));
  }
}

function succeededOrderOf(event: EventEnvelope<PaymentOrderSucceededV2Payload>): SucceededPaymentOrder {
  const { data } = event;
  return {
    eventId: event.id,
    traceparent: event.traceparent,
    paymentOrderId: data.paymentOrderId,
    paymentId: data.paymentId,
    merchantId: data.merchantId,
    sellerId: data.sellerId,
    // Validates the currency too: a code @keel/money does not know can never be credited.
    gross: unappliableAs(event.id, () => Money.fromJSON(data.amount)),
    fee: unappliableAs(event.id, () => Money.fromJSON(data.platformFee)),
    methodType: data.paymentMethod.type,
  };
}
