import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { METHOD_AVAILABILITY_EVENT_TYPES, type MethodAvailabilityChangedPayload } from '@keel/contracts';
import { InboxContext } from '@keel/messaging';
import { MethodAvailabilityRepository } from './method-availability.repository';

/** Keeps method_availability in step with the executor's reports (keel.psp.v1). */
@ApiExcludeController()
@Controller()
export class MethodAvailabilityConsumer {
  constructor(private readonly repository: MethodAvailabilityRepository) {}

  @EventPattern(METHOD_AVAILABILITY_EVENT_TYPES.changed)
  async onChanged(
    @Payload() data: MethodAvailabilityChangedPayload,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.repository.record(context.getManager(), {
      methodType: data.paymentMethodType,
      available: data.available,
      ...(data.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: data.retryAfterSeconds }),
      changedAt: data.changedAt,
    });
  }
}
