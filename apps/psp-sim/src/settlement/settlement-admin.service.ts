import { Inject, Injectable } from '@nestjs/common';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  SettlementFaults,
  Settlements,
  SimulatorError,
  SimulatorErrorCode,
  type CalendarDate,
  type PspId,
  type Scheduler,
  type SettlementFault,
  type SettlementFaultSpec,
} from '@keel/psp-sim-domain';
import { PSP_SIM_SCHEDULER } from '../psp-sim.constants';
import { AdminError, AdminErrorCode } from '../psp-sim.errors';
import { SettlementFolder } from './settlement-folder.service';

/** Settlement faults and on-demand files for tests, demos and drills. */
@Injectable()
export class SettlementAdminService {
  constructor(
    private readonly settlements: Settlements,
    private readonly faults: SettlementFaults,
    private readonly folder: SettlementFolder,
    @Inject(PSP_SIM_SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  listFaults(): SettlementFault[] {
    return this.faults.list();
  }

  addFault(spec: SettlementFaultSpec): SettlementFault {
    const fault = this.addToSettlements(spec);
    this.logger.info(settlementFaultLogFields(fault), 'settlement fault added');
    return fault;
  }

  removeFault(id: string): void {
    if (!this.faults.remove(id)) {
      throw new AdminError(AdminErrorCode.SettlementFaultNotFound, `No settlement fault ${id}.`);
    }
    this.logger.info({ settlementFaultId: id }, 'settlement fault removed');
  }

  clearFaults(): void {
    this.faults.clear();
    this.logger.info('every settlement fault removed');
  }

  async writeFile(psp: PspId, date: CalendarDate): Promise<string> {
    if (this.folder.directory === undefined) {
      throw new AdminError(
        AdminErrorCode.SettlementDirUnset,
        'Set PSP_SIM_SETTLEMENT_DIR to write settlement files.',
      );
    }
    const path = await this.folder.write(psp, date);
    if (path === undefined) {
      const today = this.settlements.today(psp, this.scheduler.nowMs());
      throw new AdminError(
        AdminErrorCode.SettlementDateInFuture,
        `${psp}'s settlement date is ${today}: ${date} has not begun.`,
      );
    }
    return path;
  }

  private addToSettlements(spec: SettlementFaultSpec): SettlementFault {
    try {
      return this.settlements.addFault(spec, this.scheduler.nowMs());
    } catch (error) {
      if (!(error instanceof SimulatorError)) throw error;
      switch (error.code) {
        case SimulatorErrorCode.InvalidSettlementFault:
          throw new AdminError(AdminErrorCode.InvalidSettlementFault, error.message);
        case SimulatorErrorCode.TooManySettlementFaults:
          throw new AdminError(AdminErrorCode.TooManySettlementFaults, error.message);
        case SimulatorErrorCode.MerchantReferenceTaken:
          throw new AdminError(AdminErrorCode.MerchantReferenceTaken, error.message);
        case SimulatorErrorCode.CapacityExceeded:
          throw new AdminError(AdminErrorCode.SimulatorFull, error.message);
        // Request faults' errors: never raised by settlement faults.
        case SimulatorErrorCode.InvalidFault:
        case SimulatorErrorCode.TooManyFaults:
          throw error;
      }
    }
  }
}

/** Times as ISO strings: the log scrubber would take a 13-digit epoch for a card number and mask it. */
function settlementFaultLogFields(fault: SettlementFault): Record<string, unknown> {
  const { id, createdAtMs: _createdAtMs, occurredAtMs, ...spec } = fault;
  return {
    settlementFaultId: id,
    ...spec,
    ...(occurredAtMs === undefined ? {} : { occurredAt: new Date(occurredAtMs).toISOString() }),
  };
}
