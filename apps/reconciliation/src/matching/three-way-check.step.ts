import { Injectable } from '@nestjs/common';
import { compareClearing } from '@keel/reconciliation-domain';
import { KeelViewReader } from '../keel-view/keel-view.reader';
import type { IngestedRun, RunStep } from '../runs/run-step';
import { SETTLEMENT_TIME_ZONES } from '../runs/settlement-time-zones';
import { fileSummaryOf } from '../settlement/settlement-file';

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
  /** The wallets' credits as reconciliation has seen them, per currency; compared with nothing yet. */
  readonly walletTotals: Readonly<Record<string, string>>;
  /** What the check does not compare yet, and why. */
  readonly notCompared: readonly string[];
};

/**
 * The three-way check, after matching: per PSP and day, the ledger's PSP clearing movements
 * (`keel_psp_clearing_movements` of the day in the PSP's zone) against the file's charges less its
 * refunds, per currency. The wallets' totals are reported; their comparison with the ledger's
 * seller payables waits for those to be in the view (the ledger's events carry the postings, the
 * view does not keep seller payables yet).
 */
@Injectable()
export class ThreeWayCheckStep implements RunStep {
  readonly name = 'threeWayCheck';

  constructor(private readonly keelView: KeelViewReader) {}

  async run(run: IngestedRun): Promise<ThreeWayCheckSummary> {
    const ledger = await this.keelView.pspClearingOfDay(run.psp, run.date, SETTLEMENT_TIME_ZONES[run.psp]);
    const wallets = await this.keelView.walletTotalsByCurrency();
    return {
      pspClearing: compareClearing(ledger, fileSummaryOf(run.file)).map((comparison) => ({
        currency: comparison.currency,
        ledgerMinor: comparison.ledgerMinor.toString(),
        settlementMinor: comparison.settlementMinor.toString(),
        differenceMinor: comparison.differenceMinor.toString(),
        agrees: comparison.differenceMinor === 0n,
      })),
      walletTotals: Object.fromEntries(
        wallets.map((total) => [total.currency, total.amountMinor.toString()]),
      ),
      notCompared: [
        "wallet totals vs the ledger's seller payables: reconciliation's view does not keep seller payables yet",
      ],
    };
  }
}
