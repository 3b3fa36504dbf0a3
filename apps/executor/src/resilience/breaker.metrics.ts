import { Injectable } from '@nestjs/common';
import type { BreakerState } from '@keel/contracts';
import { BREAKER_STATE_GAUGE_VALUES } from '@keel/executor-domain';
import { getOrCreateCounter, getOrCreateGauge, Registry } from '@keel/observability';
import type { Counter, Gauge } from 'prom-client';

/** Label `method` of a breaker that guards a whole PSP. */
export const ALL_METHODS_LABEL = '*';

/** Breaker state (0 closed, 1 half-open, 2 open) and transitions, per PSP and per PSP + method. */
@Injectable()
export class BreakerMetrics {
  private readonly state: Gauge<'psp' | 'method'>;
  private readonly transitions: Counter<'psp' | 'method' | 'from' | 'to'>;

  constructor(registry: Registry) {
    this.state = getOrCreateGauge(registry, {
      name: 'keel_psp_breaker_state',
      help: 'Circuit breaker state per PSP (method "*") and per PSP and method: 0 closed, 1 half-open, 2 open.',
      labelNames: ['psp', 'method'],
    });
    this.transitions = getOrCreateCounter(registry, {
      name: 'keel_psp_breaker_transitions_total',
      help: 'Circuit breaker state changes.',
      labelNames: ['psp', 'method', 'from', 'to'],
    });
  }

  created(psp: string, method: string): void {
    this.state.set({ psp, method }, BREAKER_STATE_GAUGE_VALUES.closed);
  }

  transition(psp: string, method: string, from: BreakerState, to: BreakerState): void {
    this.state.set({ psp, method }, BREAKER_STATE_GAUGE_VALUES[to]);
    this.transitions.inc({ psp, method, from, to });
  }
}
