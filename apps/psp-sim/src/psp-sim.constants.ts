/** Injection tokens of the simulator's plain-TypeScript parts. */
export const PSP_SIM_ENVIRONMENT = Symbol('psp-sim.environment');
export const PSP_SIM_SCHEDULER = Symbol('psp-sim.scheduler');
export const PSP_SIM_IDS = Symbol('psp-sim.ids');
/** `(psp, date) => SettlementFile | undefined` as of the scheduler's now: how each PSP's API gets its file. */
export const PSP_SIM_SETTLEMENT_FILE_OF = Symbol('psp-sim.settlement-file-of');
