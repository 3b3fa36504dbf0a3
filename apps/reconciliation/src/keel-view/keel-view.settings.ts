import { parsePspFeeContracts, type PspFeeContracts } from '@keel/reconciliation-domain';
import type { ReconciliationEnvironment } from '../reconciliation.environment';

/** The injection token of Keel's view's settings. */
export const KEEL_VIEW_SETTINGS = Symbol('keel.reconciliation.keel-view.settings');

/** What Keel's view reads from the environment, parsed once at start. */
export interface KeelViewSettings {
  /** Each PSP's contract fee, for `KeelOrderView.expectedFeeMinor`. */
  readonly feeContracts: PspFeeContracts;
  /** Rows fetched from a day's cursor at a time. */
  readonly fetchRows: number;
}

export function keelViewSettingsOf(environment: ReconciliationEnvironment): KeelViewSettings {
  return {
    feeContracts: parsePspFeeContracts(environment.RECON_PSP_FEE_CONTRACTS),
    fetchRows: environment.RECON_VIEW_FETCH_ROWS,
  };
}
