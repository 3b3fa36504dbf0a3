import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { decideAfterCharge, repeatsSettledOutcome, type ExecutionDecision } from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { MicroBatcher } from '../batching/micro-batcher';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { OrphanChargeService } from '../orphan/orphan-charge.service';
import { PaymentOrderBatchRepository } from '../payment-order/payment-order-batch.repository';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { PspRoutingService } from '../routing/psp-routing.service';
import { attemptFinishOf } from './attempt-record.util';
import type { ChargeOutcome } from './claimed-charge';
import { PaymentOrderOutcomeService } from './payment-order-outcome.service';
import { attemptEnvelope } from './psp-attempt.event';

/**
 * Applies charge outcomes in micro-batches: calls that finish while a batch is being written wait
 * and go together in the next transaction. Per batch: the orders locked in id order, one update for
 * those still as claimed, one update finishing the attempts, one outbox insert — the outcome events
 * and one attempt event per call (keel.psp.attempt_recorded.v1, what ops watches PSPs and providers
 * by). An order that moved on while its call ran (its lease ran out) takes the per-order path: a
 * late answer is as good as an inquiry's while it is `unknown`, and a success for an order that
 * ended otherwise is an orphan.
 *
 * Only charges make attempt events. An inquiry asks about a charge already counted (as `unknown`
 * when its answer was lost); counting its answer too would count one buyer's attempt twice and skew
 * the approval and trouble rates, and a failing inquiry moves no money and changes no outcome.
 */
@Injectable()
export class ChargeOutcomeWriter {
  private readonly batcher: MicroBatcher<ChargeOutcome>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly batch: PaymentOrderBatchRepository,
    private readonly outcomes: PaymentOrderOutcomeService,
    private readonly orphans: OrphanChargeService,
    private readonly routing: PspRoutingService,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {
    this.batcher = new MicroBatcher(
      'charge-outcomes',
      settings.outcomeBatch,
      (items) => this.write(items),
      logger,
    );
  }

  /** Settles once the outcome is committed; rejects when its batch could not be written. */
  submit(outcome: ChargeOutcome): Promise<void> {
    return this.batcher.submit(outcome);
  }

  private write(items: readonly ChargeOutcome[]): Promise<void> {
    return this.dataSource.transaction(async (manager) => {
      // The orders first (in id order), then their attempts: the lock order of every other writer.
      const locked = await this.batch.lockByIds(
        manager,
        items.map((item) => item.claimed.order.paymentOrderId),
      );
      const current = new Map(locked.map((order) => [order.paymentOrderId, order]));
      const asClaimed: { order: PaymentOrder; decision: ExecutionDecision }[] = [];
      const movedOn: ChargeOutcome[] = [];
      for (const item of items) {
        const order = current.get(item.claimed.order.paymentOrderId);
        if (order?.status === 'executing' && order.attempts === item.claimed.order.attempts) {
          asClaimed.push({ order, decision: this.decide(order, item) });
        } else {
          movedOn.push(item);
        }
      }
      await this.outcomes.applyToLocked(manager, asClaimed, items.map(attemptEnvelope));
      await this.batch.finishAttempts(
        manager,
        items.map((item) => ({ attemptId: item.claimed.attemptId, finish: attemptFinishOf(item.call) })),
      );
      for (const item of movedOn) {
        await this.applyMovedOn(manager, current.get(item.claimed.order.paymentOrderId), item);
      }
    });
  }

  private decide(current: PaymentOrder, { claimed, call }: ChargeOutcome): ExecutionDecision {
    const decision = decideAfterCharge(call.result, current, this.settings.policy);
    // A refused charge fails over at once when another PSP can take it; backoff is for the same PSP.
    if (decision.kind !== 'retry' || !this.routing.hasAlternative(current, claimed.order.pspId)) {
      return decision;
    }
    return { ...decision, delayMs: 0 };
  }

  private async applyMovedOn(
    manager: EntityManager,
    current: PaymentOrder | undefined,
    item: ChargeOutcome,
  ): Promise<void> {
    const { order } = item.claimed;
    // Its lease ran out mid-call and no inquiry has answered yet: this answer is as good as one.
    if (current?.status === 'unknown' && current.attempts === order.attempts) {
      await this.outcomes.apply(manager, current, this.decide(current, item));
      return;
    }
    const log = {
      paymentOrderId: order.paymentOrderId,
      result: item.call.result.kind,
      status: current?.status,
    };
    if (current !== undefined && repeatsSettledOutcome(current, order.pspId, item.call.result)) {
      this.logger.debug(log, "charge answer repeats the outcome the PSP's webhook already applied");
      return;
    }
    this.logger.warn(log, 'charge result arrived after the order moved on; recorded on the attempt only');
    // e.g. its lease ran out and the resolver failed it: a charge it holds now is an orphan.
    if (current !== undefined) {
      await this.orphans.detectLateSuccess(manager, current, order.pspId, item.call.result, 'charge');
    }
  }
}
