import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { Counter, Histogram } from 'prom-client';
import { DataSource } from 'typeorm';
import { decodePageCursor, InvalidPageCursorError, pageOf } from '@keel/contracts';
import {
  DomainError,
  getOrCreateCounter,
  getOrCreateHistogram,
  OBSERVABILITY_LOGGER,
  Registry,
  type Logger,
} from '@keel/observability';
import {
  isSettlementPsp,
  SETTLEMENT_PSPS,
  SettlementFileError,
  settlementDayVerdict,
  type SettlementPsp,
} from '@keel/reconciliation-domain';
import {
  InvalidCursorError,
  InvalidSettlementDateError,
  MalformedSettlementFileError,
  RunNotCompletedError,
  RunNotFoundError,
  SettlementDateInFutureError,
  SettlementDownloadFailedError,
  SettlementFileTooLargeError,
  UnknownPspError,
  UploadUnreadableError,
} from '../reconciliation.errors';
import { KeelViewCatchUp, type KeelViewPosition } from '../keel-view/keel-view-catch-up';
import type { IngestionResult } from '../settlement/settlement-file';
import { SettlementDownloader } from '../settlement/settlement-downloader.service';
import { SettlementIngestion } from '../settlement/settlement-ingestion.service';
import {
  SettlementFileTooLarge,
  SettlementSourceError,
  sourceChunks,
} from '../settlement/settlement-source.error';
import type {
  ReconciliationRun,
  RunError,
  RunListQuery,
  RunPage,
  RunStatus,
  RunSummary,
  RunTrigger,
} from './reconciliation-run';
import { ReconciliationRunRepository, type RunPosition } from './reconciliation-run.repository';
import { RECONCILIATION_RUN_STEPS, type RunStep } from '../steps/run-step';
import { SETTLEMENT_TIME_ZONES } from './settlement-time-zones';

/** RECON_DOWNLOAD_TIMEOUT_MS and the runs list's page sizes. */
export interface ReconciliationRunSettings {
  readonly downloadTimeoutMs: number;
  readonly pageSizeDefault: number;
  readonly pageSizeMax: number;
  /** RECON_RUN_ABANDONED_AFTER_MS. */
  readonly abandonedAfterMs: number;
}

export const RECONCILIATION_RUN_SETTINGS = Symbol('keel.reconciliation.run-settings');

/** A run's phases take seconds for a small file and up to about a minute for a million rows. */
const PHASE_DURATION_BUCKETS_S = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600];

/** A run without steps reads nothing of the view and does not wait for it. */
const NOT_WAITED: KeelViewPosition = { caughtUp: false, waitedMs: 0, behindRecords: null };

/** A list position: the run's start (ISO 8601, ms) and id. */
const POSITION_PATTERN = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/;

function positionIn(cursor: string): RunPosition {
  try {
    return decodePageCursor(cursor, (text) => {
      const [, startedAt, id] = POSITION_PATTERN.exec(text) ?? [];
      return startedAt === undefined || id === undefined || !isUUID(id) ? undefined : { startedAt, id };
    });
  } catch (error) {
    if (error instanceof InvalidPageCursorError) throw new InvalidCursorError();
    throw error;
  }
}

/** Where a run's file comes from: opened once the run is recorded. */
interface RunSource {
  readonly trigger: RunTrigger;
  open(signal: AbortSignal): Promise<{ source: string; body: AsyncIterable<Buffer>; close(): void }>;
}

/**
 * Reconciliation runs: a PSP's file for a day, downloaded or uploaded, ingested once, then the
 * run's steps (matching, then the three-way check). Each run is recorded as it starts and finishes; a
 * failed run keeps its error and nothing of its file.
 */
@Injectable()
export class ReconciliationRuns {
  private readonly runsTotal: Counter<'psp' | 'status'>;
  private readonly phaseSeconds: Histogram<'psp' | 'phase'>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: ReconciliationRunRepository,
    private readonly ingestion: SettlementIngestion,
    private readonly downloader: SettlementDownloader,
    private readonly keelViewCatchUp: KeelViewCatchUp,
    @Inject(RECONCILIATION_RUN_STEPS) private readonly steps: readonly RunStep[],
    @Inject(RECONCILIATION_RUN_SETTINGS) private readonly settings: ReconciliationRunSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.runsTotal = getOrCreateCounter(metrics, {
      name: 'keel_reconciliation_runs_total',
      help: 'Reconciliation runs ended, by PSP and how they ended (completed, ingested, failed).',
      labelNames: ['psp', 'status'],
    });
    this.phaseSeconds = getOrCreateHistogram(metrics, {
      name: 'keel_reconciliation_run_phase_duration_seconds',
      help: "How long a run's phases took, by PSP: `ingestion` (its file read and stored), then each step by name; failed phases too.",
      labelNames: ['psp', 'phase'],
      buckets: PHASE_DURATION_BUCKETS_S,
    });
  }

  /** Downloads `psp`'s file of `date` and runs it, at an operator's request. */
  async download(psp: string, date: string): Promise<ReconciliationRun> {
    const run = await this.downloadAs('api', psp, date);
    if (run === undefined) throw new Error('only a scheduled run can find its day taken');
    return run;
  }

  /** The daily run of `psp`'s `date`; undefined when another instance already made it. */
  scheduled(psp: SettlementPsp, date: string): Promise<ReconciliationRun | undefined> {
    return this.downloadAs('schedule', psp, date);
  }

  /** Runs an uploaded file, read from `body` as it arrives. */
  async upload(psp: string, date: string, body: AsyncIterable<Buffer>): Promise<ReconciliationRun> {
    const known = this.checked(psp, date);
    const run = await this.execute(known, date, {
      trigger: 'upload',
      open: () =>
        Promise.resolve({ source: 'upload', body: sourceChunks(body, 'upload'), close: () => undefined }),
    });
    if (run === undefined) throw new Error('an upload is never a scheduled run');
    return run;
  }

  private downloadAs(
    trigger: 'api' | 'schedule',
    psp: string,
    date: string,
  ): Promise<ReconciliationRun | undefined> {
    const known = this.checked(psp, date);
    return this.execute(known, date, {
      trigger,
      open: (signal) => this.downloader.open(known, date, signal),
    });
  }

  /** Refuses an unknown PSP or a date that is no day or has not begun in the PSP's zone. */
  checked(psp: string, date: string, now = new Date()): SettlementPsp {
    if (!isSettlementPsp(psp)) throw new UnknownPspError(psp, SETTLEMENT_PSPS);
    const verdict = settlementDayVerdict(date, SETTLEMENT_TIME_ZONES[psp], now);
    if (verdict.valid) return psp;
    if (verdict.reason === 'not_a_day') throw new InvalidSettlementDateError(date);
    throw new SettlementDateInFutureError(psp, date, SETTLEMENT_TIME_ZONES[psp], verdict.today);
  }

  async find(runId: string): Promise<ReconciliationRun> {
    const run = isUUID(runId) ? await this.runs.find(this.dataSource.manager, runId) : undefined;
    if (run === undefined) throw new RunNotFoundError(runId);
    return run;
  }

  /**
   * Fails the runs whose process died while running them (still `running` past
   * RECON_RUN_ABANDONED_AFTER_MS), so that a scheduled day is not held by a run that never ends.
   */
  async failAbandoned(): Promise<void> {
    const error: RunError = {
      code: 'abandoned',
      detail: `still running ${this.settings.abandonedAfterMs} ms after it started: the process running it stopped`,
    };
    const failed = await this.runs.failAbandoned(
      this.dataSource.manager,
      this.settings.abandonedAfterMs,
      error,
    );
    if (failed.length > 0) this.logger.warn({ runIds: failed }, 'abandoned reconciliation runs failed');
  }

  /** A run that has completed: its report may be read. */
  async completed(runId: string): Promise<ReconciliationRun> {
    const run = await this.find(runId);
    if (run.status !== 'completed') throw new RunNotCompletedError(runId, run.status);
    return run;
  }

  async list(query: RunListQuery): Promise<RunPage> {
    const limit = Math.min(query.limit ?? this.settings.pageSizeDefault, this.settings.pageSizeMax);
    const after = query.cursor === undefined ? null : positionIn(query.cursor);
    const rows = await this.runs.list(this.dataSource.manager, query, after, limit + 1);
    const page = pageOf(rows, limit, (run) => `${run.startedAt}|${run.id}`);
    return { data: page.items, nextCursor: page.nextCursor };
  }

  private async execute(
    psp: SettlementPsp,
    date: string,
    source: RunSource,
  ): Promise<ReconciliationRun | undefined> {
    const started = await this.runs.start(this.dataSource.manager, {
      id: randomUUID(),
      psp,
      date,
      trigger: source.trigger,
    });
    if (started === undefined) return undefined;
    try {
      const ingested = await this.ingest(started, source);
      const finished = await this.finish(started, ingested);
      this.runsTotal.inc({ psp, status: finished.status });
      return finished;
    } catch (error) {
      this.runsTotal.inc({ psp, status: 'failed' });
      const problem = this.problemOf(error, started);
      await this.runs
        .fail(this.dataSource.manager, started.id, runErrorOf(problem, error))
        .catch((failError: unknown) =>
          this.logger.error({ runId: started.id, err: failError }, 'reconciliation run not marked failed'),
        );
      this.logger.warn(
        { runId: started.id, psp, date, trigger: source.trigger, problem: problem?.code, err: error },
        'reconciliation run failed',
      );
      throw problem ?? error;
    }
  }

  private async ingest(run: ReconciliationRun, source: RunSource): Promise<IngestionResult> {
    // The whole download, ingestion included; an upload is bounded by the HTTP server's timeouts.
    const signal = AbortSignal.timeout(this.settings.downloadTimeoutMs);
    const file = await source.open(signal);
    const timer = this.phaseSeconds.startTimer({ psp: run.psp, phase: 'ingestion' });
    try {
      return await this.ingestion.ingest(run.psp, run.date, file.source, file.body);
    } finally {
      timer();
      file.close();
    }
  }

  /**
   * The run's steps and its end, in one transaction: a step that fails leaves nothing of its own.
   * The steps begin once Keel's view has consumed what Keel had published (bounded; outside the
   * transaction).
   */
  private async finish(run: ReconciliationRun, ingested: IngestionResult): Promise<ReconciliationRun> {
    const keelView = this.steps.length === 0 ? NOT_WAITED : await this.keelViewCatchUp.waitUntilConsumed();
    return this.dataSource.transaction(async (manager) => {
      let summary: RunSummary = { file: { ...ingested.file, alreadyIngested: ingested.alreadyIngested } };
      // A run with steps is `completed` once they all ran; without any it ends at its file.
      const status: RunStatus = this.steps.length === 0 ? 'ingested' : 'completed';
      for (const step of this.steps) {
        const timer = this.phaseSeconds.startTimer({ psp: run.psp, phase: step.name });
        try {
          const part = await step.run(
            { runId: run.id, psp: run.psp, date: run.date, ...ingested, keelView },
            manager,
          );
          summary = { ...summary, [step.name]: part };
        } finally {
          timer();
        }
      }
      return this.runs.finish(manager, run.id, { status, fileId: ingested.file.id, summary });
    });
  }

  /** The problem a failed run is answered with; undefined for the unforeseen (answered 500). */
  private problemOf(error: unknown, run: ReconciliationRun): DomainError | undefined {
    if (error instanceof DomainError) return error;
    if (error instanceof SettlementFileError) {
      return new MalformedSettlementFileError(run.psp, error.lineNumber, error.problem, error.detail, run.id);
    }
    const download = run.trigger !== 'upload';
    if (error instanceof SettlementFileTooLarge) {
      return download
        ? new SettlementDownloadFailedError(run.psp, error.message, run.id)
        : new SettlementFileTooLargeError(error.bytesMax, run.id);
    }
    if (error instanceof SettlementSourceError) {
      return download
        ? new SettlementDownloadFailedError(run.psp, error.reason, run.id)
        : new UploadUnreadableError(run.id);
    }
    return undefined;
  }
}

function runErrorOf(problem: DomainError | undefined, cause: unknown): RunError {
  if (problem === undefined) {
    return { code: 'internal-error', detail: 'The run failed unexpectedly; the service log says why.' };
  }
  if (cause instanceof SettlementFileError) {
    return {
      code: problem.code,
      detail: problem.detail,
      lineNumber: cause.lineNumber,
      problem: cause.problem,
    };
  }
  return { code: problem.code, detail: problem.detail };
}
