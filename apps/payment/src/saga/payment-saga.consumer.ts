import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  amountMinorOf,
  LEDGER_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
  type LedgerTransactionRecordedPayload,
  type PaymentOrderDeclinedPayload,
  type PaymentOrderFailedPayload,
  type PaymentOrderSucceededPayload,
  type WalletCreditedPayload,
} from '@keel/contracts';
import { InboxContext } from '@keel/messaging';
import type { PaymentCommand } from '@keel/payment-domain';
import { PaymentSagaService } from './payment-saga.service';
import type { SagaCommand } from './saga-chunk.util';

/** The ledger kind of a payment order's charge; other kinds (refunds, fixes) do not confirm a payment. */
export const PAYMENT_ORDER_CHARGE_KIND = 'payment_order_charge';

function sagaCommand(
  event: EventEnvelope<{ readonly paymentId: string }>,
  command: PaymentCommand,
  expectedMerchantId?: string,
): SagaCommand {
  return {
    eventId: event.id,
    paymentId: event.data.paymentId,
    command,
    ...(expectedMerchantId === undefined ? {} : { expectedMerchantId }),
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
  };
}

/**
 * Consumes keel.payment-order.v1, keel.wallet.v1 and keel.ledger.v1. Each handler gets a run of
 * events of its type and only translates them into commands on their payments; the saga applies
 * the run at once, and the decisions are the aggregate's.
 */
@ApiExcludeController()
@Controller()
export class PaymentSagaConsumer {
  constructor(private readonly saga: PaymentSagaService) {}

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.succeeded)
  async onOrderSucceeded(
    @Payload() events: readonly EventEnvelope<PaymentOrderSucceededPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const commands = events.map((event) =>
      sagaCommand(
        event,
        {
          kind: 'RecordOrderSucceeded',
          occurredAt,
          paymentOrderId: event.data.paymentOrderId,
          sellerId: event.data.sellerId,
          amountMinor: amountMinorOf(event.data.amount),
          currency: event.data.amount.currency,
          pspId: event.data.pspId,
          pspReference: event.data.pspReference,
        },
        event.data.merchantId,
      ),
    );
    await this.saga.apply(context.getManager(), commands);
  }

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.declined)
  async onOrderDeclined(
    @Payload() events: readonly EventEnvelope<PaymentOrderDeclinedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const commands = events.map((event) =>
      sagaCommand(event, {
        kind: 'RecordOrderDeclined',
        occurredAt,
        paymentOrderId: event.data.paymentOrderId,
        code: event.data.decline.code,
        message: event.data.decline.message,
      }),
    );
    await this.saga.apply(context.getManager(), commands);
  }

  @EventPattern(PAYMENT_ORDER_EVENT_TYPES.failed)
  async onOrderFailed(
    @Payload() events: readonly EventEnvelope<PaymentOrderFailedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const commands = events.map((event) =>
      sagaCommand(event, {
        kind: 'RecordOrderFailed',
        occurredAt,
        paymentOrderId: event.data.paymentOrderId,
        code: event.data.failure.code,
        message: event.data.failure.message,
      }),
    );
    await this.saga.apply(context.getManager(), commands);
  }

  @EventPattern(WALLET_EVENT_TYPES.credited)
  async onWalletCredited(
    @Payload() events: readonly EventEnvelope<WalletCreditedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const commands = events.map((event) =>
      sagaCommand(event, {
        kind: 'RecordWalletCredit',
        occurredAt,
        paymentOrderId: event.data.paymentOrderId,
        sellerId: event.data.sellerId,
        amountMinor: amountMinorOf(event.data.amount),
        currency: event.data.amount.currency,
      }),
    );
    await this.saga.apply(context.getManager(), commands);
  }

  @EventPattern(LEDGER_EVENT_TYPES.transactionRecorded)
  async onLedgerTransactionRecorded(
    @Payload() events: readonly EventEnvelope<LedgerTransactionRecordedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const commands = events
      .filter((event) => event.data.kind === PAYMENT_ORDER_CHARGE_KIND)
      .map((event) =>
        sagaCommand(event, {
          kind: 'RecordLedgerTransaction',
          occurredAt,
          paymentOrderId: event.data.paymentOrderId,
          ledgerTransactionId: event.data.transactionId,
        }),
      );
    await this.saga.apply(context.getManager(), commands);
  }
}
