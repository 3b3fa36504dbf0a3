import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from 'croner';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import { lastWholeDayIn, SETTLEMENT_PSPS } from '@keel/reconciliation-domain';
import { ReconciliationRuns } from './reconciliation-runs.service';
import { SETTLEMENT_TIME_ZONES } from './settlement-time-zones';

/** RECON_SCHEDULE_CRON (empty: no schedule) and RECON_SCHEDULE_TIME_ZONE. */
export interface RunScheduleSettings {
  readonly cron: string;
  readonly timeZone: string;
}

export const RUN_SCHEDULE_SETTINGS = Symbol('keel.reconciliation.run-schedule-settings');

/**
 * The daily runs: at each time the cron expression names (croner, read in the configured zone,
 * DST-aware), every PSP's last whole day in its own zone is downloaded and run, one PSP after the
 * other. Ticks never overlap; a failed PSP is logged and the others still run. Each instance keeps
 * the schedule; a PSP's day is run by the first to record it (reconciliation_runs_scheduled_once),
 * and a run left `running` by a process that died is failed first (RECON_RUN_ABANDONED_AFTER_MS).
 */
@Injectable()
export class RunSchedule implements OnApplicationBootstrap, OnModuleDestroy {
  private job: Cron | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly runs: ReconciliationRuns,
    @Inject(RUN_SCHEDULE_SETTINGS) private readonly settings: RunScheduleSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.cron === '') return;
    this.job = new Cron(
      this.settings.cron,
      { timezone: this.settings.timeZone, protect: true, unref: true },
      () => {
        this.inFlight = this.runAll(new Date()).finally(() => {
          this.inFlight = undefined;
        });
        return this.inFlight;
      },
    );
    this.logger.info(
      {
        cron: this.settings.cron,
        timeZone: this.settings.timeZone,
        nextRun: this.job.nextRun()?.toISOString(),
      },
      'reconciliation schedule on',
    );
  }

  /** When the schedule runs next; undefined when it is off. */
  nextRun(): Date | undefined {
    return this.job?.nextRun() ?? undefined;
  }

  /**
   * Every PSP's last whole day at `now`, after failing the runs a dead process left `running` (so
   * that they hold no day); never throws (each failure is logged).
   */
  async runAll(now: Date): Promise<void> {
    await this.runs
      .failAbandoned()
      .catch((error: unknown) => this.logger.error({ err: error }, 'failing abandoned runs failed'));
    for (const psp of SETTLEMENT_PSPS) {
      const date = lastWholeDayIn(SETTLEMENT_TIME_ZONES[psp], now);
      try {
        const run = await this.runs.scheduled(psp, date);
        if (run === undefined)
          this.logger.info({ psp, date }, 'scheduled run already made by another instance');
      } catch (error) {
        this.logger.error({ psp, date, err: error }, 'scheduled reconciliation run failed');
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.job?.stop();
    await this.inFlight;
  }
}
