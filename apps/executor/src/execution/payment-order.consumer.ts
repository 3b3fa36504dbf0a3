import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  amountMinorOf,
  PAYMENT_ORDER_EVENT_TYPES,
  type EventEnvelope,
  type PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { assertPlatformFeeOf, FeePolicyError } from '@keel/fees';
import { InboxContext, PermanentEventError } from '@keel/messaging';
import { isCurrencyCode, Money, MoneyError, type CurrencyCode } from '@keel/money';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import type { NewPaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderIntakeService } from './payment-order-intake.service';

/**
 * The fee the payment service decided, checked before it is stored: money will move on it, so one
 * in another currency or outside 0 ≤ fee < amount can never be carried on.
 */
function platformFeeMinorOf(
  data: PaymentOrderExecutionRequestedPayload,
  currency: CurrencyCode,
  eventId: string,
): bigint | undefined {
  if (data.platformFee === undefined) return undefined;
  try {
    const fee = Money.fromJSON(data.platformFee);
    assertPlatformFeeOf(Money.of(amountMinorOf(data.amount), currency), fee);
    return fee.amountMinor;
  } catch (error) {
    if (!(error instanceof FeePolicyError || error instanceof MoneyError)) throw error;
    throw new PermanentEventError(`payment order ${data.paymentOrderId}: ${error.message}`, { eventId });
  }
}

function newOrderOf(
  data: PaymentOrderExecutionRequestedPayload,
  platformFeeMinor: bigint | undefined,
  traceparent?: string,
): NewPaymentOrder {
  return {
    paymentOrderId: data.paymentOrderId,
    paymentId: data.paymentId,
    merchantId: data.merchantId,
    sellerId: data.sellerId,
    amountMinor: amountMinorOf(data.amount),
    currency: data.amount.currency,
    methodType: data.paymentMethod.type,
    methodProvider: data.paymentMethod.provider,
    instrumentToken: data.instrumentToken,
    platformFeeMinor,
    traceparent,
    requestedAt: new Date(data.requestedAt),
  };
}

/** A repeat is the same request when it asks for the same charge; only then is it harmless. */
function sameRequest(existing: NewPaymentOrder, requested: NewPaymentOrder): boolean {
  return (
    existing.paymentId === requested.paymentId &&
    existing.sellerId === requested.sellerId &&
    existing.amountMinor === requested.amountMinor &&
    existing.currency === requested.currency &&
    existing.methodType === requested.methodType &&
    existing.methodProvider === requested.methodProvider &&
    existing.instrumentToken === requested.instrumentToken &&
    // An order stored without a fee was stored by an executor that predates fees in requests.
    (existing.platformFeeMinor === undefined || existing.platformFeeMinor === requested.platformFeeMinor)
  );
}

interface Requested {
  readonly eventId: string;
  readonly order: NewPaymentOrder;
}

function otherTerms(paymentOrderId: string, eventId: string): PermanentEventError {
  return new PermanentEventError(`payment order ${paymentOrderId} was requested before with other terms`, {
    eventId,
  });
}

/** The first request of each order in the run; a later one with other terms can never apply. */
function firstRequestsOf(
  events: readonly EventEnvelope<PaymentOrderExecutionRequestedPayload>[],
): Map<string, Requested> {
  const firsts = new Map<string, Requested>();
  for (const event of events) {
    const { data } = event;
    const currency = data.amount.currency;
    if (!isCurrencyCode(currency)) {
      throw new PermanentEventError(`currency ${currency} is not an ISO 4217 code Keel knows`, {
        eventId: event.id,
      });
    }
    const order = newOrderOf(data, platformFeeMinorOf(data, currency, event.id), event.traceparent);
    const first = firsts.get(order.paymentOrderId);
    if (first === undefined) firsts.set(order.paymentOrderId, { eventId: event.id, order });
    else if (!sameRequest(first.order, order)) throw otherTerms(order.paymentOrderId, event.id);
  }
  return firsts;
}

/**
 * Takes execution requests in, a run at a time: stores the run's new orders with one insert and
 * claims them for this process's worker in the inbox's transaction (see PaymentOrderIntakeService).
 * The order id is the table's primary key, so a second request for the same order (a redelivery
 * with a new event id, a replayed command), in this run or an earlier one, stores nothing; one
 * that asks for another charge under that id is dead-lettered.
 */
@Controller()
export class PaymentOrderConsumer {
  constructor(
    private readonly intake: PaymentOrderIntakeService,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.executionRequested)
  async onExecutionRequested(
    @Payload() events: readonly EventEnvelope<PaymentOrderExecutionRequestedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const firsts = firstRequestsOf(events);
    const requested = [...firsts.values()].map((each) => each.order);
    const existing = await this.intake.storeAndClaim(context.getTransaction(), requested);
    for (const order of existing) {
      const first = firsts.get(order.paymentOrderId);
      if (first !== undefined && !sameRequest(order, first.order)) {
        throw otherTerms(order.paymentOrderId, first.eventId);
      }
      this.logger.debug({ paymentOrderId: order.paymentOrderId }, 'repeated execution request ignored');
    }
  }
}
