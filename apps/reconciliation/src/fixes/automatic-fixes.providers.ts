import type { Provider } from '@nestjs/common';
import type { ReconciliationEnvironment } from '../reconciliation.environment';
import { AutomaticFixRepository } from './automatic-fix.repository';
import {
  AUTOMATIC_FIX_SETTINGS,
  AutomaticFixesStep,
  type AutomaticFixSettings,
} from './automatic-fixes.step';
import { FeeAdjustmentResolutions } from './fee-adjustment-resolutions';

export function automaticFixSettingsOf(environment: ReconciliationEnvironment): AutomaticFixSettings {
  return {
    enabled: environment.RECON_AUTO_FIX === 'true',
    perRunMax: environment.RECON_AUTO_FIX_PER_RUN_MAX,
  };
}

/** The automatic fixes: the run step that asks for them, and the resolution of fee adjustments. */
export function automaticFixesProviders(environment: ReconciliationEnvironment): Provider[] {
  return [
    { provide: AUTOMATIC_FIX_SETTINGS, useValue: automaticFixSettingsOf(environment) },
    AutomaticFixRepository,
    AutomaticFixesStep,
    FeeAdjustmentResolutions,
  ];
}
