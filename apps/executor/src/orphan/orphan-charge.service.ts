import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import { isOrphanCharge } from '@keel/executor-domain';
import { OutboxPublisher } from '@keel/messaging';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { orphanDetectedEnvelope } from './orphan-charge.event';
import { OrphanChargeRepository } from './orphan-charge.repository';

export type OrphanChargeSource = 'webhook' | 'inquiry' | 'charge';

export type OrphanChargeEvent = 'detected' | 'refunded' | 'refund_failed' | 'gave_up';

/** The orphan charges counter, shared by detection and the refund loop. */
export function orphanChargesCounter(registry: Registry): Counter<'psp' | 'event'> {
  return getOrCreateCounter(registry, {
    name: 'keel_executor_orphan_charges_total',
    help: 'Charges a PSP made for orders Keel had given up on: detected, refunded, refund requests that failed, and refunds given up (needs a person).',
    labelNames: ['psp', 'event'],
  });
}

/**
 * Records that a PSP holds a charge for an order Keel will not keep, in the caller's
 * transaction, with the detected event through the outbox; the refund loop takes it from there.
 */
@Injectable()
export class OrphanChargeService {
  private readonly counter: Counter<'psp' | 'event'>;

  constructor(
    private readonly orphans: OrphanChargeRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.counter = orphanChargesCounter(registry);
  }

  /** True when newly recorded; a charge already known (same order, same PSP) changes nothing. */
  async detect(
    manager: EntityManager,
    order: PaymentOrder,
    pspId: string,
    pspReference: string,
    source: OrphanChargeSource,
  ): Promise<boolean> {
    const orphan = await this.orphans.insertIfAbsent(manager, {
      pspId,
      paymentOrderId: order.paymentOrderId,
      paymentId: order.paymentId,
      pspReference,
      amountMinor: order.amountMinor,
      currency: order.currency,
    });
    if (orphan === undefined) return false;
    await this.outbox.publish(manager, [orphanDetectedEnvelope(orphan)]);
    this.counter.inc({ psp: pspId, event: 'detected' });
    this.logger.warn(
      { paymentOrderId: order.paymentOrderId, pspId, pspReference, status: order.status, source },
      'orphan charge detected; refund scheduled',
    );
    return true;
  }

  /**
   * A PSP call answered after the order moved on: a success it reports for an order that ended
   * without that charge is money to give back. True when newly recorded as an orphan.
   */
  async detectLateSuccess(
    manager: EntityManager,
    current: PaymentOrder,
    pspId: string,
    result: { readonly kind: string; readonly pspReference?: string },
    source: Exclude<OrphanChargeSource, 'webhook'>,
  ): Promise<boolean> {
    if (result.kind !== 'succeeded' || result.pspReference === undefined) return false;
    if (!isOrphanCharge(current, pspId, result.pspReference)) return false;
    return this.detect(manager, current, pspId, result.pspReference, source);
  }
}
