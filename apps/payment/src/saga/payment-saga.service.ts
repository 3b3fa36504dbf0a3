import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxPublisher, PermanentEventError } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PaymentError, type PaymentCommand } from '@keel/payment-domain';
import { integrationEventsOf } from '../payments/payment-integration-events.util';
import { PaymentStore } from '../payments/payment-store.service';

/**
 * The payment saga: applies what the executor, wallet and ledger report to the payment it
 * concerns, in the inbox transaction of the event, and publishes the terminal event when the
 * payment reaches one. A fact the payment can never accept (unknown payment or order, a
 * contradicting outcome, a mismatched amount) is a PermanentEventError: it goes to the DLQ for a
 * person to look at, and the partition keeps flowing.
 */
@Injectable()
export class PaymentSagaService {
  constructor(
    private readonly store: PaymentStore,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async apply(
    manager: EntityManager,
    paymentId: string,
    command: PaymentCommand,
    expectedMerchantId?: string,
  ): Promise<void> {
    try {
      const decision = await this.store.execute(manager, paymentId, command);
      if (decision.after === undefined || decision.events.length === 0) return;
      if (expectedMerchantId !== undefined && decision.after.merchantId !== expectedMerchantId) {
        // Rolls back what was just appended, together with the inbox row of the event.
        throw new PermanentEventError(
          `payment ${paymentId} belongs to another merchant than the event says (${expectedMerchantId})`,
        );
      }
      await this.outbox.publish(manager, integrationEventsOf(decision.after, decision.events));
      const terminal = decision.after.status !== 'processing' && decision.before?.status === 'processing';
      if (terminal) this.logger.info({ paymentId, status: decision.after.status }, 'payment finished');
    } catch (error) {
      if (error instanceof PaymentError) throw new PermanentEventError(`${error.code}: ${error.message}`);
      throw error;
    }
  }
}
