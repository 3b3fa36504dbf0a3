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
import { InboxContext, PermanentEventError } from '@keel/messaging';
import type { PaymentCommand, SagaCommand } from '@keel/payment-domain';
import { PaymentSagaService } from './payment-saga.service';

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

function orderSucceeded(event: EventEnvelope<PaymentOrderSucceededPayload>, occurredAt: string): SagaCommand {
  const { data } = event;
  return sagaCommand(
    event,
    {
      kind: 'RecordOrderSucceeded',
      occurredAt,
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

function orderDeclined(event: EventEnvelope<PaymentOrderDeclinedPayload>, occurredAt: string): SagaCommand {
  return sagaCommand(event, {
    kind: 'RecordOrderDeclined',
    occurredAt,
    paymentOrderId: event.data.paymentOrderId,
    code: event.data.decline.code,
    message: event.data.decline.message,
  });
}

function orderFailed(event: EventEnvelope<PaymentOrderFailedPayload>, occurredAt: string): SagaCommand {
  return sagaCommand(event, {
    kind: 'RecordOrderFailed',
    occurredAt,
    paymentOrderId: event.data.paymentOrderId,
    code: event.data.failure.code,
    message: event.data.failure.message,
  });
}

function walletCredited(event: EventEnvelope<WalletCreditedPayload>, occurredAt: string): SagaCommand {
  return sagaCommand(event, {
    kind: 'RecordWalletCredit',
    occurredAt,
    paymentOrderId: event.data.paymentOrderId,
    sellerId: event.data.sellerId,
    amountMinor: amountMinorOf(event.data.amount),
    currency: event.data.amount.currency,
  });
}

/** Only a payment order's charge confirms it; the ledger's other kinds are no command. */
function ledgerRecorded(
  event: EventEnvelope<LedgerTransactionRecordedPayload>,
  occurredAt: string,
): SagaCommand | undefined {
  if (event.data.kind !== PAYMENT_ORDER_CHARGE_KIND) return undefined;
  return sagaCommand(event, {
    kind: 'RecordLedgerTransaction',
    occurredAt,
    paymentOrderId: event.data.paymentOrderId,
    ledgerTransactionId: event.data.transactionId,
  });
}

type CommandOf = (event: EventEnvelope, occurredAt: string) => SagaCommand | undefined;

/**
 * The command each peer event type makes. The consumer is handed events of these types only, so
 * each envelope's data is the payload its type declares (validated before handlers run).
 */
const COMMAND_OF_TYPE: ReadonlyMap<string, CommandOf> = new Map<string, CommandOf>([
  [PAYMENT_ORDER_EVENT_TYPES.succeeded, orderSucceeded as CommandOf],
  [PAYMENT_ORDER_EVENT_TYPES.declined, orderDeclined as CommandOf],
  [PAYMENT_ORDER_EVENT_TYPES.failed, orderFailed as CommandOf],
  [WALLET_EVENT_TYPES.credited, walletCredited as CommandOf],
  [LEDGER_EVENT_TYPES.transactionRecorded, ledgerRecorded as CommandOf],
]);

/** Every event type the saga applies. */
export const SAGA_EVENT_TYPES: readonly string[] = [...COMMAND_OF_TYPE.keys()];

function commandOf(event: EventEnvelope, occurredAt: string): SagaCommand | undefined {
  const command = COMMAND_OF_TYPE.get(event.type);
  if (command === undefined) {
    throw new PermanentEventError(`The payment saga applies no ${event.type}`, { eventId: event.id });
  }
  return command(event, occurredAt);
}

/**
 * Consumes keel.payment-order.v1, keel.wallet.v1 and keel.ledger.v1. One method names every type
 * the saga applies, so a chunk (one topic-partition) that mixes them, say succeeded, declined and
 * failed orders, is one call and one `saga.apply`, its events in offset order. The consumer only
 * translates events into commands on their payments; the decisions are the aggregate's.
 */
@ApiExcludeController()
@Controller()
export class PaymentSagaConsumer {
  constructor(private readonly saga: PaymentSagaService) {}

  @EventPattern([...SAGA_EVENT_TYPES])
  async onPeerEvents(
    @Payload() events: readonly EventEnvelope[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const occurredAt = new Date().toISOString();
    const commands = events.flatMap((event) => commandOf(event, occurredAt) ?? []);
    await this.saga.apply(context.getManager(), commands);
  }
}
