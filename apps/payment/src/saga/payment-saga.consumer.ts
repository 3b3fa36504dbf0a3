import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  amountMinorOf,
  LEDGER_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  WALLET_EVENT_TYPES,
  type LedgerTransactionRecordedPayload,
  type PaymentOrderDeclinedPayload,
  type PaymentOrderFailedPayload,
  type PaymentOrderSucceededPayload,
  type WalletCreditedPayload,
} from '@keel/contracts';
import { InboxContext } from '@keel/messaging';
import { PaymentSagaService } from './payment-saga.service';

/** The ledger kind of a payment order's charge; other kinds (refunds, fixes) do not confirm a payment. */
export const PAYMENT_ORDER_CHARGE_KIND = 'payment_order_charge';

/**
 * Consumes keel.payment-order.v1, keel.wallet.v1 and keel.ledger.v1 and turns each event into a
 * command on its payment. Handlers only translate; the decisions are the aggregate's.
 */
@ApiExcludeController()
@Controller()
export class PaymentSagaConsumer {
  constructor(private readonly saga: PaymentSagaService) {}

  private static now(): string {
    return new Date().toISOString();
  }

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.succeeded)
  async onOrderSucceeded(
    @Payload() data: PaymentOrderSucceededPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.saga.apply(
      context.getManager(),
      data.paymentId,
      {
        kind: 'RecordOrderSucceeded',
        occurredAt: PaymentSagaConsumer.now(),
        paymentOrderId: data.paymentOrderId,
        sellerId: data.sellerId,
        amountMinor: amountMinorOf(data.amount),
        currency: data.amount.currency,
        pspId: data.pspId,
        pspReference: data.pspReference,
      },
      data.merchantId,
    );
  }

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.declined)
  async onOrderDeclined(
    @Payload() data: PaymentOrderDeclinedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.saga.apply(context.getManager(), data.paymentId, {
      kind: 'RecordOrderDeclined',
      occurredAt: PaymentSagaConsumer.now(),
      paymentOrderId: data.paymentOrderId,
      code: data.decline.code,
      message: data.decline.message,
    });
  }

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.failed)
  async onOrderFailed(
    @Payload() data: PaymentOrderFailedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.saga.apply(context.getManager(), data.paymentId, {
      kind: 'RecordOrderFailed',
      occurredAt: PaymentSagaConsumer.now(),
      paymentOrderId: data.paymentOrderId,
      code: data.failure.code,
      message: data.failure.message,
    });
  }

  @EventPattern(WALLET_EVENT_TYPES.credited)
  async onWalletCredited(
    @Payload() data: WalletCreditedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.saga.apply(context.getManager(), data.paymentId, {
      kind: 'RecordWalletCredit',
      occurredAt: PaymentSagaConsumer.now(),
      paymentOrderId: data.paymentOrderId,
      sellerId: data.sellerId,
      amountMinor: amountMinorOf(data.amount),
      currency: data.amount.currency,
    });
  }

  @EventPattern(LEDGER_EVENT_TYPES.transactionRecorded)
  async onLedgerTransactionRecorded(
    @Payload() data: LedgerTransactionRecordedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (data.kind !== PAYMENT_ORDER_CHARGE_KIND) return;
    await this.saga.apply(context.getManager(), data.paymentId, {
      kind: 'RecordLedgerTransaction',
      occurredAt: PaymentSagaConsumer.now(),
      paymentOrderId: data.paymentOrderId,
      ledgerTransactionId: data.transactionId,
    });
  }
}
