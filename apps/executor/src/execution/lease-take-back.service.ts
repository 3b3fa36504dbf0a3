import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import { PaymentOrderRepository } from '../payment-order/payment-order.repository';

/**
 * At start, ends the leases this instance (KEEL_INSTANCE_ID) still holds from a run that was
 * killed, so the resolver takes those orders over at its first poll rather than EXECUTOR_LEASE_MS
 * later. It runs at module init, before the worker, the resolver and the consumer start (at
 * application bootstrap and after it), so no lease this process takes can be among them.
 *
 * Safe because an instance id belongs to one live instance at a time (two live instances under one
 * id would also fence each other out of their consumer group under static membership, see
 * docs/operations/consumer-group-recovery.md): a lease held under this id belongs to a run of this
 * instance that is gone, and nobody finishes its call. The resolver resolves each order by inquiry
 * under the order id, the PSP's idempotency key, so a charge that reached the PSP is found and
 * never repeated (the attempt row was committed before the call).
 */
@Injectable()
export class LeaseTakeBackService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly orders: PaymentOrderRepository,
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { holder, durationMs } = this.settings.lease;
    if (holder === undefined) {
      this.logger.info(
        { leaseMs: durationMs },
        'KEEL_INSTANCE_ID is not set: orders a previous run left executing wait for their lease to expire',
      );
      return;
    }
    const taken = await this.orders.expireLeasesHeldBy(this.dataSource.manager, holder);
    this.logger.info(
      { instanceId: holder, leases: taken },
      'leases of the previous run of this instance taken back; the resolver asks the PSP about each',
    );
  }
}
