import { Inject, Injectable } from '@nestjs/common';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  FaultEngine,
  SettlementFaults,
  Simulator,
  SimulatorError,
  SimulatorErrorCode,
  type Fault,
  type FaultSpec,
  type Scheduler,
} from '@keel/psp-sim-domain';
import { PspPortsService } from '../http/psp-ports.service';
import { PSP_SIM_SCHEDULER } from '../psp-sim.constants';
import { AdminError, AdminErrorCode } from '../psp-sim.errors';
import { WebhookService } from '../webhooks/webhook.service';
import { toChargeView, type ChargeView } from './charge-view';
import type { ChargesQueryDto } from './charges-query.dto';

/** Ground truth and fault control for tests, demos and drills. */
@Injectable()
export class AdminService {
  constructor(
    private readonly simulator: Simulator,
    private readonly faults: FaultEngine,
    private readonly settlementFaults: SettlementFaults,
    private readonly ports: PspPortsService,
    private readonly webhooks: WebhookService,
    @Inject(PSP_SIM_SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  listCharges(query: ChargesQueryDto): ChargeView[] {
    return this.simulator.store.list(query).flatMap((charge) => toChargeView(charge) ?? []);
  }

  listFaults(): Fault[] {
    return this.faults.active(this.scheduler.nowMs());
  }

  /** Resolves once the fault is in force, a closed port included. */
  async addFault(spec: FaultSpec): Promise<Fault> {
    const fault = this.addToEngine(spec);
    this.logger.info(faultLogFields(fault), 'fault added');
    await this.ports.reconcile();
    return fault;
  }

  async removeFault(id: string): Promise<void> {
    if (!this.faults.remove(id)) throw new AdminError(AdminErrorCode.FaultNotFound, `No active fault ${id}.`);
    this.logger.info({ faultId: id }, 'fault removed');
    await this.ports.reconcile();
  }

  async clearFaults(): Promise<void> {
    this.faults.clear();
    this.logger.info('every fault removed');
    await this.ports.reconcile();
  }

  /** Forgets charges, faults, settlement faults and undelivered webhooks (tests only). */
  async reset(): Promise<void> {
    this.simulator.reset();
    this.webhooks.clear();
    this.faults.clear();
    this.settlementFaults.clear();
    this.logger.info('simulator reset: charges, faults, settlement faults and webhooks forgotten');
    await this.ports.reconcile();
  }

  private addToEngine(spec: FaultSpec): Fault {
    try {
      return this.faults.add(spec, this.scheduler.nowMs());
    } catch (error) {
      if (!(error instanceof SimulatorError)) throw error;
      switch (error.code) {
        case SimulatorErrorCode.InvalidFault:
          throw new AdminError(AdminErrorCode.InvalidFault, error.message);
        case SimulatorErrorCode.TooManyFaults:
          throw new AdminError(AdminErrorCode.TooManyFaults, error.message);
        case SimulatorErrorCode.CapacityExceeded:
        case SimulatorErrorCode.InvalidSettlementFault:
        case SimulatorErrorCode.TooManySettlementFaults:
        case SimulatorErrorCode.MerchantReferenceTaken:
          throw error;
      }
    }
  }
}

/** Times as ISO strings: the log scrubber would take a 13-digit epoch for a card number and mask it. */
function faultLogFields(fault: Fault): Record<string, unknown> {
  const { id, createdAtMs: _createdAtMs, untilMs, ...spec } = fault;
  return {
    faultId: id,
    ...spec,
    ...(untilMs === undefined ? {} : { until: new Date(untilMs).toISOString() }),
  };
}
