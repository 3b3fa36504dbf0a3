import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import {
  getOrCreateCounter,
  OBSERVABILITY_LOGGER,
  Registry,
  sumOfMetric,
  type Logger,
} from '@keel/observability';
import type { PipelineReading } from '@keel/ops-domain';
import { PeriodicTask } from '@keel/platform';
import type { Counter } from 'prom-client';
import { OpsCredential } from '../ops-credential';
import type { PipelineTarget } from './pipeline-targets';
import { PIPELINE_READER_SETTINGS, type PipelineReaderSettings } from './pipeline-reader.settings';

/** A service's work queued: committed outbox rows not yet published, records not yet consumed. */
const BACKLOG_METRICS = ['keel_outbox_backlog_rows', 'keel_consumer_lag_records'] as const;

/**
 * Reads every OPS_PIPELINE_SCRAPE_INTERVAL_MS each target's `GET /metrics` (Prometheus text, with
 * a viewer credential ops signs itself) and keeps, per service that answered, its outbox backlog
 * plus consumer lag for the pipeline-lag rules. Ops never reads another service's database. A
 * target that does not answer, answers other than 200 or too much gives no reading (so no firing),
 * counted in keel_ops_pipeline_scrape_failures_total{target} and logged when it starts and stops.
 * A target is one URL: behind a load balancer it is whichever instance answers.
 */
@Injectable()
export class PipelineReader implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly task: PeriodicTask;
  private readonly credential: OpsCredential;
  private readonly failures: Counter<'target'>;
  private latest: readonly PipelineReading[] = [];
  private readonly failing = new Set<string>();

  constructor(
    @Inject(PIPELINE_READER_SETTINGS) private readonly settings: PipelineReaderSettings,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    registry: Registry,
  ) {
    this.credential = new OpsCredential('viewer', settings.tokens);
    this.failures = getOrCreateCounter(registry, {
      name: 'keel_ops_pipeline_scrape_failures_total',
      help: "Reads of a pipeline target's /metrics that gave no reading (no answer, not 200, too large)",
      labelNames: ['target'],
    });
    this.task = new PeriodicTask(
      {
        name: 'ops-pipeline-scrape',
        intervalMs: settings.intervalMs,
        failureMessage: 'pipeline read failed',
      },
      () => this.scrape(),
      logger,
    );
  }

  onApplicationBootstrap(): void {
    if (this.settings.targets.length > 0) this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** The readings of the last read, one per target that answered. */
  readings(): readonly PipelineReading[] {
    return this.latest;
  }

  /** One read of every target now (or the one in flight). */
  readNow(): Promise<void> {
    return this.task.runNow();
  }

  private async scrape(): Promise<void> {
    const readings = await Promise.all(this.settings.targets.map((target) => this.read(target)));
    this.latest = readings.filter((reading): reading is PipelineReading => reading !== undefined);
  }

  private async read(target: PipelineTarget): Promise<PipelineReading | undefined> {
    let exposition: string;
    try {
      exposition = await this.exposition(target);
    } catch (error) {
      this.failures.inc({ target: target.service });
      if (!this.failing.has(target.service)) {
        this.failing.add(target.service);
        this.logger.warn(
          { target: target.service, url: target.baseUrl, problem: (error as Error).message },
          'pipeline target not read: no reading for it until it answers',
        );
      }
      return undefined;
    }
    if (this.failing.delete(target.service))
      this.logger.info({ target: target.service }, 'pipeline target read again');
    const backlogRecords = BACKLOG_METRICS.reduce(
      (total, metric) => total + (sumOfMetric(exposition, metric) ?? 0),
      0,
    );
    return { service: target.service, backlogRecords };
  }

  private async exposition(target: PipelineTarget): Promise<string> {
    const response = await fetch(`${target.baseUrl}/metrics`, {
      headers: { authorization: this.credential.authorization() },
      signal: AbortSignal.timeout(this.settings.timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new Error(`GET /metrics answered ${response.status}`);
    }
    return textUpTo(response, this.settings.responseBytesMax);
  }
}

/** The answer's body as text, refused once it passes `bytesMax`. */
async function textUpTo(response: Response, bytesMax: number): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > bytesMax) {
      await reader.cancel();
      throw new Error(`GET /metrics answered more than ${bytesMax} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
