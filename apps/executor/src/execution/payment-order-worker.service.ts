import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PspConnectorRegistry, type ChargeRequest } from '@keel/executor-connectors';
import { EXECUTOR_FAILURE_CODES, transitionPaymentOrder, type ChargeResult } from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { PollLoop } from '../batching/poll-loop';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { PaymentOrderBatchRepository } from '../payment-order/payment-order-batch.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { PspBreakerRegistry } from '../resilience/psp-breaker-registry.service';
import { callCharge, type TimedResult } from '../resilience/psp-call.util';
import { PspRoutingService } from '../routing/psp-routing.service';
import { ExecutorMetrics } from './executor.metrics';
import { PaymentOrderOutcomeService } from './payment-order-outcome.service';
import { ChargeOutcomeWriter } from './charge-outcome-writer.service';
import { claimedChargesOf, type ClaimedCharge } from './claimed-charge';

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
 * Charges claimed orders with bounded concurrency (EXECUTOR_WORKER_CONCURRENCY), outside any
 * transaction, and hands each result to the outcome writer, which applies results in batches.
 * Orders arrive claimed from the transaction that stored them (`submit`); the poll claims only
 * orders due in `created` (a retry after backoff, one an inquiry found uncharged, one stored while
 * the backlog was full). A process that dies mid-call leaves the order `executing`; the resolver
 * takes it over when its lease expires and asks the PSP, so it is never charged under another key.
 */
@Injectable()
export class PaymentOrderWorkerService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollLoop<ClaimedCharge>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: PaymentOrderRepository,
    private readonly batch: PaymentOrderBatchRepository,
    private readonly outcomes: PaymentOrderOutcomeService,
    private readonly writer: ChargeOutcomeWriter,
    private readonly connectors: PspConnectorRegistry,
    private readonly routing: PspRoutingService,
    private readonly breakers: PspBreakerRegistry,
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

  /** Orders claimed for this process in a transaction that has committed: charge them now. */
  submit(claimed: readonly ClaimedCharge[]): void {
    this.loop.submit(claimed);
  }

  /** Claimed orders charging or waiting for a slot. */
  get backlog(): number {
    return this.loop.backlog;
  }

  /** An order was committed in `created`: claim it now rather than at the next poll. */
  wake(): void {
    this.loop.wake();
  }

  private claim(limit: number): Promise<ClaimedCharge[]> {
    return this.dataSource.transaction(async (manager) => {
      const claims: { paymentOrderId: string; pspId: string; reason: string }[] = [];
      const previousPspIds = new Map<string, string>();
      for (const order of await this.orders.lockDue(manager, 'created', limit)) {
        // Read before the claim moves it: the PSP of the attempt before, for the attempt event.
        if (order.attempts > 0 && order.pspId !== undefined) {
          previousPspIds.set(order.paymentOrderId, order.pspId);
        }
        // An order in `created` holds no charge at any PSP (never tried, refused, or an inquiry
        // found none), so routing may move it to another PSP; the idempotency key stays the order id.
        const selection = this.routing.select(order);
        if (selection.kind === 'psp') {
          claims.push({
            paymentOrderId: order.paymentOrderId,
            pspId: selection.pspId,
            reason: selection.reason,
          });
          continue;
        }
        await this.outcomes.apply(manager, order, {
          kind: 'fail',
          code: EXECUTOR_FAILURE_CODES.methodUnavailable,
          message: `No PSP is available for ${order.methodType} payments: ${selection.reason}`,
        });
      }
      if (claims.length === 0) return [];
      // Asserts the move is legal before the rows say so; throws PaymentOrderError otherwise.
      transitionPaymentOrder('created', 'claimed');
      const executing = await this.batch.claim(manager, claims, this.settings.lease);
      const attemptIds = await this.batch.startChargeAttempts(manager, claims);
      return claimedChargesOf(executing, attemptIds, Date.now(), previousPspIds);
    });
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

  /** A charge could take three PSP timeouts: one that might outlast its lease is not started. */
  private leaseTooShort(claimed: ClaimedCharge): boolean {
    const elapsedMs = Date.now() - claimed.claimedAtMs;
    return elapsedMs > this.settings.lease.durationMs - 3 * this.settings.pspTimeoutMs;
  }

  private async charge(claimed: ClaimedCharge): Promise<void> {
    const { order } = claimed;
    if (this.leaseTooShort(claimed)) {
      this.logger.warn(
        { paymentOrderId: order.paymentOrderId, pspId: order.pspId },
        'claimed order waited too long for a charge slot; left to its lease (resolved by inquiry)',
      );
      return;
    }
    const attemptedAt = new Date();
    const call = await this.guardedCharge(order);
    if (call.errorCode !== 'breaker_open') {
      this.metrics.recordCall(order.pspId, order.methodType, 'charge', call.result.kind, call.durationMs);
    }
    await this.writer.submit({ claimed, call, attemptedAt });
  }
}
