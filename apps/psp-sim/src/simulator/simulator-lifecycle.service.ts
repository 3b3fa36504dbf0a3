import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { Simulator } from '@keel/psp-sim-domain';
import { PspSimMetrics } from '../psp-sim.metrics';
import { WebhookService } from '../webhooks/webhook.service';

/** Starts the simulator's gauges and stops its pending-charge timers on shutdown. */
@Injectable()
export class SimulatorLifecycle implements OnModuleInit, BeforeApplicationShutdown {
  constructor(
    private readonly simulator: Simulator,
    private readonly webhooks: WebhookService,
    private readonly metrics: PspSimMetrics,
  ) {}

  onModuleInit(): void {
    this.metrics.observeLevels({
      charges: () => this.simulator.store.size,
      pending: () => this.simulator.pendingCount,
      webhooks: () => this.webhooks.inProgress,
    });
  }

  beforeApplicationShutdown(): void {
    this.simulator.stop();
  }
}
