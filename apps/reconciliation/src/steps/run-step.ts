import type { EntityManager } from 'typeorm';
import type { SettlementPsp } from '@keel/reconciliation-domain';
import type { CatchUpOutcome } from '@keel/messaging';
import type { SettlementFile } from '../settlement/settlement-file';

/** A run whose file is stored: what the steps after ingestion work on. */
export interface IngestedRun {
  readonly runId: string;
  readonly psp: SettlementPsp;
  readonly date: string;
  readonly file: SettlementFile;
  readonly alreadyIngested: boolean;
  /** How far Keel's view had consumed its topics when the steps began (KeelViewCatchUp). */
  readonly keelView: CatchUpOutcome;
}

/**
 * What a run does after ingesting its file, in order. A step reads the
 * file's rows from settlement_rows and Keel's view, writes what it decides through `manager`
 * (the transaction that also finishes the run), and returns its part of the run's summary, kept
 * under its `name`. A step that throws fails the run; what it wrote is rolled back.
 */
export interface RunStep {
  readonly name: string;
  run(run: IngestedRun, manager: EntityManager): Promise<Readonly<Record<string, unknown>>>;
}

/** The steps of every run, in order (RunStep[]): matching, then the three-way check. */
export const RECONCILIATION_RUN_STEPS = Symbol('keel.reconciliation.run-steps');
