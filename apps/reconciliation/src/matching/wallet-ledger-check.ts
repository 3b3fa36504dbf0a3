import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WALLET_LEDGER_MISMATCH, type DiscrepancyDraft } from '../discrepancies/discrepancy';
import { DiscrepancyRepository } from '../discrepancies/discrepancy.repository';
import { ReconciliationEvents } from '../discrepancies/reconciliation-events';
import type { KeelViewPosition } from '../keel-view/keel-view-catch-up';
import {
  KeelViewReader,
  type WalletLedgerSeller,
  type WalletLedgerTotal,
} from '../keel-view/keel-view.reader';
import type { IngestedRun } from '../steps/run-step';
import { WalletLedgerDiscrepancies } from './wallet-ledger.repository';

/** RECON_WALLET_SELLERS_REPORTED_MAX. */
export interface WalletLedgerSettings {
  readonly sellersReportedMax: number;
}

export const WALLET_LEDGER_SETTINGS = Symbol('keel.reconciliation.wallet-ledger-settings');

/** A seller whose wallet and seller payable differ (amounts as decimal strings of minor units). */
export interface DifferingSellerSummary {
  /** Null for a seller payable no wallet has. */
  readonly merchantId: string | null;
  readonly sellerId: string | null;
  readonly accountId: string;
  readonly currency: string;
  readonly walletMinor: string;
  readonly ledgerMinor: string;
  readonly differenceMinor: string;
}

/** The wallet leg's part of a run's summary. */
export interface WalletLedgerSummary {
  /** How far the view had consumed Keel's topics: both sides are as consumed then. */
  readonly asOf: KeelViewPosition;
  /** The view had not caught up: a difference may be its lag, and opens no discrepancy. */
  readonly lagging: boolean;
  readonly byCurrency: readonly {
    readonly currency: string;
    readonly walletMinor: string;
    readonly ledgerMinor: string;
    /** wallet − ledger. */
    readonly differenceMinor: string;
    readonly differingSellers: number;
    readonly agrees: boolean;
  }[];
  /** The sellers that differ most, at most RECON_WALLET_SELLERS_REPORTED_MAX. */
  readonly differingSellers: readonly DifferingSellerSummary[];
  readonly agrees: boolean;
  /** Per currency, the sum over sellers of |wallet − ledger|; empty when it agrees. */
  readonly moneyAtRisk: Readonly<Record<string, string>>;
  readonly discrepancies: { readonly opened: number; readonly resolved: number };
}

/**
 * The three-way check's wallet leg: every wallet's credits against the ledger's seller payable of
 * the same merchant's seller, per currency and seller, as reconciliation's view has consumed both
 * (the run waited for the view first; see KeelViewCatchUp). A currency whose sellers differ, with
 * the view caught up, is a `wallet_ledger_mismatch` for a person, its money at risk the sum of the
 * sellers' differences; a run that finds a currency agreeing resolves its open one.
 */
@Injectable()
export class WalletLedgerCheck {
  constructor(
    private readonly keelView: KeelViewReader,
    private readonly discrepancies: DiscrepancyRepository,
    private readonly walletDiscrepancies: WalletLedgerDiscrepancies,
    private readonly events: ReconciliationEvents,
    @Inject(WALLET_LEDGER_SETTINGS) private readonly settings: WalletLedgerSettings,
  ) {}

  async run(run: IngestedRun, manager: EntityManager): Promise<WalletLedgerSummary> {
    const lagging = !run.keelView.caughtUp;
    // Taken before reading, so two runs never both open a currency's discrepancy from one reading.
    if (!lagging) await this.walletDiscrepancies.takeTurn(manager);
    const { totals, differing } = await this.keelView.walletsAgainstLedger(this.settings.sellersReportedMax);
    const differingTotals = totals.filter((total) => total.differingSellers > 0);
    const discrepancies = lagging
      ? { opened: 0, resolved: 0 }
      : await this.record(
          run,
          manager,
          differingTotals.map((total) => draftOf(total, differing)),
        );
    return {
      asOf: run.keelView,
      lagging,
      byCurrency: totals.map((total) => ({
        currency: total.currency,
        walletMinor: total.walletMinor.toString(),
        ledgerMinor: total.ledgerMinor.toString(),
        differenceMinor: (total.walletMinor - total.ledgerMinor).toString(),
        differingSellers: total.differingSellers,
        agrees: total.differingSellers === 0,
      })),
      differingSellers: differing.map(sellerSummaryOf),
      agrees: differingTotals.length === 0,
      moneyAtRisk: Object.fromEntries(
        differingTotals.map((total) => [total.currency, total.absoluteDifferenceMinor.toString()]),
      ),
      discrepancies,
    };
  }

  private async record(
    run: IngestedRun,
    manager: EntityManager,
    drafts: readonly DiscrepancyDraft[],
  ): Promise<{ opened: number; resolved: number }> {
    const refreshed = await this.walletDiscrepancies.refreshOpen(manager, run.runId, drafts);
    const opened = await this.discrepancies.upsert(
      manager,
      { runId: run.runId, psp: run.psp, date: run.date },
      drafts.filter((draft) => !refreshed.has(draft.matchKey)),
    );
    await this.events.discrepanciesOpened(manager, run.runId, opened);
    const resolved = await this.walletDiscrepancies.resolveAgreeing(
      manager,
      run.runId,
      drafts.map((draft) => draft.matchKey),
    );
    await this.events.discrepanciesResolved(manager, resolved);
    return { opened: opened.length, resolved: resolved.length };
  }
}

function sellerSummaryOf(seller: WalletLedgerSeller): DifferingSellerSummary {
  return {
    merchantId: seller.merchantId,
    sellerId: seller.sellerId,
    accountId: seller.accountId,
    currency: seller.currency,
    walletMinor: seller.walletMinor.toString(),
    ledgerMinor: seller.ledgerMinor.toString(),
    differenceMinor: (seller.walletMinor - seller.ledgerMinor).toString(),
  };
}

/** One currency's discrepancy: both sides' totals and the sellers of the currency that differ most. */
function draftOf(total: WalletLedgerTotal, differing: readonly WalletLedgerSeller[]): DiscrepancyDraft {
  const { currency } = total;
  return {
    class: WALLET_LEDGER_MISMATCH,
    matchKey: `wallet-ledger/${currency}`,
    merchantReference: null,
    pspReference: null,
    keel: {
      currency,
      walletCreditedMinor: total.walletMinor.toString(),
      ledgerSellerPayableMinor: total.ledgerMinor.toString(),
      differingSellers: total.differingSellers,
      sellers: differing.filter((seller) => seller.currency === currency).map(sellerSummaryOf),
    },
    // No PSP takes part: the wallets and the ledger are both Keel's.
    pspSide: {},
    reason:
      `the wallets hold ${total.walletMinor} ${currency} in credits, the ledger's seller payables ` +
      `${total.ledgerMinor} ${currency}; ${total.differingSellers} seller(s) differ by ` +
      `${total.absoluteDifferenceMinor} ${currency} in all`,
    moneyAtRiskMinor: total.absoluteDifferenceMinor,
    currency,
  };
}
