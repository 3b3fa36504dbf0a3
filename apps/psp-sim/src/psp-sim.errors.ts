import { DomainError } from '@keel/observability';

export enum AdminErrorCode {
  FaultNotFound = 'psp-sim-fault-not-found',
  InvalidFault = 'psp-sim-invalid-fault',
  TooManyFaults = 'psp-sim-too-many-faults',
}

const DETAILS: Readonly<Record<AdminErrorCode, { status: number; title: string }>> = {
  [AdminErrorCode.FaultNotFound]: { status: 404, title: 'No such fault' },
  [AdminErrorCode.InvalidFault]: { status: 400, title: 'Invalid fault' },
  [AdminErrorCode.TooManyFaults]: { status: 409, title: 'Too many faults' },
};

/** Admin API errors, answered as problem+json. */
export class AdminError extends DomainError {
  declare readonly code: AdminErrorCode;

  constructor(code: AdminErrorCode, detail?: string) {
    super({ code, ...DETAILS[code], detail });
  }
}
