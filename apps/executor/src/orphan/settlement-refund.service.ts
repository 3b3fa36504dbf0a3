import { Inject, Injectable } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EntityManager } from 'typeorm';
import {
  amountMinorOf,
  type EventEnvelope,
  type ReconciliationOrphanRefundRequestedPayload,
} from '@keel/contracts';
import { PspConnectorRegistry } from '@keel/executor-connectors';
import { decideSettlementRefund, UNKNOWN_PAYMENT_ID } from '@keel/executor-domain';
import { OutboxPublisher, PermanentEventError } from '@keel/messaging';
import { isCurrencyCode } from '@keel/money';
import { getOrCreateCounter, OBSERVABILITY_LOGGER, Registry, type Logger } from '@keel/observability';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';
import { orphanDetectedEnvelope } from './orphan-charge.event';
import { OrphanChargeRepository, type NewOrphanCharge } from './orphan-charge.repository';
import { orphanChargesCounter } from './orphan-charge.service';

type Request = EventEnvelope<ReconciliationOrphanRefundRequestedPayload>;

/** What became of a refund request: recorded as an orphan, already one, or kept (not refunded). */
export type SettlementRefundOutcome =
  'recorded' | 'already_known' | 'succeeded_with_this_charge' | 'in_flight';

/**
 * Takes reconciliation's refund requests in, a chunk at a time, in the inbox's transaction: each
 * charge the executor does not hold as a success is recorded as an orphan charge (reason
 * `settlement`) with its detected event, and the refund loop refunds it like any other. One
 * lookup of the orders and one insert per chunk; a charge already known as an orphan (from an
 * earlier request, or found by the executor itself) is refunded once (orphan_charges' key).
 */
@Injectable()
export class SettlementRefundService {
  private readonly detected: Counter<'psp' | 'event'>;
  private readonly requests: Counter<'psp' | 'outcome'>;

  constructor(
    private readonly orders: PaymentOrderRepository,
    private readonly orphans: OrphanChargeRepository,
    private readonly connectors: PspConnectorRegistry,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.detected = orphanChargesCounter(registry);
    this.requests = getOrCreateCounter(registry, {
      name: 'keel_executor_settlement_refund_requests_total',
      help: "Reconciliation's requests to refund a charge found in a settlement file, by outcome: recorded as an orphan, already known, or kept (a success the executor holds with that charge, or an order still in flight).",
      labelNames: ['psp', 'outcome'],
    });
  }

  async requestRefunds(manager: EntityManager, events: readonly Request[]): Promise<void> {
    const requests = firstOfEachCharge(events.map((event) => this.checked(event)));
    const held = new Map(
      (
        await this.orders.findByIds(manager, [
          ...new Set(requests.map((request) => request.data.paymentOrderId)),
        ])
      ).map((order) => [order.paymentOrderId, order]),
    );
    const toRecord: NewOrphanCharge[] = [];
    const outcomes = new Map<Request, SettlementRefundOutcome>();
    for (const request of requests) {
      const { data } = request;
      const order = held.get(data.paymentOrderId);
      const decision = decideSettlementRefund(order, data);
      if (decision.kind === 'keep') {
        outcomes.set(request, decision.reason);
        this.logger.warn(
          {
            paymentOrderId: data.paymentOrderId,
            pspId: data.pspId,
            pspReference: data.pspReference,
            decision,
          },
          'settlement refund request not applied: the executor keeps this charge; the discrepancy stays for a person',
        );
        continue;
      }
      toRecord.push({
        pspId: data.pspId,
        paymentOrderId: data.paymentOrderId,
        paymentId: order?.paymentId ?? UNKNOWN_PAYMENT_ID,
        pspReference: data.pspReference,
        amountMinor: amountMinorOf(data.amount),
        currency: data.amount.currency,
        reason: 'settlement',
      });
    }
    const recorded = await this.orphans.insertManyIfAbsent(manager, toRecord);
    await this.outbox.publish(manager, recorded.map(orphanDetectedEnvelope));
    const recordedKeys = new Set(recorded.map((orphan) => `${orphan.pspId}/${orphan.paymentOrderId}`));
    for (const request of requests) {
      const key = `${request.data.pspId}/${request.data.paymentOrderId}`;
      if (!outcomes.has(request)) outcomes.set(request, recordedKeys.has(key) ? 'recorded' : 'already_known');
    }
    for (const [request, outcome] of outcomes) {
      this.requests.inc({ psp: request.data.pspId, outcome });
      if (outcome === 'recorded') this.detected.inc({ psp: request.data.pspId, event: 'detected' });
    }
  }

  /** A request no refund can follow (a PSP or currency the executor does not know) is dead-lettered. */
  private checked(event: Request): Request {
    if (!this.connectors.has(event.data.pspId)) {
      throw new PermanentEventError(`no PSP connector for ${event.data.pspId}`, { eventId: event.id });
    }
    if (!isCurrencyCode(event.data.amount.currency)) {
      throw new PermanentEventError(
        `currency ${event.data.amount.currency} is not an ISO 4217 code Keel knows`,
        {
          eventId: event.id,
        },
      );
    }
    return event;
  }
}

/** The first request of each charge (PSP and order) in the chunk; repeats change nothing. */
function firstOfEachCharge(requests: readonly Request[]): Request[] {
  const firsts = new Map<string, Request>();
  for (const request of requests) {
    const key = `${request.data.pspId}/${request.data.paymentOrderId}`;
    if (!firsts.has(key)) firsts.set(key, request);
  }
  return [...firsts.values()];
}
