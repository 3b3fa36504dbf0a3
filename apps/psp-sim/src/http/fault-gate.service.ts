import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  FaultEngine,
  SimulatorError,
  SimulatorErrorCode,
  type FaultTarget,
  type Scheduler,
} from '@keel/psp-sim-domain';
import { PSP_SIM_ENVIRONMENT, PSP_SIM_SCHEDULER } from '../psp-sim.constants';
import type { PspSimEnvironment } from '../psp-sim.environment';
import { PspSimMetrics } from '../psp-sim.metrics';
import { isFileReply, UNAVAILABLE_WIRE, writeFileReply, writeWire, type Reply } from './wire-response';

/**
 * Runs each PSP request through the faults that target it: waits the latency, then answers 503,
 * hangs, or processes it (and maybe hangs after). A hung request gets no answer for
 * PSP_SIM_HANG_MS and then loses its connection, as behind a dead load balancer.
 */
@Injectable()
export class FaultGate implements BeforeApplicationShutdown {
  private readonly held = new Set<ServerResponse>();
  private readonly shutdown = new AbortController();

  constructor(
    private readonly faults: FaultEngine,
    private readonly metrics: PspSimMetrics,
    @Inject(PSP_SIM_SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(PSP_SIM_ENVIRONMENT) private readonly environment: PspSimEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  async handle(target: FaultTarget, response: ServerResponse, process: () => Reply): Promise<void> {
    const plan = this.faults.plan(target, this.scheduler.nowMs());
    this.metrics.faultAction(target.psp, plan.action);
    if (plan.action === 'refuse') {
      response.destroy();
      return;
    }
    if (plan.latencyMs > 0 && !(await this.delay(plan.latencyMs))) {
      response.destroy();
      return;
    }
    switch (plan.action) {
      case 'unavailable':
        writeWire(response, UNAVAILABLE_WIRE);
        return;
      case 'hang':
        this.hold(response);
        return;
      case 'proceed':
        await this.write(response, this.processSafely(process));
        return;
      case 'proceed_then_hang':
        this.processSafely(process);
        this.hold(response);
        return;
    }
  }

  beforeApplicationShutdown(): void {
    this.shutdown.abort();
    for (const response of this.held) response.destroy();
    this.held.clear();
  }

  /** False when the simulator shuts down during the delay. */
  private async delay(delayMs: number): Promise<boolean> {
    try {
      await sleep(delayMs, undefined, { signal: this.shutdown.signal });
      return true;
    } catch {
      return false;
    }
  }

  private async write(response: ServerResponse, reply: Reply): Promise<void> {
    if (!isFileReply(reply)) {
      writeWire(response, reply);
      return;
    }
    try {
      await writeFileReply(response, reply, this.environment.PSP_SIM_SETTLEMENT_CHUNK_BYTES);
    } catch (error) {
      // The client went away, or a line could not be made: the connection is cut either way.
      this.logger.warn({ err: error, fileName: reply.fileName }, 'file not sent in full');
    }
  }

  private processSafely(process: () => Reply): Reply {
    try {
      return process();
    } catch (error) {
      if (error instanceof SimulatorError && error.code === SimulatorErrorCode.CapacityExceeded) {
        this.logger.error({ err: error }, 'charge refused: the simulator is full');
        return UNAVAILABLE_WIRE;
      }
      throw error;
    }
  }

  private hold(response: ServerResponse): void {
    // The client may have given up during the latency; there is nothing left to hold then.
    if (response.destroyed) return;
    const timer = setTimeout(() => response.destroy(), this.environment.PSP_SIM_HANG_MS);
    this.held.add(response);
    response.once('close', () => {
      clearTimeout(timer);
      this.held.delete(response);
    });
  }
}
