import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  amountMinorOf,
  PAYMENT_ORDER_EVENT_TYPES,
  PaymentOrderExecutionRequestedPayload,
} from '@keel/contracts';
import { InboxContext, PermanentEventError } from '@keel/messaging';
import { isCurrencyCode } from '@keel/money';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PaymentOrderWorkerService } from '../execution/payment-order-worker.service';
import type { NewPaymentOrder, PaymentOrder } from './payment-order.record';
import { PaymentOrderRepository } from './payment-order.repository';

function newOrderOf(data: PaymentOrderExecutionRequestedPayload, traceparent?: string): NewPaymentOrder {
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
    traceparent,
    requestedAt: new Date(data.requestedAt),
  };
}

/** A repeat is the same request when it asks for the same charge; only then is it harmless. */
function sameRequest(existing: PaymentOrder, requested: NewPaymentOrder): boolean {
  return (
    existing.paymentId === requested.paymentId &&
    existing.sellerId === requested.sellerId &&
    existing.amountMinor === requested.amountMinor &&
    existing.currency === requested.currency &&
    existing.methodType === requested.methodType &&
    existing.methodProvider === requested.methodProvider &&
    existing.instrumentToken === requested.instrumentToken
  );
}

/**
 * Takes execution requests in: stores each order in `created` for the worker, in the inbox's
 * transaction. The order id is the table's primary key, so a second request for the same order
 * (a redelivery with a new event id, a replayed command) stores nothing. Once a new order has
 * committed, this process's worker is woken to charge it rather than finding it at its next poll.
 */
@Controller()
export class PaymentOrderConsumer {
  constructor(
    private readonly orders: PaymentOrderRepository,
    private readonly worker: PaymentOrderWorkerService,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.executionRequested)
  async onExecutionRequested(
    @Payload() data: PaymentOrderExecutionRequestedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (!isCurrencyCode(data.amount.currency)) {
      throw new PermanentEventError(`currency ${data.amount.currency} is not an ISO 4217 code Keel knows`);
    }
    const manager = context.getManager();
    const requested = newOrderOf(data, context.getEvent().traceparent);
    if (await this.orders.insertIfAbsent(manager, requested)) {
      context.getTransaction().afterCommit(() => this.worker.wake());
      this.logger.info(
        { paymentOrderId: data.paymentOrderId, paymentId: data.paymentId },
        'payment order stored',
      );
      return;
    }
    const existing = await this.orders.findById(manager, data.paymentOrderId);
    if (existing !== undefined && !sameRequest(existing, requested)) {
      throw new PermanentEventError(
        `payment order ${data.paymentOrderId} was requested before with other terms`,
      );
    }
    this.logger.info({ paymentOrderId: data.paymentOrderId }, 'repeated execution request ignored');
  }
}
