import { sumOfMetric } from '@keel/testing';

export interface ScrapeTarget {
  /** `wallet`, `wallet-2`, … */
  readonly instance: string;
  readonly url: string;
}

export interface InstanceMetrics {
  readonly instance: string;
  readonly outboxBacklogRows: number;
  readonly consumerLagRecords: number;
  readonly inboxAppliedTotal: number;
}

/** One scrape of every instance; an instance that did not answer in time is missing from it. */
export interface MetricsRound {
  readonly atMs: number;
  readonly instances: readonly InstanceMetrics[];
}

const SCRAPE_TIMEOUT_MS = 2_000;

async function scrape(target: ScrapeTarget, authorization: string): Promise<InstanceMetrics | undefined> {
  try {
    const response = await fetch(`${target.url}/metrics`, {
      headers: { authorization },
      signal: AbortSignal.timeout(SCRAPE_TIMEOUT_MS),
    });
    // A refusal's body holds no metric: reading it would count every figure as zero.
    if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
    const text = await response.text();
    return {
      instance: target.instance,
      outboxBacklogRows: sumOfMetric(text, 'keel_outbox_backlog_rows') ?? 0,
      consumerLagRecords: sumOfMetric(text, 'keel_consumer_lag_records') ?? 0,
      inboxAppliedTotal: sumOfMetric(text, 'keel_inbox_applied_total') ?? 0,
    };
  } catch {
    // A service too busy to answer in time is a missing sample, not a failed run.
    return undefined;
  }
}

/** Outbox backlog plus consumer lag over every instance: work the pipeline has taken but not done. */
export function pipelineBacklog(round: MetricsRound): number {
  return round.instances.reduce(
    (sum, metrics) => sum + metrics.outboxBacklogRows + metrics.consumerLagRecords,
    0,
  );
}

/** Scrapes every service instance's /metrics on a fixed interval and keeps the rounds. */
export class MetricsSampler {
  readonly rounds: MetricsRound[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly targets: readonly ScrapeTarget[],
    private readonly intervalMs: number,
    /** `Authorization` of a viewer: /metrics is for operators (a fresh token each round). */
    private readonly operatorAuthorization: () => string,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.scrapeRound(), this.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async scrapeRound(): Promise<MetricsRound> {
    const atMs = Date.now();
    const authorization = this.operatorAuthorization();
    const scraped = await Promise.all(this.targets.map((target) => scrape(target, authorization)));
    const round = { atMs, instances: scraped.filter((metrics) => metrics !== undefined) };
    this.rounds.push(round);
    return round;
  }

  between(fromMs: number, toMs: number): MetricsRound[] {
    return this.rounds.filter((round) => round.atMs >= fromMs && round.atMs <= toMs);
  }
}
