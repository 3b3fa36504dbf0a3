export enum SimulatorErrorCode {
  /** The store holds its maximum number of charges; the simulator refuses new ones. */
  CapacityExceeded = 'capacity_exceeded',
  TooManyFaults = 'too_many_faults',
  InvalidFault = 'invalid_fault',
  TooManySettlementFaults = 'too_many_settlement_faults',
  InvalidSettlementFault = 'invalid_settlement_fault',
  /** An unknown charge was asked for under a merchant reference the PSP already charged. */
  MerchantReferenceTaken = 'merchant_reference_taken',
}

/** A request the simulator cannot take, as opposed to a business outcome such as a decline. */
export class SimulatorError extends Error {
  override readonly name = 'SimulatorError';

  constructor(
    readonly code: SimulatorErrorCode,
    message: string,
  ) {
    super(message);
  }
}
