import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { PaymentMethodType } from '@keel/contracts';
import { countsAsBreakerFailure, type ChargeResult } from '@keel/executor-domain';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { EXECUTOR_SETTINGS, type ExecutorSettings } from '../executor.settings';
import type { TimedResult } from './psp-call.util';
import { ALL_METHODS_LABEL, BreakerMetrics } from './breaker.metrics';
import { PspBreaker, type Guarded } from './psp-breaker';
import { PspHealthEventsService } from './psp-health-events.service';

type ChargeCall = TimedResult<ChargeResult>;

/**
 * One breaker per PSP and one per PSP + payment method (a PSP can fail one method alone). A charge
 * goes through both; it is made only if both admit it, checked synchronously just before, so a
 * call is never counted by one breaker while the other turned it away.
 */
@Injectable()
export class PspBreakerRegistry implements OnModuleDestroy {
  private readonly breakers = new Map<string, PspBreaker<ChargeCall>>();
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(EXECUTOR_SETTINGS) private readonly settings: ExecutorSettings,
    private readonly metrics: BreakerMetrics,
    private readonly events: PspHealthEventsService,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** Called after every transition of any breaker (routing re-evaluates method availability). */
  onTransition(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Why the PSP cannot take a charge for the method now, or undefined when it can. */
  unavailableReason(pspId: string, methodType: PaymentMethodType): string | undefined {
    if (!this.breakerOf(pspId).admits()) return 'breaker_open';
    if (!this.breakerOf(pspId, methodType).admits()) return `${methodType}_breaker_open`;
    return undefined;
  }

  async charge(
    pspId: string,
    methodType: PaymentMethodType,
    call: () => Promise<ChargeCall>,
  ): Promise<Guarded<ChargeCall>> {
    const pspBreaker = this.breakerOf(pspId);
    const methodBreaker = this.breakerOf(pspId, methodType);
    if (!pspBreaker.admits() || !methodBreaker.admits()) return { admitted: false };
    const guarded = await pspBreaker.run(async () => {
      const inner = await methodBreaker.run(call);
      // Unreachable after the check above (both run synchronously up to the call); kept total.
      return inner.admitted
        ? inner.value
        : { result: { kind: 'unavailable', message: 'breaker open' }, durationMs: 0 };
    });
    return guarded;
  }

  /** Retry-After for a method whose PSPs are all out: when the first breaker will half-open. */
  get resetTimeoutMs(): number {
    return this.settings.breaker.resetTimeoutMs;
  }

  onModuleDestroy(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }

  private breakerOf(pspId: string, methodType?: PaymentMethodType): PspBreaker<ChargeCall> {
    const key = methodType === undefined ? pspId : `${pspId}:${methodType}`;
    const existing = this.breakers.get(key);
    if (existing !== undefined) return existing;
    const method = methodType ?? ALL_METHODS_LABEL;
    this.metrics.created(pspId, method);
    const breaker = new PspBreaker<ChargeCall>(
      key,
      this.settings.breaker,
      (call) => countsAsBreakerFailure(call.result),
      (previous, state) => {
        this.metrics.transition(pspId, method, previous, state);
        this.logger.warn({ pspId, method, previous, state }, 'PSP circuit breaker changed state');
        const changedAt = new Date().toISOString();
        this.events.breakerStateChanged(
          methodType === undefined
            ? { pspId, previousState: previous, state, changedAt }
            : { pspId, paymentMethodType: methodType, previousState: previous, state, changedAt },
        );
        for (const listener of this.listeners) listener();
      },
    );
    this.breakers.set(key, breaker);
    return breaker;
  }
}
