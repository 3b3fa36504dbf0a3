import { PSP_IDS } from '@keel/psp-sim-domain';
import { loadPspSimEnvironment } from './psp-sim.environment';
import { feeBasisPointsOf } from './psp-sim.settings';

describe('feeBasisPointsOf', () => {
  it('gives every PSP the fee of its own PSP_SIM_FEE_BPS_<PSP>', () => {
    const feeOf = (index: number) => 100 + index;
    const environment = loadPspSimEnvironment({
      KEEL_PROFILE: 'local',
      ...Object.fromEntries(
        PSP_IDS.map((psp, index) => [`PSP_SIM_FEE_BPS_${psp.toUpperCase()}`, String(feeOf(index))]),
      ),
    });
    expect(feeBasisPointsOf(environment)).toEqual(
      Object.fromEntries(PSP_IDS.map((psp, index) => [psp, feeOf(index)])),
    );
  });
});
