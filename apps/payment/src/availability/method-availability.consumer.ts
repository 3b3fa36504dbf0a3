import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  METHOD_AVAILABILITY_EVENT_TYPES,
  type EventEnvelope,
  type MethodAvailabilityChangedPayload,
} from '@keel/contracts';
import { InboxContext } from '@keel/messaging';
import { newestPerMethod, type MethodReport } from '@keel/payment-domain';
import { MethodAvailabilityRepository } from './method-availability.repository';
import { MethodAvailabilityService } from './method-availability.service';

function reportOf({ data }: EventEnvelope<MethodAvailabilityChangedPayload>): MethodReport {
  return {
    methodType: data.paymentMethodType,
    available: data.available,
    retryAfterSeconds: data.retryAfterSeconds,
    changedAtMs: Date.parse(data.changedAt),
  };
}

/**
 * Keeps method_availability in step with the executor's reports (keel.psp.v1): one upsert per run
 * of reports, and this process's intake learns what was written as soon as it has committed.
 */
@ApiExcludeController()
@Controller()
export class MethodAvailabilityConsumer {
  constructor(
    private readonly repository: MethodAvailabilityRepository,
    private readonly availability: MethodAvailabilityService,
  ) {}

  @EventPattern(METHOD_AVAILABILITY_EVENT_TYPES.changed)
  async onChanged(
    @Payload() events: readonly EventEnvelope<MethodAvailabilityChangedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const transaction = context.getTransaction();
    const written = await this.repository.recordNewest(
      transaction.manager,
      newestPerMethod(events.map(reportOf)),
    );
    if (written.length > 0) transaction.afterCommit(() => this.availability.apply(written));
  }
}
