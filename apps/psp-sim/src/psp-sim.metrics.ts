import { Inject, Injectable } from '@nestjs/common';
import { Registry, getOrCreateCounter, getOrCreateGauge } from '@keel/observability';
import type { Counter } from 'prom-client';
import type { FaultAction, PspId, SimulatorEvent, WebhookResult } from '@keel/psp-sim-domain';

/** The simulator's own series, beside the request durations ObservabilityModule records. */
@Injectable()
export class PspSimMetrics {
  private readonly faultActions: Counter<'psp' | 'action'>;
  private readonly chargeEvents: Counter<'psp' | 'event'>;
  private readonly webhookResults: Counter<'psp' | 'result'>;

  constructor(@Inject(Registry) private readonly registry: Registry) {
    this.faultActions = getOrCreateCounter(registry, {
      name: 'psp_sim_requests_total',
      help: 'PSP requests by what the fault engine did with them (proceed when no fault struck)',
      labelNames: ['psp', 'action'],
    });
    this.chargeEvents = getOrCreateCounter(registry, {
      name: 'psp_sim_charge_events_total',
      help: 'Charge outcomes and refunds: approved, declined, refunded',
      labelNames: ['psp', 'event'],
    });
    this.webhookResults = getOrCreateCounter(registry, {
      name: 'psp_sim_webhook_attempts_total',
      help: 'Webhook attempts by result: delivered, will_retry, gave_up, dropped',
      labelNames: ['psp', 'result'],
    });
  }

  /** Gauges read when scraped, so they never go stale. */
  observeLevels(levels: { charges: () => number; pending: () => number; webhooks: () => number }): void {
    const gauges = [
      ['psp_sim_charges_held', 'Charges the simulator holds', levels.charges],
      ['psp_sim_pending_charges', 'Pending charges waiting for their issuer', levels.pending],
      ['psp_sim_webhooks_in_progress', 'Webhook deliveries sending or waiting to retry', levels.webhooks],
    ] as const;
    for (const [name, help, read] of gauges) {
      getOrCreateGauge(this.registry, {
        name,
        help,
        collect() {
          this.set(read());
        },
      });
    }
  }

  faultAction(psp: PspId, action: FaultAction): void {
    this.faultActions.inc({ psp, action });
  }

  chargeEvent(psp: PspId, event: SimulatorEvent['kind']): void {
    this.chargeEvents.inc({ psp, event });
  }

  webhookResult(psp: PspId, result: WebhookResult): void {
    this.webhookResults.inc({ psp, result });
  }
}
