import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { PspConnectorRegistry, PspRejectedRequestError, type RefundOutcome } from '@keel/executor-connectors';
import { decideAfterRefundFailure, orphanRefundKeyOf } from '@keel/executor-domain';
import { OutboxPublisher } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { PollLoop } from '../batching/poll-loop';
import { orphanRefundedEnvelope } from './orphan-charge.event';
import { OrphanChargeRepository, type OrphanCharge } from './orphan-charge.repository';
import { orphanChargesCounter } from './orphan-charge.service';
import { ORPHAN_REFUND_SETTINGS, type OrphanRefundSettings } from './orphan-refund.settings';

type RefundCall =
  { readonly ok: true; readonly outcome: RefundOutcome } | { readonly ok: false; readonly error: unknown };

/**
 * Refunds orphan charges at their PSP: claims due ones, asks for the full refund with the key
 * `refund:<paymentOrderId>:<pspReference>` (a retry never refunds twice), and records the result
 * with the refunded event in one transaction. Failures back off; after the last attempt the
 * orphan is `gave_up` and logged as an error for a person.
 */
@Injectable()
export class OrphanRefundService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollLoop<OrphanCharge>;
  private readonly counter: Counter<'psp' | 'event'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly orphans: OrphanChargeRepository,
    private readonly connectors: PspConnectorRegistry,
    private readonly outbox: OutboxPublisher,
    @Inject(ORPHAN_REFUND_SETTINGS) private readonly settings: OrphanRefundSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.counter = orphanChargesCounter(registry);
    this.loop = new PollLoop(
      'orphan-refund',
      settings.loop,
      {
        claim: (limit) =>
          this.dataSource.transaction((manager) => this.orphans.claimDue(manager, limit, settings.leaseMs)),
        process: (orphan) => this.refund(orphan),
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  private async call(orphan: OrphanCharge): Promise<RefundCall> {
    try {
      const outcome = await this.connectors.get(orphan.pspId).refund({
        idempotencyKey: orphanRefundKeyOf(orphan.paymentOrderId, orphan.pspReference),
        pspReference: orphan.pspReference,
        amountMinor: orphan.amountMinor,
        currency: orphan.currency,
      });
      return { ok: true, outcome };
    } catch (error) {
      return { ok: false, error };
    }
  }

  private async refund(claimed: OrphanCharge): Promise<void> {
    const call = await this.call(claimed);
    await this.dataSource.transaction(async (manager) => {
      const current = await this.orphans.lock(manager, claimed.pspId, claimed.paymentOrderId);
      if (current?.refundStatus !== 'pending') return;
      if (call.ok) {
        const refunded = await this.orphans.markRefunded(manager, current, call.outcome.refundReference);
        await this.outbox.publish(manager, [orphanRefundedEnvelope(refunded)]);
        this.counter.inc({ psp: current.pspId, event: 'refunded' });
        this.logger.warn(
          {
            paymentOrderId: current.paymentOrderId,
            pspId: current.pspId,
            refundReference: call.outcome.refundReference,
            delayMs:
              (current.refundRequestedAt ?? current.detectedAt).getTime() - current.detectedAt.getTime(),
          },
          'orphan charge refunded',
        );
        return;
      }
      const message = call.error instanceof Error ? call.error.message : String(call.error);
      const rejected = call.error instanceof PspRejectedRequestError;
      const decision = decideAfterRefundFailure(current.attempts, rejected, this.settings);
      await this.orphans.markFailed(
        manager,
        current,
        message,
        decision.kind === 'retry' ? decision.delayMs : undefined,
      );
      const log = {
        paymentOrderId: current.paymentOrderId,
        pspId: current.pspId,
        attempts: current.attempts,
        err: call.error,
      };
      if (decision.kind === 'retry') {
        this.counter.inc({ psp: current.pspId, event: 'refund_failed' });
        this.logger.warn({ ...log, delayMs: decision.delayMs }, 'orphan refund failed; will retry');
      } else {
        this.counter.inc({ psp: current.pspId, event: 'gave_up' });
        this.logger.error(log, 'orphan refund given up: money is held for a buyer, a person must refund it');
      }
    });
  }
}
