import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  buildEnvelope,
  METHOD_AVAILABILITY_EVENT_TYPES,
  PSP_EVENT_TYPES,
  type MethodAvailabilityChangedPayload,
  type PspBreakerStateChangedPayload,
} from '@keel/contracts';
import { OutboxPublisher } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';

const SOURCE = '/keel/executor';

/**
 * Publishes breaker transitions and method availability through the outbox. They happen outside
 * any transaction (inside a breaker's event), so each gets its own; they are chained one after the
 * other so that consumers see a PSP's transitions in the order they happened.
 */
@Injectable()
export class PspHealthEventsService implements OnModuleDestroy {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxPublisher,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  breakerStateChanged(data: PspBreakerStateChangedPayload): void {
    this.enqueue(() => buildEnvelope({ type: PSP_EVENT_TYPES.breakerStateChanged, source: SOURCE, data }));
  }

  methodAvailabilityChanged(data: MethodAvailabilityChangedPayload): void {
    this.enqueue(() =>
      buildEnvelope({ type: METHOD_AVAILABILITY_EVENT_TYPES.changed, source: SOURCE, data }),
    );
  }

  /** Waits for what is queued, so that a stopping service does not lose the last transitions. */
  async onModuleDestroy(): Promise<void> {
    await this.queue;
  }

  private enqueue(envelopeOf: () => ReturnType<typeof buildEnvelope>): void {
    this.queue = this.queue.then(async () => {
      try {
        await this.dataSource.transaction((manager) => this.outbox.publish(manager, [envelopeOf()]));
      } catch (error) {
        // The state itself lives in memory and in the metrics; a lost event is logged, not retried.
        this.logger.error({ err: error }, 'could not publish a PSP health event');
      }
    });
  }
}
