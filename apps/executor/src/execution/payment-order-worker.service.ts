import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PspConnectorRegistry, type ChargeRequest } from '@keel/executor-connectors';
import {
  chooseRoute,
  decideAfterCharge,
  EXECUTOR_FAILURE_CODES,
  transitionPaymentOrder,
} from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { PaymentOrderAttemptRepository } from '../payment-order/payment-order-attempt.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { ExecutorMetrics } from './executor.metrics';
import { PaymentOrderOutcomeService } from './payment-order-outcome.service';
import { attemptFinishOf, isStillClaimed } from './attempt-record.util';
import { callCharge } from './psp-call.util';
import { PollLoop } from './poll-loop';

interface ClaimedCharge {
  readonly order: PaymentOrder & { readonly pspId: string };
  readonly attemptId: string;
}

function chargeRequestOf(order: PaymentOrder): ChargeRequest {
  return {
    // The one key this order is ever charged with, at every attempt and after every restart.
    idempotencyKey: order.paymentOrderId,
    amountMinor: order.amountMinor,
    currency: order.currency,
    method:
      order.methodProvider === undefined
        ? { type: order.methodType }
        : { type: order.methodType, provider: order.methodProvider },
    instrumentToken: order.instrumentToken,
  };
}

/**
 * Charges orders in `created`: claims a batch (→ executing, attempts + 1) in one short transaction,
 * calls the PSP outside any transaction, then records the outcome and its event in a second one.
 * A process that dies mid-call leaves the order `executing`; the resolver takes it over when its
 * lease expires and asks the PSP, so it is never charged again under another key.
 */
@Injectable()
export class PaymentOrderWorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollLoop<ClaimedCharge>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: PaymentOrderRepository,
    private readonly attempts: PaymentOrderAttemptRepository,
    private readonly outcomes: PaymentOrderOutcomeService,
    private readonly connectors: PspConnectorRegistry,
    private readonly metrics: ExecutorMetrics,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.loop = new PollLoop(
      'payment-order-worker',
      settings.worker,
      { claim: (limit) => this.claim(limit), process: (claimed) => this.charge(claimed) },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
    this.logger.info(
      { psps: this.connectors.pspIds(), ...this.settings.worker },
      'payment order worker started',
    );
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private claim(limit: number): Promise<ClaimedCharge[]> {
    return this.dataSource.transaction(async (manager) => {
      const claimed: ClaimedCharge[] = [];
      for (const order of await this.orders.lockDue(manager, 'created', limit)) {
        const next = await this.claimOne(manager, order);
        if (next !== undefined) claimed.push(next);
      }
      return claimed;
    });
  }

  private async claimOne(manager: EntityManager, order: PaymentOrder): Promise<ClaimedCharge | undefined> {
    // An order keeps the PSP of its first attempt: a retry must reach the PSP that may hold the key.
    const pspId = order.pspId ?? this.routeOf(order);
    if (pspId === undefined) {
      await this.outcomes.apply(manager, order, {
        kind: 'fail',
        code: EXECUTOR_FAILURE_CODES.methodUnavailable,
        message: `No PSP is available for ${order.methodType} payments`,
      });
      return undefined;
    }
    // Asserts the move is legal before the row says so; throws PaymentOrderError otherwise.
    transitionPaymentOrder(order.status, 'claimed');
    const executing = await this.orders.markExecuting(
      manager,
      order.paymentOrderId,
      pspId,
      this.settings.leaseMs,
    );
    const attemptId = await this.attempts.start(manager, {
      paymentOrderId: order.paymentOrderId,
      kind: 'charge',
      pspId,
      reason: order.attempts === 0 ? 'first attempt' : (order.statusReason ?? 'retry'),
    });
    return { order: { ...executing, pspId }, attemptId };
  }

  private routeOf(order: PaymentOrder): string | undefined {
    const route = chooseRoute(order.methodType, this.settings.routing);
    return route.kind === 'psp' && this.connectors.has(route.pspId) ? route.pspId : undefined;
  }

  private async charge({ order, attemptId }: ClaimedCharge): Promise<void> {
    const call = await callCharge(this.connectors.get(order.pspId), chargeRequestOf(order));
    this.metrics.recordCall(order.pspId, 'charge', call.result.kind, call.durationMs);
    await this.dataSource.transaction(async (manager) => {
      // The order first, then its attempt: the same lock order as every other writer.
      const current = await this.orders.lockById(manager, order.paymentOrderId);
      await this.attempts.finish(manager, attemptId, attemptFinishOf(call));
      // `unknown` too: if the lease ran out mid-call, this answer is as good as an inquiry's.
      const expected = { statuses: ['executing', 'unknown'] as const, attempts: order.attempts };
      if (current === undefined || !isStillClaimed(current, expected)) {
        this.logger.warn(
          { paymentOrderId: order.paymentOrderId, result: call.result.kind, status: current?.status },
          'charge result arrived after the order moved on; recorded on the attempt only',
        );
        return;
      }
      const counts = { attempts: current.attempts, inquiries: current.inquiries };
      await this.outcomes.apply(
        manager,
        current,
        decideAfterCharge(call.result, counts, this.settings.policy),
      );
    });
  }
}
