import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PspConnectorRegistry, type ChargeRequest } from '@keel/executor-connectors';
import {
  decideAfterCharge,
  EXECUTOR_FAILURE_CODES,
  transitionPaymentOrder,
  type ChargeResult,
  type ExecutionDecision,
} from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { PaymentOrderAttemptRepository } from '../payment-order/payment-order-attempt.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { OrphanChargeService } from '../orphan/orphan-charge.service';
import { PspBreakerRegistry } from '../resilience/psp-breaker-registry.service';
import { PspRoutingService } from '../routing/psp-routing.service';
import { ExecutorMetrics } from './executor.metrics';
import { PaymentOrderOutcomeService } from './payment-order-outcome.service';
import { attemptFinishOf, isStillClaimed } from './attempt-record.util';
import { callCharge, unknownOutcomeAsUnavailable, type TimedResult } from './psp-call.util';
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
    private readonly routing: PspRoutingService,
    private readonly breakers: PspBreakerRegistry,
    private readonly metrics: ExecutorMetrics,
    private readonly orphans: OrphanChargeService,
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
    if (this.settings.chaosBreak !== '') {
      this.logger.warn(
        { chaosBreak: this.settings.chaosBreak },
        'KEEL_CHAOS_BREAK is set: this executor double-charges on purpose (chaos suite proof only)',
      );
    }
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** An order was committed in `created`: claim it now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
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
    // An order in `created` holds no charge at any PSP (never tried, refused, or an inquiry found
    // none), so routing may move it to another PSP; the idempotency key stays the order id.
    const selection = this.routing.select(order);
    if (selection.kind === 'unavailable') {
      await this.outcomes.apply(manager, order, {
        kind: 'fail',
        code: EXECUTOR_FAILURE_CODES.methodUnavailable,
        message: `No PSP is available for ${order.methodType} payments: ${selection.reason}`,
      });
      return undefined;
    }
    // Asserts the move is legal before the row says so; throws PaymentOrderError otherwise.
    transitionPaymentOrder(order.status, 'claimed');
    const executing = await this.orders.markExecuting(
      manager,
      order.paymentOrderId,
      selection.pspId,
      this.settings.leaseMs,
    );
    const attemptId = await this.attempts.start(manager, {
      paymentOrderId: order.paymentOrderId,
      kind: 'charge',
      pspId: selection.pspId,
      reason: selection.reason,
    });
    return { order: { ...executing, pspId: selection.pspId }, attemptId };
  }

  /** The charge through the PSP's breakers; a breaker that turns it away means nothing was sent. */
  private async guardedCharge(order: ClaimedCharge['order']): Promise<TimedResult<ChargeResult>> {
    const guarded = await this.breakers.charge(order.pspId, order.methodType, () =>
      callCharge(this.connectors.get(order.pspId), chargeRequestOf(order)),
    );
    if (guarded.admitted) return guarded.value;
    return {
      result: { kind: 'unavailable', message: `circuit breaker of ${order.pspId} is open` },
      durationMs: 0,
      errorCode: 'breaker_open',
    };
  }

  /** A refused charge fails over at once when another PSP can take it; backoff is for the same PSP. */
  private withFailover(decision: ExecutionDecision, order: ClaimedCharge['order']): ExecutionDecision {
    if (decision.kind !== 'retry' || !this.routing.hasAlternative(order, order.pspId)) return decision;
    return { ...decision, delayMs: 0 };
  }

  private async charge({ order, attemptId }: ClaimedCharge): Promise<void> {
    const call = await this.guardedCharge(order);
    if (call.errorCode !== 'breaker_open') {
      this.metrics.recordCall(order.pspId, 'charge', call.result.kind, call.durationMs);
    }
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
        // e.g. its lease ran out and the resolver failed it: a charge it holds now is an orphan.
        if (current !== undefined) {
          await this.orphans.detectLateSuccess(manager, current, order.pspId, call.result, 'charge');
        }
        return;
      }
      const counts = { attempts: current.attempts, inquiries: current.inquiries };
      const result =
        this.settings.chaosBreak === 'failover-on-unknown-outcome'
          ? unknownOutcomeAsUnavailable(call.result)
          : call.result;
      const decision = decideAfterCharge(result, counts, this.settings.policy);
      await this.outcomes.apply(manager, current, this.withFailover(decision, order));
    });
  }
}
