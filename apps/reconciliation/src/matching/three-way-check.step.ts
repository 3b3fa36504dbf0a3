import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { compareClearing } from '@keel/reconciliation-domain';
import { KeelViewReader } from '../keel-view/keel-view.reader';
import type { IngestedRun, RunStep } from '../steps/run-step';
import { SETTLEMENT_TIME_ZONES } from '../runs/settlement-time-zones';
import { fileSummaryOf } from '../settlement/settlement-file';
import { WalletLedgerCheck, type WalletLedgerSummary } from './wallet-ledger-check';

/** What the three-way check adds to a run's summary (amounts as decimal strings of minor units). */
export type ThreeWayCheckSummary = {
  /** The ledger's PSP clearing movements of the day vs the file's net, per currency. */
  readonly pspClearing: readonly {
    readonly currency: string;
    readonly ledgerMinor: string;
    readonly settlementMinor: string;
    readonly differenceMinor: string;
    readonly agrees: boolean;
  }[];
  /** The wallets' credits vs the ledger's seller payables, per currency and seller. */
  readonly wallets: WalletLedgerSummary;
};

/**
 * The three-way check, after matching: per PSP and day, the ledger's PSP clearing movements
 * (`keel_psp_clearing_movements` of the day in the PSP's zone) against the file's charges less its
 * refunds, per currency; and the wallets' credits against the ledger's seller payables, per
 * currency and seller (WalletLedgerCheck), both as reconciliation's view had consumed Keel's
 * topics when the run began.
 */
@Injectable()
export class ThreeWayCheckStep implements RunStep {
  readonly name = 'threeWayCheck';

  constructor(
    private readonly keelView: KeelViewReader,
    private readonly wallets: WalletLedgerCheck,
  ) {}

  async run(run: IngestedRun, manager: EntityManager): Promise<ThreeWayCheckSummary> {
    const ledger = await this.keelView.pspClearingOfDay(run.psp, run.date, SETTLEMENT_TIME_ZONES[run.psp]);
    return {
      pspClearing: compareClearing(ledger, fileSummaryOf(run.file)).map((comparison) => ({
        currency: comparison.currency,
        ledgerMinor: comparison.ledgerMinor.toString(),
        settlementMinor: comparison.settlementMinor.toString(),
        differenceMinor: comparison.differenceMinor.toString(),
        agrees: comparison.differenceMinor === 0n,
      })),
      wallets: await this.wallets.run(run, manager),
    };
  }
}
