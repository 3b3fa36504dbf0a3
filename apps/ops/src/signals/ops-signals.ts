import {
  SignalWindows,
  type AttemptSignal,
  type BreakerReading,
  type WindowSettings,
} from '@keel/ops-domain';

/**
 * What ops knows of the PSPs, in memory: every attempt in sliding windows per scope, and each PSP
 * breaker's latest state. The consumer writes it; the detection loop and the restore stages read it.
 * After a restart it fills again from the events that follow (the windows are minutes long).
 */
export class OpsSignals {
  readonly windows: SignalWindows;
  /** By PSP, then by the method a breaker guards (`*` for the whole PSP). */
  readonly #breakers = new Map<string, Map<string, BreakerReading['state']>>();

  constructor(settings: WindowSettings) {
    this.windows = new SignalWindows(settings);
  }

  addAttempts(signals: readonly AttemptSignal[]): void {
    for (const signal of signals) this.windows.add(signal);
  }

  setBreaker(pspId: string, methodType: string | undefined, state: BreakerReading['state']): void {
    const states = this.#breakers.get(pspId) ?? new Map<string, BreakerReading['state']>();
    states.set(methodType ?? '*', state);
    this.#breakers.set(pspId, states);
  }

  /** Each PSP's breakers as one reading: open when any of them is (a method of it is cut off). */
  breakers(): BreakerReading[] {
    return [...this.#breakers].map(([pspId, states]) => {
      const all = [...states.values()];
      const state = all.includes('open') ? 'open' : all.includes('half_open') ? 'half_open' : 'closed';
      return { pspId, state };
    });
  }
}

export const OPS_SIGNALS = Symbol('keel.ops.signals');
