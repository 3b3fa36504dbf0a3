import { Injectable } from '@nestjs/common';
import { getOrCreateCounter, getOrCreateGauge, getOrCreateHistogram, Registry } from '@keel/observability';
import type { Counter, Gauge, Histogram } from 'prom-client';

export type PspOperation = 'charge' | 'inquiry';

/** The executor's own signals: what each PSP answered and how fast. Detection reads these. */
@Injectable()
export class ExecutorMetrics {
  private readonly calls: Counter<'psp' | 'method' | 'operation' | 'result'>;
  private readonly durations: Histogram<'psp' | 'operation'>;
  private readonly outcomes: Counter<'psp' | 'status'>;
  private readonly unknownOverdue: Counter<'psp'>;
  private readonly unknownOrders: Gauge<'psp'>;

  constructor(registry: Registry) {
    this.calls = getOrCreateCounter(registry, {
      name: 'keel_executor_psp_calls_total',
      help: 'PSP calls by PSP, payment method type, operation and result kind.',
      labelNames: ['psp', 'method', 'operation', 'result'],
    });
    this.durations = getOrCreateHistogram(registry, {
      name: 'keel_executor_psp_call_duration_seconds',
      help: 'Duration of PSP calls.',
      labelNames: ['psp', 'operation'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    this.outcomes = getOrCreateCounter(registry, {
      name: 'keel_executor_payment_orders_completed_total',
      help: 'Payment orders that reached a terminal status.',
      labelNames: ['psp', 'status'],
    });
    this.unknownOverdue = getOrCreateCounter(registry, {
      name: 'keel_executor_unknown_overdue_total',
      help: 'Payment orders whose outcome stayed unknown past EXECUTOR_UNKNOWN_DEADLINE_MS (each counted once).',
      labelNames: ['psp'],
    });
    this.unknownOrders = getOrCreateGauge(registry, {
      name: 'keel_executor_unknown_orders',
      help: 'Payment orders currently in unknown, being resolved by inquiry.',
      labelNames: ['psp'],
    });
  }

  recordCall(psp: string, method: string, operation: PspOperation, result: string, durationMs: number): void {
    this.calls.inc({ psp, method, operation, result });
    this.durations.observe({ psp, operation }, durationMs / 1_000);
  }

  recordCompletion(psp: string | undefined, status: string): void {
    this.outcomes.inc({ psp: psp ?? 'none', status });
  }

  recordUnknownOverdue(psp: string): void {
    this.unknownOverdue.inc({ psp });
  }

  /** Every PSP in `psps` gets a value, 0 when absent from `counts`, so a cleared PSP reads 0. */
  setUnknownOrders(psps: readonly string[], counts: ReadonlyMap<string, number>): void {
    for (const psp of psps) this.unknownOrders.set({ psp }, counts.get(psp) ?? 0);
  }
}
