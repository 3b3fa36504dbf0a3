import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ApiExcludeController } from '@nestjs/swagger';
import { OPS_EVENT_TYPES, type EventEnvelope, type OpsMethodStatusChangedPayload } from '@keel/contracts';
import { InboxContext } from '@keel/messaging';
import { newestPerProvider } from '@keel/payment-domain';
import { MethodStatusRepository, type MethodStatusChange } from './method-status.repository';
import { MethodStatusService } from './method-status.service';

function changeOf({ data }: EventEnvelope<OpsMethodStatusChangedPayload>): MethodStatusChange {
  return {
    methodType: data.methodType,
    provider: data.provider,
    enabled: data.enabled,
    ...(data.enabled && data.admittedPercent !== undefined ? { admittedPercent: data.admittedPercent } : {}),
    // A notice is for the payments refused: one sent with a method fully on is not shown.
    notice: data.enabled && data.admittedPercent === undefined ? undefined : data.notice,
    changedBy: data.changedBy,
    changedAtMs: Date.parse(data.changedAt),
  };
}

/**
 * Keeps method_status in step with ops' switches (keel.ops.v1): one upsert per chunk, and this
 * process's listing and intake learn what was written as soon as it has committed.
 */
@ApiExcludeController()
@Controller()
export class MethodStatusConsumer {
  constructor(
    private readonly repository: MethodStatusRepository,
    private readonly statuses: MethodStatusService,
  ) {}

  @EventPattern(OPS_EVENT_TYPES.methodStatusChanged)
  async onChanged(
    @Payload() events: readonly EventEnvelope<OpsMethodStatusChangedPayload>[],
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const transaction = context.getTransaction();
    const changes = newestPerProvider(events.map(changeOf));
    const written = await this.repository.recordNewest(transaction.manager, changes);
    if (written.length > 0) transaction.afterCommit(() => this.statuses.apply(written));
  }
}
