import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  classifyJoined,
  classifyOrder,
  dayBefore,
  FileFeeCheck,
  isDiscrepancyClass,
  isUnpaired,
  matchOptions,
  mergeJoin,
  ReconciliationTally,
  type ClassifiedOrder,
  type PspFeeContracts,
  type ReconciliationClass,
} from '@keel/reconciliation-domain';
import type { Discrepancy, DiscrepancyDraft } from '../discrepancies/discrepancy';
import { DiscrepancyRepository, type RunDay } from '../discrepancies/discrepancy.repository';
import { ReconciliationEvents } from '../discrepancies/reconciliation-events';
import { KeelViewReader } from '../keel-view/keel-view.reader';
import { ReadSnapshot } from '../keel-view/read-snapshot';
import type { IngestedRun, RunStep } from '../steps/run-step';
import { SETTLEMENT_TIME_ZONES } from '../runs/settlement-time-zones';
import { fileSummaryOf } from '../settlement/settlement-file';
import { draftOfFileFee, draftOfVerdict, matchKeyOf } from './discrepancy-drafts';
import { SettlementRowsReader } from './settlement-rows.reader';

/** RECON_MATCH_ROWS_PER_KEY_MAX, RECON_DISCREPANCY_BATCH_ROWS and the PSPs' fee contracts. */
export interface MatchingSettings {
  readonly maxRowsPerKey: number;
  readonly discrepancyBatchRows: number;
  readonly feeContracts: PspFeeContracts;
}

export const MATCHING_SETTINGS = Symbol('keel.reconciliation.matching-settings');

/** What matching adds to a run's summary (amounts as decimal strings of minor units). */
export type MatchingSummary = {
  readonly counts: Readonly<Record<ReconciliationClass, number>>;
  readonly discrepancies: { readonly found: number; readonly opened: number; readonly resolved: number };
  readonly moneyAtRisk: Readonly<Record<string, string>>;
  readonly moneyAtRiskByClass: Readonly<Record<string, Readonly<Record<string, string>>>>;
};

/**
 * Matching, a run's first step: the file's rows against Keel's side of the day, in two merge joins
 * over sorted cursors of one read snapshot — pass 1 by PSP reference, pass 2 what pass 1 left
 * unpaired by order id (the unpaired are found in SQL, by anti-joins, so nothing of a pass is held
 * to feed the next) — each key classified, tallied, and stored as a discrepancy unless it agrees.
 * Memory holds one fetch per cursor, one key's rows and one batch of discrepancies. It announces
 * the run (`run_completed`) and what it opened and resolved, through the outbox.
 */
@Injectable()
export class MatchingStep implements RunStep {
  readonly name = 'matching';

  constructor(
    private readonly dataSource: DataSource,
    private readonly keelView: KeelViewReader,
    private readonly rows: SettlementRowsReader,
    private readonly discrepancies: DiscrepancyRepository,
    private readonly events: ReconciliationEvents,
    @Inject(MATCHING_SETTINGS) private readonly settings: MatchingSettings,
  ) {}

  async run(run: IngestedRun, manager: EntityManager): Promise<MatchingSummary> {
    const day: RunDay = { runId: run.runId, psp: run.psp, date: run.date };
    const file = { psp: run.psp, date: run.date, zone: SETTLEMENT_TIME_ZONES[run.psp], fileId: run.file.id };
    const tally = new ReconciliationTally();
    const fileFees = new FileFeeCheck(this.settings.feeContracts[run.psp]);
    const recorder = new DiscrepancyRecorder(manager, day, this.discrepancies, this.events, this.settings);
    const record = async (order: ClassifiedOrder): Promise<void> => {
      tally.add(order);
      for (const row of order.rows) fileFees.add(row);
      if (isDiscrepancyClass(order.class)) await recorder.add(draftOfVerdict(order));
      else if (order.class === 'timing') await recorder.settledLater('late', matchKeyOf(order));
      else if (isRefundedOrphan(order)) await recorder.settledLater('refunded', matchKeyOf(order));
    };

    await this.keelView.analyze();
    const snapshot = await ReadSnapshot.open(this.dataSource);
    try {
      const byPspReference = mergeJoin(
        this.keelView.ordersOfFile(snapshot, file, 'pspReference'),
        this.rows.rowsOfFile(snapshot, file, 'pspReference'),
        matchOptions('pspReference', this.settings.maxRowsPerKey),
      );
      for await (const group of byPspReference) {
        if (!isUnpaired(group)) await record(classifyOrder(group.keel, group.rows, run.date));
      }
      const byOrderId = mergeJoin(
        this.keelView.ordersOfFile(snapshot, file, 'merchantReference'),
        this.rows.rowsOfFile(snapshot, file, 'merchantReference'),
        matchOptions('merchantReference', this.settings.maxRowsPerKey),
      );
      for await (const order of classifyJoined(byOrderId, run.date)) await record(order);
    } finally {
      await snapshot.close();
    }

    for (const difference of fileFees.differences(fileSummaryOf(run.file))) {
      tally.addFileFeeDifference(difference);
      await recorder.add(draftOfFileFee(difference, run.file.id));
    }
    await recorder.flush();
    const resolved = await this.discrepancies.resolveUnseen(manager, day);
    await this.events.discrepanciesResolved(manager, resolved);
    const summary: MatchingSummary = {
      counts: tally.counts,
      discrepancies: {
        found: tally.discrepancyCount,
        opened: recorder.opened,
        resolved: recorder.resolved + resolved.length,
      },
      moneyAtRisk: amountsOf(tally.moneyAtRisk()),
      moneyAtRiskByClass: Object.fromEntries(
        Object.keys(tally.counts)
          .map((name) => [name, amountsOf(tally.moneyAtRiskOf(name as ReconciliationClass))] as const)
          .filter(([, amounts]) => Object.keys(amounts).length > 0),
      ),
    };
    // In the transaction that completes the run: the run's events go out exactly when it completes.
    await this.events.runCompleted(manager, {
      runId: run.runId,
      psp: run.psp,
      date: run.date,
      fileId: run.file.id,
      counts: summary.counts,
      discrepancyCount: summary.discrepancies.found,
      openedCount: summary.discrepancies.opened,
      resolvedCount: summary.discrepancies.resolved,
      moneyAtRisk: summary.moneyAtRisk,
    });
    return summary;
  }
}

function amountsOf(amounts: ReadonlyMap<string, bigint>): Record<string, string> {
  return Object.fromEntries(
    [...amounts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([currency, amount]) => [currency, amount.toString()]),
  );
}

/** A charge Keel did not hold, matched because both sides show it refunded: an orphan refund. */
function isRefundedOrphan(order: ClassifiedOrder): boolean {
  return (
    order.class === 'matched' &&
    order.keel !== undefined &&
    order.keel.status !== 'succeeded' &&
    order.rows.some((row) => row.kind === 'refund')
  );
}

/**
 * A run's discrepancies, written a batch at a time: upserted; and earlier days' discrepancies that
 * the day settles resolved — the previous day's `missing_at_psp` whose rows the file reports late,
 * and the `missing_in_keel` of charges the day shows refunded — each with its event, in the run's
 * transaction. A full batch is written while matching goes on (one batch in writing at most, so
 * memory holds two); `flush` writes the rest and waits for all of it.
 */
class DiscrepancyRecorder {
  opened = 0;
  resolved = 0;
  #drafts: DiscrepancyDraft[] = [];
  readonly #settled = { late: [] as string[], refunded: [] as string[] };
  #writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly manager: EntityManager,
    private readonly day: RunDay,
    private readonly repository: DiscrepancyRepository,
    private readonly events: ReconciliationEvents,
    private readonly settings: MatchingSettings,
  ) {}

  async add(draft: DiscrepancyDraft): Promise<void> {
    this.#drafts.push(draft);
    if (this.#drafts.length >= this.settings.discrepancyBatchRows) await this.#writeBatch();
  }

  async settledLater(how: 'late' | 'refunded', matchKey: string): Promise<void> {
    this.#settled[how].push(matchKey);
    if (this.#settled[how].length >= this.settings.discrepancyBatchRows) await this.#writeBatch();
  }

  async flush(): Promise<void> {
    await this.#writeBatch();
    await this.#writing;
  }

  /** Waits for the batch in writing, then starts writing the one gathered. */
  async #writeBatch(): Promise<void> {
    await this.#writing;
    const { late, refunded } = this.#settled;
    const drafts = this.#drafts;
    this.#drafts = [];
    this.#settled.late = [];
    this.#settled.refunded = [];
    this.#writing = this.#write(drafts, late, refunded);
    // Its failure is awaited by the next batch or by flush; meanwhile it is not an unhandled rejection.
    this.#writing.catch(() => undefined);
  }

  async #write(drafts: DiscrepancyDraft[], late: string[], refunded: string[]): Promise<void> {
    const opened: Discrepancy[] = await this.repository.upsert(this.manager, this.day, drafts);
    this.opened += opened.length;
    await this.events.discrepanciesOpened(this.manager, this.day.runId, opened);
    const resolved = [
      ...(await this.repository.resolveReportedLate(this.manager, this.day, dayBefore(this.day.date), late)),
      ...(await this.repository.resolveRefundedLater(this.manager, this.day, refunded)),
    ];
    this.resolved += resolved.length;
    await this.events.discrepanciesResolved(this.manager, resolved);
  }
}
