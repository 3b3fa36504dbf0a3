import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fold } from '@keel/payment-domain';
import { PaymentEventRepository } from './payment-event.repository';
import { PaymentProjectionRepository } from './payment-projection.repository';

/** Payments folded and written per round trip; bounds memory and statement size. */
export const REBUILD_BATCH_SIZE = 200;

/**
 * Rebuilds every projection from the event store: empties payments, payment_orders and
 * payment_status_history and writes each payment's folded state again, in one transaction, so
 * readers never see a half-built set (they wait for the rebuild to commit). The same write path
 * as the live service is used, so a rebuild equals what the live service wrote.
 */
@Injectable()
export class ProjectionRebuilder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: PaymentEventRepository,
    private readonly projections: PaymentProjectionRepository,
  ) {}

  /** Returns the number of payments rebuilt. */
  rebuild(batchSize = REBUILD_BATCH_SIZE): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // Writers wait for the rebuild instead of writing into tables that are being replaced.
      await manager.query('LOCK TABLE payment_events IN SHARE MODE');
      await this.projections.truncate(manager);
      let rebuilt = 0;
      let after = '';
      for (;;) {
        const paymentIds = await this.events.paymentIdsAfter(manager, after, batchSize);
        if (paymentIds.length === 0) return rebuilt;
        const eventsByPayment = await this.events.loadMany(manager, paymentIds);
        for (const paymentId of paymentIds) {
          const state = fold(eventsByPayment.get(paymentId) ?? []);
          if (state === undefined) throw new Error(`payment ${paymentId} has no events to rebuild from`);
          await this.projections.write(manager, state, state.orders, 0);
        }
        rebuilt += paymentIds.length;
        after = paymentIds[paymentIds.length - 1] ?? after;
      }
    });
  }
}
