import CircuitBreaker from 'opossum';
import type { BreakerState } from '@keel/contracts';
import type { BreakerSettings } from '../executor.settings';

export type BreakerTransitionListener = (previous: BreakerState, next: BreakerState) => void;

/** What a guarded call came back with, or that the breaker did not let it through. */
export type Guarded<R> = { readonly admitted: true; readonly value: R } | { readonly admitted: false };

/** Carries a result that counts as a failure through opossum, which only counts rejections. */
class CountedFailure<R> extends Error {
  constructor(readonly value: R) {
    super('PSP call failed');
  }
}

function isOpenRejection(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EOPENBREAKER';
}

/**
 * One opossum circuit breaker with the rules opossum does not give by itself:
 * - results are values: the caller says which count as failures (`isFailure`), and only those are
 *   thrown into opossum. A decline is returned as a success by construction, never through
 *   `errorFilter` (a filtered error counts as a SUCCESS, so a decline during half-open would close
 *   the breaker on no evidence of health);
 * - no opossum `timeout` and no `abortController`: each PSP call has its own AbortSignal.timeout,
 *   because opossum's one controller aborts every call in flight on the first timeout;
 * - half-open admits at most `halfOpenTrialsMax` trial calls at once (opossum itself admits one
 *   until it settles); the others are rejected as open;
 * - the transition listener is registered in the constructor, before anyone else can listen, so
 *   no transition goes uncounted.
 */
export class PspBreaker<R> {
  private readonly breaker: CircuitBreaker<[() => Promise<R>], R>;
  private state: BreakerState = 'closed';
  private trialsInFlight = 0;

  constructor(
    readonly name: string,
    private readonly settings: BreakerSettings,
    private readonly isFailure: (result: R) => boolean,
    onTransition: BreakerTransitionListener,
  ) {
    this.breaker = new CircuitBreaker(async (call: () => Promise<R>) => this.counted(await call()), {
      name,
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercent,
      volumeThreshold: settings.volumeThreshold,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: settings.rollingBuckets,
      resetTimeout: settings.resetTimeoutMs,
    });
    const moveTo = (next: BreakerState) => (): void => {
      const previous = this.state;
      if (previous === next) return;
      this.state = next;
      onTransition(previous, next);
    };
    this.breaker.on('open', moveTo('open'));
    this.breaker.on('halfOpen', moveTo('half_open'));
    this.breaker.on('close', moveTo('closed'));
  }

  get currentState(): BreakerState {
    return this.state;
  }

  /** Whether a call made now would be let through. Synchronous, so check-then-run cannot race. */
  admits(): boolean {
    if (this.breaker.closed) return true;
    return (
      this.breaker.halfOpen &&
      this.breaker.pendingClose &&
      this.trialsInFlight < this.settings.halfOpenTrialsMax
    );
  }

  /** Runs the call through the breaker; `call` must not throw (results are values). */
  async run(call: () => Promise<R>): Promise<Guarded<R>> {
    if (!this.admits()) return { admitted: false };
    const trial = this.breaker.halfOpen;
    if (trial) this.trialsInFlight += 1;
    try {
      return { admitted: true, value: await this.breaker.fire(call) };
    } catch (error) {
      if (error instanceof CountedFailure)
        return { admitted: true, value: (error as CountedFailure<R>).value };
      // Only if opossum's state moved between admits() and fire(); the call was not made.
      if (isOpenRejection(error)) return { admitted: false };
      throw error;
    } finally {
      if (trial) this.trialsInFlight -= 1;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }

  private counted(result: R): R {
    if (this.isFailure(result)) throw new CountedFailure(result);
    return result;
  }
}
