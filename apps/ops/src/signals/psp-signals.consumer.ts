import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  PSP_EVENT_TYPES,
  type EventEnvelope,
  type PspAttemptRecordedPayload,
  type PspBreakerStateChangedPayload,
} from '@keel/contracts';
import type { InboxContext } from '@keel/messaging';
import type { AttemptSignal } from '@keel/ops-domain';
import { OPS_SIGNALS, type OpsSignals } from './ops-signals';

function signalOf({ data }: EventEnvelope<PspAttemptRecordedPayload>): AttemptSignal {
  return {
    atMs: Date.parse(data.attemptedAt),
    pspId: data.pspId,
    methodType: data.methodType,
    provider: data.provider,
    outcome: data.outcome,
    latencyMs: data.latencyMs,
    ...(data.errorMessage === undefined ? {} : { errorMessage: data.errorMessage }),
  };
}

/**
 * ops' Kafka handlers on keel.psp.v1, a chunk at a time: PSP attempts into the signal windows and
 * breaker changes into the breaker states (other types on the topic are skipped by their header).
 * The windows are memory, so they take a chunk only once its inbox transaction committed: a chunk
 * applied again after a rollback is not counted twice.
 */
@Controller()
export class PspSignalsConsumer {
  constructor(@Inject(OPS_SIGNALS) private readonly signals: OpsSignals) {}

  @EventPattern(PSP_EVENT_TYPES.attemptRecorded)
  onAttempts(
    @Payload() events: readonly EventEnvelope<PspAttemptRecordedPayload>[],
    @Ctx() context: InboxContext,
  ): void {
    const signals = events.map(signalOf);
    context.getTransaction().afterCommit(() => this.signals.addAttempts(signals));
  }

  @EventPattern(PSP_EVENT_TYPES.breakerStateChanged)
  onBreakerChanges(
    @Payload() events: readonly EventEnvelope<PspBreakerStateChangedPayload>[],
    @Ctx() context: InboxContext,
  ): void {
    context.getTransaction().afterCommit(() => {
      for (const { data } of events) this.signals.setBreaker(data.pspId, data.paymentMethodType, data.state);
    });
  }
}
