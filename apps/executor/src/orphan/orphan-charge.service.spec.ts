import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@keel/contracts';
import type { OutboxPublisher } from '@keel/messaging';
import { createLogger, Registry } from '@keel/observability';
import type { InquiryResult } from '@keel/executor-domain';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import type { NewOrphanCharge, OrphanCharge, OrphanChargeRepository } from './orphan-charge.repository';
import { OrphanChargeService } from './orphan-charge.service';

const MANAGER = {} as EntityManager;

function order(status: PaymentOrder['status'], extra: Partial<PaymentOrder> = {}): PaymentOrder {
  const at = new Date('2025-01-01T09:00:00.000Z');
  return {
    paymentOrderId: 'po_1',
    paymentId: 'pay_1',
    merchantId: 'merchant_1',
    sellerId: 'seller_1',
    amountMinor: 15_000n,
    currency: 'KRW',
    methodType: 'card',
    status,
    pspId: 'acme',
    attempts: 1,
    inquiries: 0,
    nextAttemptAt: at,
    requestedAt: at,
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

/** A success the PSP reports for `pspReference`, capturing `amountMinor` KRW. */
function success(pspReference: string, amountMinor = 15_000n): InquiryResult {
  return { kind: 'succeeded', pspReference, captured: { amountMinor, currency: 'KRW' } };
}

function serviceWithFakes(): {
  service: OrphanChargeService;
  inserted: NewOrphanCharge[];
  published: EventEnvelope[];
  registry: Registry;
} {
  const inserted: NewOrphanCharge[] = [];
  const published: EventEnvelope[] = [];
  const repository = {
    insertIfAbsent: (_manager: EntityManager, orphan: NewOrphanCharge): Promise<OrphanCharge | undefined> => {
      inserted.push(orphan);
      return Promise.resolve({
        ...orphan,
        detectedAt: new Date(),
        refundStatus: 'pending',
        attempts: 0,
      } as OrphanCharge);
    },
  } as unknown as OrphanChargeRepository;
  const outbox = {
    publish: (_manager: EntityManager, envelopes: readonly EventEnvelope[]): Promise<void> => {
      published.push(...envelopes);
      return Promise.resolve();
    },
  } as unknown as OutboxPublisher;
  const logger = createLogger({ service: 'executor', level: 'silent' });
  const registry = new Registry();
  return {
    service: new OrphanChargeService(repository, outbox, logger, registry),
    inserted,
    published,
    registry,
  };
}

describe('OrphanChargeService.detectLateSuccess (a PSP call answered after the order moved on)', () => {
  it('records a success for a failed order as an orphan of what the PSP captured, with its event', async () => {
    const { service, inserted, published } = serviceWithFakes();
    const succeeded = success('ch_late', 14_000n);

    expect(await service.detectLateSuccess(MANAGER, order('failed'), 'acme', succeeded, 'charge')).toBe(true);
    expect(inserted).toEqual([
      expect.objectContaining({
        paymentOrderId: 'po_1',
        pspId: 'acme',
        pspReference: 'ch_late',
        amountMinor: 14_000n,
        currency: 'KRW',
        reason: 'order_ended',
      }),
    ]);
    expect(published.map((envelope) => envelope.type)).toEqual([
      'keel.payment_order.orphan_charge_detected.v1',
    ]);
  });

  it('ignores anything but a success, and the very charge the order succeeded with', async () => {
    const { service, inserted } = serviceWithFakes();
    const declined = { kind: 'declined', code: 'do_not_honor', message: 'No' } as const;
    const same = success('ch_1');
    const succeeded = order('succeeded', { pspReference: 'ch_1' });

    expect(await service.detectLateSuccess(MANAGER, order('failed'), 'acme', declined, 'charge')).toBe(false);
    expect(await service.detectLateSuccess(MANAGER, succeeded, 'acme', same, 'inquiry')).toBe(false);
    expect(await service.detectLateSuccess(MANAGER, order('executing'), 'acme', same, 'charge')).toBe(false);
    expect(inserted).toHaveLength(0);
  });
});

describe('OrphanChargeService.refuse (a success for another amount failed its order)', () => {
  it('records the charge for what the PSP captured, as an amount mismatch, and counts it', async () => {
    const { service, inserted, published, registry } = serviceWithFakes();
    const failed = order('failed', { resultCode: 'amount_mismatch', pspReference: 'ch_1' });
    const captured = { amountMinor: 9_000n, currency: 'USD' };

    const refused = {
      reason: 'amount_mismatch',
      pspReference: 'ch_1',
      captured,
      reportedBy: 'webhook',
    } as const;
    expect(await service.refuse(MANAGER, failed, refused)).toBe(true);

    expect(inserted).toEqual([
      {
        pspId: 'acme',
        paymentOrderId: 'po_1',
        paymentId: 'pay_1',
        pspReference: 'ch_1',
        amountMinor: 9_000n,
        currency: 'USD',
        reason: 'amount_mismatch',
      },
    ]);
    expect(published.map((envelope) => envelope.type)).toEqual([
      'keel.payment_order.orphan_charge_detected.v1',
    ]);
    const metric = await registry.getSingleMetric('keel_executor_amount_mismatches_total')?.get();
    expect(metric?.values).toEqual([{ labels: { psp: 'acme', source: 'webhook' }, value: 1 }]);
  });
});
