import { DomainError } from '@keel/observability';

export enum AdminErrorCode {
  FaultNotFound = 'psp-sim-fault-not-found',
  InvalidFault = 'psp-sim-invalid-fault',
  TooManyFaults = 'psp-sim-too-many-faults',
  SettlementFaultNotFound = 'psp-sim-settlement-fault-not-found',
  InvalidSettlementFault = 'psp-sim-invalid-settlement-fault',
  TooManySettlementFaults = 'psp-sim-too-many-settlement-faults',
  MerchantReferenceTaken = 'psp-sim-merchant-reference-taken',
  SettlementDateInFuture = 'psp-sim-settlement-date-in-future',
  SettlementDirUnset = 'psp-sim-settlement-dir-unset',
  SimulatorFull = 'psp-sim-full',
}

const DETAILS: Readonly<Record<AdminErrorCode, { status: number; title: string }>> = {
  [AdminErrorCode.FaultNotFound]: { status: 404, title: 'No such fault' },
  [AdminErrorCode.InvalidFault]: { status: 400, title: 'Invalid fault' },
  [AdminErrorCode.TooManyFaults]: { status: 409, title: 'Too many faults' },
  [AdminErrorCode.SettlementFaultNotFound]: { status: 404, title: 'No such settlement fault' },
  [AdminErrorCode.InvalidSettlementFault]: { status: 400, title: 'Invalid settlement fault' },
  [AdminErrorCode.TooManySettlementFaults]: { status: 409, title: 'Too many settlement faults' },
  [AdminErrorCode.MerchantReferenceTaken]: { status: 409, title: 'Merchant reference already charged' },
  [AdminErrorCode.SettlementDateInFuture]: { status: 400, title: 'Settlement date in the future' },
  [AdminErrorCode.SettlementDirUnset]: { status: 409, title: 'No settlement folder configured' },
  // Like TooManyFaults: the simulator's state refuses it until it is reset (or given more room).
  [AdminErrorCode.SimulatorFull]: { status: 409, title: 'The simulator holds its maximum of charges' },
};

/** Admin API errors, answered as problem+json. */
export class AdminError extends DomainError {
  declare readonly code: AdminErrorCode;

  constructor(code: AdminErrorCode, detail?: string) {
    super({ code, ...DETAILS[code], detail });
  }
}
