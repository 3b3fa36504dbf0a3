import type { Charge, Refund } from './charge';
import type { AuthorizeResult, ChargeRequest, ChargeStore, RefundResult, SubmitResult } from './charge-store';
import type { PspId } from './psp';
import type { CancelTask, Scheduler } from './scheduler';

/** A change a PSP tells the merchant about by webhook. */
export type SimulatorEvent =
  | { readonly kind: 'approved' | 'declined'; readonly charge: Charge }
  | { readonly kind: 'refunded'; readonly charge: Charge; readonly refund: Refund };

export interface SimulatorOptions {
  readonly store: ChargeStore;
  readonly scheduler: Scheduler;
  /** How long the issuer takes to answer a pending charge. */
  readonly pendingDelayMs: number;
  readonly onEvent: (event: SimulatorEvent) => void;
}

/**
 * The PSPs' shared core: charges go through the store, pending ones are resolved after the
 * issuer's delay, and every final outcome and refund becomes an event, whichever way it happened.
 */
export class Simulator {
  private readonly pendingTimers = new Map<string, CancelTask>();

  constructor(private readonly options: SimulatorOptions) {}

  get store(): ChargeStore {
    return this.options.store;
  }

  submit(request: ChargeRequest): SubmitResult {
    const result = this.options.store.submit(request, this.options.scheduler.nowMs());
    if (result.kind === 'created') this.afterDecision(result.charge);
    return result;
  }

  authorize(psp: PspId, chargeId: string): AuthorizeResult | undefined {
    const result = this.options.store.authorize(psp, chargeId, this.options.scheduler.nowMs());
    if (result?.kind === 'authorized') this.afterDecision(result.charge);
    return result;
  }

  refund(psp: PspId, chargeId: string, amountMinor: bigint | undefined): RefundResult {
    const result = this.options.store.refund(psp, chargeId, amountMinor, this.options.scheduler.nowMs());
    if (result.kind === 'refunded') {
      this.options.onEvent({ kind: 'refunded', charge: result.charge, refund: result.refund });
    }
    return result;
  }

  /** Pending charges whose issuer has not answered yet. */
  get pendingCount(): number {
    return this.pendingTimers.size;
  }

  /** Forgets every charge; pending ones are never resolved. */
  reset(): void {
    this.stop();
    this.options.store.clear();
  }

  stop(): void {
    for (const cancel of this.pendingTimers.values()) cancel();
    this.pendingTimers.clear();
  }

  private afterDecision(charge: Charge): void {
    switch (charge.status) {
      case 'pending':
        this.schedulePendingResolution(charge);
        return;
      case 'approved':
      case 'declined':
        this.options.onEvent({ kind: charge.status, charge });
        return;
      case 'ready':
      case 'cancelled':
        return;
    }
  }

  private schedulePendingResolution(charge: Charge): void {
    const timerKey = `${charge.psp}:${charge.id}`;
    const cancel = this.options.scheduler.schedule(this.options.pendingDelayMs, () => {
      this.pendingTimers.delete(timerKey);
      const resolved = this.options.store.resolvePending(
        charge.psp,
        charge.id,
        this.options.scheduler.nowMs(),
      );
      if (resolved !== undefined) this.afterDecision(resolved);
    });
    this.pendingTimers.set(timerKey, cancel);
  }
}
