import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { OBSERVABILITY_LOGGER, type Logger } from '@keel/observability';
import {
  addDays,
  PSP_IDS,
  Settlements,
  type CalendarDate,
  type CancelTask,
  type PspId,
  type Scheduler,
} from '@keel/psp-sim-domain';
import { chunksOf } from '../http/wire-response';
import { PSP_SIM_ENVIRONMENT, PSP_SIM_SCHEDULER } from '../psp-sim.constants';
import type { PspSimEnvironment } from '../psp-sim.environment';

/**
 * Settlement files written to PSP_SIM_SETTLEMENT_DIR: each PSP's file for a day as soon as that day
 * ends in the PSP's time zone, and any day's on demand. A file appears whole or not at all: it is
 * streamed to `<name>.partial` and renamed.
 */
@Injectable()
export class SettlementFolder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly dayEndTimers = new Map<PspId, CancelTask>();
  private readonly writing = new Set<Promise<unknown>>();

  constructor(
    private readonly settlements: Settlements,
    @Inject(PSP_SIM_SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(PSP_SIM_ENVIRONMENT) private readonly environment: PspSimEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  get directory(): string | undefined {
    return this.environment.PSP_SIM_SETTLEMENT_DIR;
  }

  onApplicationBootstrap(): void {
    if (this.directory === undefined) return;
    const nowMs = this.scheduler.nowMs();
    for (const psp of PSP_IDS) this.writeAtDayEnd(psp, this.settlements.today(psp, nowMs));
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const cancel of this.dayEndTimers.values()) cancel();
    this.dayEndTimers.clear();
    await Promise.allSettled(this.writing);
  }

  /** Writes the PSP's file for `date` as of now; undefined for a day that has not begun. */
  async write(psp: PspId, date: CalendarDate): Promise<string | undefined> {
    const directory = this.directory;
    if (directory === undefined) throw new Error('PSP_SIM_SETTLEMENT_DIR is not set');
    const file = this.settlements.file(psp, date, this.scheduler.nowMs());
    if (file === undefined) return undefined;
    const path = join(directory, file.fileName);
    const partialPath = `${path}.partial`;
    const writing = (async () => {
      await mkdir(directory, { recursive: true });
      try {
        await pipeline(
          Readable.from(chunksOf(file.lines, this.environment.PSP_SIM_SETTLEMENT_CHUNK_BYTES)),
          createWriteStream(partialPath),
        );
        await rename(partialPath, path);
      } catch (error) {
        await rm(partialPath, { force: true });
        throw error;
      }
    })();
    this.writing.add(writing);
    try {
      await writing;
    } finally {
      this.writing.delete(writing);
    }
    this.logger.info({ psp, date, path }, 'settlement file written');
    return path;
  }

  /** Writes `date`'s file once the day ends, then waits for the next day's end. */
  private writeAtDayEnd(psp: PspId, date: CalendarDate): void {
    const delayMs = Math.max(0, this.settlements.endOf(psp, date) - this.scheduler.nowMs());
    const cancel = this.scheduler.schedule(delayMs, () => {
      this.writeAtDayEnd(psp, addDays(date, 1));
      this.write(psp, date).catch((error: unknown) =>
        this.logger.error({ err: error, psp, date }, 'settlement file not written'),
      );
    });
    this.dayEndTimers.set(psp, cancel);
  }
}
