import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PspConnectorRegistry } from '@keel/executor-connectors';
import { decideAfterInquiry, transitionPaymentOrder } from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PollLoop } from '../batching/poll-loop';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { OrphanChargeService } from '../orphan/orphan-charge.service';
import { PaymentOrderAttemptRepository } from '../payment-order/payment-order-attempt.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { callInquiry } from '../resilience/psp-call.util';
import { attemptFinishOf, isStillClaimed } from './attempt-record.util';
import { ExecutorMetrics } from './executor.metrics';
import { PaymentOrderOutcomeService } from './payment-order-outcome.service';
import { UnknownOutcomeOverdueService } from './unknown-outcome-overdue.service';

interface ClaimedInquiry {
  readonly order: PaymentOrder & { readonly pspId: string };
  readonly attemptId: string;
}

const LEASE_EXPIRED_REASON = 'lease expired mid-call: the charge may have reached the PSP';

/**
 * Resolves orders whose outcome is unknown (a timeout, a 5xx, a pending charge, or a process that
 * died mid-call) by asking their PSP about the payment order id, with backoff between inquiries.
 * It never charges: when the PSP holds no charge, the order goes back to the worker, which
 * charges again with the same key at the same PSP.
 */
@Injectable()
export class PaymentOrderResolverService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollLoop<ClaimedInquiry>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: PaymentOrderRepository,
    private readonly attempts: PaymentOrderAttemptRepository,
    private readonly outcomes: PaymentOrderOutcomeService,
    private readonly connectors: PspConnectorRegistry,
    private readonly metrics: ExecutorMetrics,
    private readonly orphans: OrphanChargeService,
    private readonly overdue: UnknownOutcomeOverdueService,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new PollLoop(
      'payment-order-resolver',
      settings.resolver,
      { claim: (limit) => this.claim(limit), process: (claimed) => this.inquire(claimed) },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private claim(limit: number): Promise<ClaimedInquiry[]> {
    return this.dataSource.transaction(async (manager) => {
      for (const order of await this.orders.lockExpiredLeases(manager, limit)) {
        await this.takeOverExpiredLease(manager, order);
      }
      // Reported before claiming, so an order overdue now is reported even while it is asked about.
      await this.overdue.check(manager, this.settings.resolver.batchSize);
      const claimed: ClaimedInquiry[] = [];
      for (const order of await this.orders.lockDue(manager, 'unknown', limit)) {
        claimed.push(await this.claimOne(manager, order));
      }
      return claimed;
    });
  }

  /** executing → unknown, due at once: whatever the dead call did, only an inquiry can tell. */
  private async takeOverExpiredLease(manager: EntityManager, order: PaymentOrder): Promise<void> {
    const status = transitionPaymentOrder(order.status, 'outcome_unknown');
    await this.orders.update(manager, order.paymentOrderId, {
      status,
      statusReason: LEASE_EXPIRED_REASON,
      completed: false,
    });
    await this.attempts.abandonOpen(
      manager,
      order.paymentOrderId,
      'lease expired before the call reported back',
    );
    this.logger.warn({ paymentOrderId: order.paymentOrderId, pspId: order.pspId }, LEASE_EXPIRED_REASON);
  }

  private async claimOne(manager: EntityManager, order: PaymentOrder): Promise<ClaimedInquiry> {
    const { pspId } = order;
    // The table's check makes this impossible; asserted because inquiring elsewhere would be wrong.
    if (pspId === undefined) throw new Error(`unknown payment order ${order.paymentOrderId} has no PSP`);
    const inquiring = await this.orders.markInquiring(
      manager,
      order.paymentOrderId,
      this.settings.lease.durationMs,
    );
    const attemptId = await this.attempts.start(manager, {
      paymentOrderId: order.paymentOrderId,
      kind: 'inquiry',
      pspId,
      reason: order.statusReason ?? 'outcome unknown',
    });
    return { order: { ...inquiring, pspId }, attemptId };
  }

  private async inquire({ order, attemptId }: ClaimedInquiry): Promise<void> {
    const call = await callInquiry(this.connectors.get(order.pspId), order.paymentOrderId);
    this.metrics.recordCall(order.pspId, order.methodType, 'inquiry', call.result.kind, call.durationMs);
    await this.dataSource.transaction(async (manager) => {
      // The order first, then its attempt: the same lock order as every other writer.
      const current = await this.orders.lockById(manager, order.paymentOrderId);
      await this.attempts.finish(manager, attemptId, attemptFinishOf(call));
      const expected = {
        statuses: ['unknown'] as const,
        attempts: order.attempts,
        inquiries: order.inquiries,
      };
      if (current === undefined || !isStillClaimed(current, expected)) {
        this.logger.info(
          { paymentOrderId: order.paymentOrderId, result: call.result.kind, status: current?.status },
          'inquiry answered after the order moved on; recorded on the attempt only',
        );
        if (current !== undefined) {
          await this.orphans.detectLateSuccess(manager, current, order.pspId, call.result, 'inquiry');
        }
        return;
      }
      await this.outcomes.apply(
        manager,
        current,
        decideAfterInquiry(call.result, current, this.settings.policy),
      );
    });
  }
}
