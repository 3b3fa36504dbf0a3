import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import {
  isOrphanCharge,
  type ChargeAmount,
  type InquiryResult,
  type OrphanChargeReason,
  type OutcomeSource,
  type RefusedCharge,
} from '@keel/executor-domain';
import { OutboxPublisher } from '@keel/messaging';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import { orphanDetectedEnvelope } from './orphan-charge.event';
import { OrphanChargeRepository } from './orphan-charge.repository';

export type OrphanChargeEvent = 'detected' | 'refunded' | 'refund_failed' | 'gave_up';

/** A charge a PSP holds: where, under which reference, and what the PSP says it captured. */
export interface HeldCharge {
  readonly pspId: string;
  readonly pspReference: string;
  readonly captured: ChargeAmount;
}

/** The orphan charges counter, shared by detection and the refund loop. */
export function orphanChargesCounter(registry: Registry): Counter<'psp' | 'event'> {
  return getOrCreateCounter(registry, {
    name: 'keel_executor_orphan_charges_total',
    help: 'Charges a PSP made for orders Keel had given up on: detected, refunded, refund requests that failed, and refunds given up (needs a person).',
    labelNames: ['psp', 'event'],
  });
}

function amountMismatchesCounter(registry: Registry): Counter<'psp' | 'source'> {
  return getOrCreateCounter(registry, {
    name: 'keel_executor_amount_mismatches_total',
    help: 'Successes whose captured amount or currency differed from the order: the order failed and the charge is refunded, by who reported it (charge, inquiry, webhook).',
    labelNames: ['psp', 'source'],
  });
}

/**
 * Records that a PSP holds a charge Keel will not keep, in the caller's transaction, with the
 * detected event through the outbox; the refund loop takes it from there. What is refunded is
 * what the PSP captured.
 */
@Injectable()
export class OrphanChargeService {
  private readonly counter: Counter<'psp' | 'event'>;
  private readonly mismatches: Counter<'psp' | 'source'>;

  constructor(
    private readonly orphans: OrphanChargeRepository,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.counter = orphanChargesCounter(registry);
    this.mismatches = amountMismatchesCounter(registry);
  }

  /** True when newly recorded; a charge already known (same order, same PSP) changes nothing. */
  async detect(
    manager: EntityManager,
    order: PaymentOrder,
    charge: HeldCharge,
    reason: OrphanChargeReason,
    source: OutcomeSource,
  ): Promise<boolean> {
    const orphan = await this.orphans.insertIfAbsent(manager, {
      pspId: charge.pspId,
      paymentOrderId: order.paymentOrderId,
      paymentId: order.paymentId,
      pspReference: charge.pspReference,
      amountMinor: charge.captured.amountMinor,
      currency: charge.captured.currency,
      reason,
    });
    if (orphan === undefined) return false;
    await this.outbox.publish(manager, [orphanDetectedEnvelope(orphan)]);
    this.counter.inc({ psp: charge.pspId, event: 'detected' });
    const log = {
      paymentOrderId: order.paymentOrderId,
      pspId: charge.pspId,
      pspReference: charge.pspReference,
      status: order.status,
      source,
      reason,
    };
    if (reason === 'amount_mismatch') {
      this.mismatches.inc({ psp: charge.pspId, source });
      this.logger.warn(
        {
          ...log,
          orderAmount: { amountMinor: order.amountMinor.toString(), currency: order.currency },
          capturedAmount: {
            amountMinor: charge.captured.amountMinor.toString(),
            currency: charge.captured.currency,
          },
        },
        'charge refused: the PSP captured another amount than the order is for; order failed, refund scheduled',
      );
    } else {
      this.logger.warn(log, 'orphan charge detected; refund scheduled');
    }
    return true;
  }

  /** A charge the order's decision refused (it failed the order): given back as an orphan charge. */
  refuse(manager: EntityManager, order: PaymentOrder, refused: RefusedCharge): Promise<boolean> {
    if (order.pspId === undefined) {
      throw new Error(`payment order ${order.paymentOrderId} refused a charge but has no PSP`);
    }
    const charge = { pspId: order.pspId, pspReference: refused.pspReference, captured: refused.captured };
    return this.detect(manager, order, charge, refused.reason, refused.reportedBy);
  }

  /**
   * A PSP call answered after the order moved on: a success it reports for an order that ended
   * without that charge is money to give back. True when newly recorded as an orphan.
   */
  async detectLateSuccess(
    manager: EntityManager,
    current: PaymentOrder,
    pspId: string,
    result: InquiryResult,
    source: Exclude<OutcomeSource, 'webhook'>,
  ): Promise<boolean> {
    if (result.kind !== 'succeeded') return false;
    if (!isOrphanCharge(current, pspId, result.pspReference)) return false;
    const charge = { pspId, pspReference: result.pspReference, captured: result.captured };
    return this.detect(manager, current, charge, 'order_ended', source);
  }
}
