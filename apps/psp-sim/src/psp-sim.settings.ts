import type { PspId } from '@keel/psp-sim-domain';
import type { PspSimEnvironment } from './psp-sim.environment';

/** Each PSP's contract fee on approved charges, in basis points: its PSP_SIM_FEE_BPS_<PSP>. */
export function feeBasisPointsOf(environment: PspSimEnvironment): Readonly<Record<PspId, number>> {
  return {
    acme: environment.PSP_SIM_FEE_BPS_ACME,
    nova: environment.PSP_SIM_FEE_BPS_NOVA,
    swiftpay: environment.PSP_SIM_FEE_BPS_SWIFTPAY,
  };
}
