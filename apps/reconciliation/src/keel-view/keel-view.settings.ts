import type { CatchUpLimits } from '@keel/messaging';
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
  /** RECON_VIEW_CATCH_UP_TIMEOUT_MS and RECON_VIEW_CATCH_UP_POLL_MS. */
  readonly catchUp: CatchUpLimits;
}

export function keelViewSettingsOf(environment: ReconciliationEnvironment): KeelViewSettings {
  return {
    feeContracts: parsePspFeeContracts(environment.RECON_PSP_FEE_CONTRACTS),
    fetchRows: environment.RECON_VIEW_FETCH_ROWS,
    catchUp: {
      timeoutMs: environment.RECON_VIEW_CATCH_UP_TIMEOUT_MS,
      pollIntervalMs: environment.RECON_VIEW_CATCH_UP_POLL_MS,
    },
  };
}
