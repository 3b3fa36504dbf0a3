import { Inject, Injectable } from '@nestjs/common';
import { EXECUTOR_FAILURE_CODES, transitionPaymentOrder } from '@keel/executor-domain';
import { OutboxPublisher, type InboxTransaction } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import {
  PaymentOrderBatchRepository,
  type NewOrderRow,
} from '../payment-order/payment-order-batch.repository';
import type { NewPaymentOrder, PaymentOrder } from '../payment-order/payment-order.record';
import { PspRoutingService } from '../routing/psp-routing.service';
import { claimedChargesOf } from './claimed-charge';
import { ExecutorMetrics } from './executor.metrics';
import { outcomeEnvelopes, type TerminalDecision } from './payment-order-outcome.event';
import { PaymentOrderWorkerService } from './payment-order-worker.service';

type Failure = Extract<TerminalDecision, { kind: 'fail' }>;

/**
 * Stores new payment orders set-based, in the transaction that consumes their requests, and claims
 * them for this process in that same transaction: status executing at the PSP routing chose, a
 * lease, and the attempt row, all committed before any PSP call. After the commit they go straight
 * to the worker. An order no PSP can take fails at once; orders beyond the worker's backlog are
 * stored unclaimed for its poll.
 */
@Injectable()
export class PaymentOrderIntakeService {
  constructor(
    private readonly batch: PaymentOrderBatchRepository,
    private readonly routing: PspRoutingService,
    private readonly worker: PaymentOrderWorkerService,
    private readonly outbox: OutboxPublisher,
    private readonly metrics: ExecutorMetrics,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** Stores the orders not stored yet; answers those that were (one order id each in `requested`). */
  async storeAndClaim(
    transaction: InboxTransaction,
    requested: readonly NewPaymentOrder[],
  ): Promise<PaymentOrder[]> {
    const { manager } = transaction;
    const { rows, reasons, failures } = this.dispositionsOf(requested);
    const inserted = await this.batch.insertNew(manager, rows, this.settings.lease);
    const claimedOrders = inserted.filter((order) => order.status === 'executing');
    const attemptIds = await this.batch.startChargeAttempts(
      manager,
      claimedOrders.map((order) => ({
        paymentOrderId: order.paymentOrderId,
        pspId: order.pspId ?? '',
        reason: reasons.get(order.paymentOrderId) ?? 'weighted',
      })),
    );
    const claimed = claimedChargesOf(claimedOrders, attemptIds, Date.now());
    await this.publishFailures(transaction, inserted, failures);
    if (claimed.length > 0) transaction.afterCommit(() => this.worker.submit(claimed));
    if (inserted.some((order) => order.status === 'created'))
      transaction.afterCommit(() => this.worker.wake());
    this.logger.debug({ stored: inserted.length, claimed: claimed.length }, 'payment orders stored');
    const storedIds = new Set(inserted.map((order) => order.paymentOrderId));
    const repeated = requested.filter((order) => !storedIds.has(order.paymentOrderId));
    if (repeated.length === 0) return [];
    return this.batch.findByIds(
      manager,
      repeated.map((order) => order.paymentOrderId),
    );
  }

  private dispositionsOf(requested: readonly NewPaymentOrder[]): {
    rows: NewOrderRow[];
    reasons: Map<string, string>;
    failures: Map<string, Failure>;
  } {
    // Asserts the move a stored-and-claimed order makes, created → executing, is a legal one.
    transitionPaymentOrder('created', 'claimed');
    let room = this.settings.chargeBacklogMax - this.worker.backlog;
    const reasons = new Map<string, string>();
    const failures = new Map<string, Failure>();
    const rows = requested.map((order): NewOrderRow => {
      const selection = this.routing.select({ ...order, attempts: 0 });
      if (selection.kind === 'unavailable') {
        const failure: Failure = {
          kind: 'fail',
          code: EXECUTOR_FAILURE_CODES.methodUnavailable,
          message: `No PSP is available for ${order.methodType} payments: ${selection.reason}`,
        };
        failures.set(order.paymentOrderId, failure);
        return { order, disposition: failure };
      }
      if (room <= 0) return { order, disposition: { kind: 'defer' } };
      room -= 1;
      reasons.set(order.paymentOrderId, selection.reason);
      return { order, disposition: { kind: 'claim', pspId: selection.pspId } };
    });
    return { rows, reasons, failures };
  }

  /** Orders failed at intake announce it like any outcome, all in one outbox insert. */
  private async publishFailures(
    transaction: InboxTransaction,
    inserted: readonly PaymentOrder[],
    failures: ReadonlyMap<string, Failure>,
  ): Promise<void> {
    const failed = inserted.filter((order) => order.status === 'failed');
    if (failed.length === 0) return;
    await this.outbox.publish(
      transaction.manager,
      failed.flatMap((order) => {
        const failure = failures.get(order.paymentOrderId);
        if (failure === undefined) throw new Error(`payment order ${order.paymentOrderId} failed unasked`);
        return outcomeEnvelopes(order, failure, order.updatedAt);
      }),
    );
    for (const order of failed) {
      this.metrics.recordCompletion(undefined, order.status);
      this.logger.debug(
        { paymentOrderId: order.paymentOrderId, resultCode: order.resultCode },
        'payment order failed: no PSP available',
      );
    }
  }
}
