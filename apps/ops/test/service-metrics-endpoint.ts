import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_OPERATOR_TOKEN_SECRET, verifyOperatorToken, type OperatorActor } from '@keel/operator-auth';

/** What a Keel service's /metrics says of its pipeline: its outbox backlog and consumer lag per partition. */
export interface PipelineFigures {
  readonly outboxBacklogRows: number;
  readonly consumerLagRecords: readonly number[];
}

/**
 * A test double of one Keel service's `GET /metrics`: Prometheus text with the pipeline figures the
 * test sets (beside series ops must not count), answered only to a valid operator token under the
 * local secret, as a service under KEEL_PROFILE=local does. Remembers who read it.
 */
export class ServiceMetricsEndpoint {
  figures: PipelineFigures = { outboxBacklogRows: 0, consumerLagRecords: [] };
  /** Bytes of comment served before the samples: an answer larger than a reader takes. */
  paddingBytes = 0;
  readonly readers: OperatorActor[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ServiceMetricsEndpoint> {
    const server = createServer();
    const endpoint = new ServiceMetricsEndpoint(server);
    server.on('request', (request, response) => {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const verdict = verifyOperatorToken(
        token,
        { secret: LOCAL_OPERATOR_TOKEN_SECRET, maxTtlHours: 24, clockSkewS: 60 },
        new Date(),
      );
      if (request.url !== '/metrics') response.writeHead(404).end();
      else if (!verdict.valid) response.writeHead(401).end();
      else {
        endpoint.readers.push(verdict.actor);
        response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(endpoint.exposition());
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private exposition(): string {
    const { outboxBacklogRows, consumerLagRecords } = this.figures;
    return [
      ...(this.paddingBytes > 0 ? [`# ${'x'.repeat(this.paddingBytes)}`] : []),
      '# HELP keel_outbox_backlog_rows Committed outbox rows not yet published',
      '# TYPE keel_outbox_backlog_rows gauge',
      `keel_outbox_backlog_rows{service="ledger"} ${outboxBacklogRows}`,
      '# HELP keel_outbox_lag_seconds Age of the oldest unpublished outbox row',
      '# TYPE keel_outbox_lag_seconds gauge',
      'keel_outbox_lag_seconds{service="ledger"} 90000',
      '# HELP keel_consumer_lag_records Records behind the end of the partition after the last processed chunk',
      '# TYPE keel_consumer_lag_records gauge',
      ...consumerLagRecords.map(
        (lag, partition) =>
          `keel_consumer_lag_records{consumer="ledger",topic="keel.payment.v1",partition="${partition}",service="ledger"} ${lag}`,
      ),
      '',
    ].join('\n');
  }
}
