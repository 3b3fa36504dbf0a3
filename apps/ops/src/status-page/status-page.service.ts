import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PAYMENT_METHOD_TYPES } from '@keel/contracts';
import { statusPageOf, type StatusPage } from './status-page';
import { statusPageHtml } from './status-page-html';
import { StatusPageRepository, type StatusPageLimits } from './status-page.repository';

export const STATUS_PAGE_SETTINGS = Symbol('keel.ops.status-page-settings');

export interface StatusPageSettings extends StatusPageLimits {
  /** How long one snapshot answers every request. */
  readonly cacheMs: number;
}

/** One snapshot of the page, in both its forms, rendered once for every request it answers. */
export interface StatusPageSnapshot {
  readonly page: StatusPage;
  readonly json: string;
  readonly html: string;
}

/**
 * The public status page. Anyone may ask it as often as they like, so the database is read at
 * most once per `cacheMs` whatever the traffic: requests within the period share the snapshot, and
 * requests while a snapshot is being read wait for that one read rather than starting their own.
 */
@Injectable()
export class StatusPageService {
  #snapshot: { readonly atMs: number; readonly snapshot: StatusPageSnapshot } | undefined;
  #reading: Promise<StatusPageSnapshot> | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: StatusPageRepository,
    @Inject(STATUS_PAGE_SETTINGS) private readonly settings: StatusPageSettings,
  ) {}

  snapshot(): Promise<StatusPageSnapshot> {
    const cached = this.#snapshot;
    if (cached !== undefined && Date.now() - cached.atMs < this.settings.cacheMs)
      return Promise.resolve(cached.snapshot);
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<StatusPageSnapshot> {
    const atMs = Date.now();
    // One snapshot of the tables: a method and the incident that switched it off agree.
    const data = await this.dataSource.transaction('REPEATABLE READ', async (manager) => ({
      switchedOff: await this.repository.switchedOff(manager, this.settings),
      current: await this.repository.current(manager, this.settings),
      resolved: await this.repository.resolved(manager, this.settings),
    }));
    const page = statusPageOf({
      ...data,
      methodTypes: PAYMENT_METHOD_TYPES,
      historyDays: this.settings.historyDays,
      generatedAt: new Date(atMs),
    });
    const snapshot = { page, json: JSON.stringify(page), html: statusPageHtml(page) };
    this.#snapshot = { atMs, snapshot };
    return snapshot;
  }
}
