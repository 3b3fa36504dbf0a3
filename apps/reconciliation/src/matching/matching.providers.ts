import type { Provider } from '@nestjs/common';
import { parsePspFeeContracts } from '@keel/reconciliation-domain';
import {
  Discrepancies,
  DISCREPANCIES_SETTINGS,
  type DiscrepanciesSettings,
} from '../discrepancies/discrepancies.service';
import { DiscrepancyRepository } from '../discrepancies/discrepancy.repository';
import { DiscrepancyMetrics } from '../discrepancies/discrepancy-metrics';
import { ReconciliationEvents } from '../discrepancies/reconciliation-events';
import {
  ReconciliationDiscrepanciesController,
  ReconciliationRunReportController,
} from '../http/reconciliation-discrepancies.controller';
import { AutomaticFixesStep } from '../fixes/automatic-fixes.step';
import type { ReconciliationEnvironment } from '../reconciliation.environment';
import { RECONCILIATION_RUN_STEPS } from '../steps/run-step';
import { MATCHING_SETTINGS, MatchingStep, type MatchingSettings } from './matching.step';
import { SettlementRowsReader } from './settlement-rows.reader';
import { ThreeWayCheckStep } from './three-way-check.step';
import { WALLET_LEDGER_SETTINGS, WalletLedgerCheck } from './wallet-ledger-check';
import { WalletLedgerDiscrepancies } from './wallet-ledger.repository';

export function matchingSettingsOf(environment: ReconciliationEnvironment): MatchingSettings {
  return {
    maxRowsPerKey: environment.RECON_MATCH_ROWS_PER_KEY_MAX,
    discrepancyBatchRows: environment.RECON_DISCREPANCY_BATCH_ROWS,
    feeContracts: parsePspFeeContracts(environment.RECON_PSP_FEE_CONTRACTS),
  };
}

export function discrepanciesSettingsOf(environment: ReconciliationEnvironment): DiscrepanciesSettings {
  return {
    pageSizeDefault: environment.RECON_DISCREPANCIES_PAGE_SIZE_DEFAULT,
    pageSizeMax: environment.RECON_DISCREPANCIES_PAGE_SIZE_MAX,
    reportBatchRows: environment.RECON_DISCREPANCY_BATCH_ROWS,
  };
}

export const MATCHING_CONTROLLERS = [
  ReconciliationDiscrepanciesController,
  ReconciliationRunReportController,
];

/** Matching, the automatic fixes and the three-way check, a run's steps in this order; the discrepancies they store and their API. */
export function matchingProviders(environment: ReconciliationEnvironment): Provider[] {
  return [
    { provide: MATCHING_SETTINGS, useValue: matchingSettingsOf(environment) },
    { provide: DISCREPANCIES_SETTINGS, useValue: discrepanciesSettingsOf(environment) },
    Discrepancies,
    ReconciliationEvents,
    DiscrepancyMetrics,
    SettlementRowsReader,
    DiscrepancyRepository,
    MatchingStep,
    {
      provide: WALLET_LEDGER_SETTINGS,
      useValue: { sellersReportedMax: environment.RECON_WALLET_SELLERS_REPORTED_MAX },
    },
    WalletLedgerDiscrepancies,
    WalletLedgerCheck,
    ThreeWayCheckStep,
    {
      provide: RECONCILIATION_RUN_STEPS,
      useFactory: (matching: MatchingStep, fixes: AutomaticFixesStep, threeWayCheck: ThreeWayCheckStep) => [
        matching,
        fixes,
        threeWayCheck,
      ],
      inject: [MatchingStep, AutomaticFixesStep, ThreeWayCheckStep],
    },
  ];
}
