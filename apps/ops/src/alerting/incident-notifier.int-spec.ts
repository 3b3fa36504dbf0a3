import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createMetricsRegistry, type Registry } from '@keel/observability';
import { waitFor } from '@keel/testing';
import { incidentMessage } from './incident-message';
import { IncidentNotifier } from './incident-notifier';
import type { IncidentNotifierSettings } from './incident-notifier.settings';
import type { IncidentSummary } from './incident-summary';

const summary: IncidentSummary = {
  incidentId: 'inc_1',
  title: 'PSP acme failing',
  severity: 'critical',
  stage: 'opened',
  scope: 'PSP acme, every method',
  affected: ['acme'],
  working: ['nova', 'swiftpay'],
  rule: { id: 'psp-trouble', kind: 'trouble_rate' },
  observed: 0.62,
  threshold: 0.3,
  unit: 'share',
  startedAt: new Date('2025-11-20T09:14:03Z'),
  detectedAt: new Date('2025-11-20T09:14:21Z'),
};

interface Received {
  readonly method?: string;
  readonly path?: string;
  readonly contentType?: string;
  readonly body: string;
}

/** A webhook receiver on a real socket: answers each request with the next scripted behaviour. */
class WebhookReceiver {
  readonly received: Received[] = [];
  private server?: Server;
  private readonly hanging: ServerResponse[] = [];

  constructor(private readonly script: readonly (number | 'hang')[]) {}

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.answer(request, response));
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/services/T000/B000/token`;
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const step = this.script[Math.min(this.received.length, this.script.length - 1)];
    this.received.push({
      method: request.method,
      path: request.url,
      contentType: request.headers['content-type'],
      body: Buffer.concat(chunks).toString('utf8'),
    });
    if (step === 'hang') {
      this.hanging.push(response);
      return;
    }
    response.writeHead(step ?? 500, { 'content-type': 'text/plain' }).end(step === 200 ? 'ok' : 'no');
  }
}

describe('IncidentNotifier against a webhook on a real HTTP server', () => {
  const logger = createLogger({ service: 'ops', level: 'silent' });
  let registry: Registry;
  let receiver: WebhookReceiver | undefined;

  beforeEach(() => {
    registry = createMetricsRegistry({ service: 'ops', defaultMetrics: false });
  });

  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });

  async function notifierFor(
    script: readonly (number | 'hang')[],
    overrides: Partial<IncidentNotifierSettings> = {},
  ): Promise<IncidentNotifier> {
    receiver = new WebhookReceiver(script);
    const webhookUrl = await receiver.start();
    const settings: IncidentNotifierSettings = {
      webhookUrl,
      timeoutMs: 2_000,
      attemptsMax: 3,
      retryBackoff: { initialDelayMs: 20, maxDelayMs: 40 },
      ...overrides,
    };
    return new IncidentNotifier(settings, logger, registry);
  }

  async function countOf(result: string): Promise<number> {
    const metric = await registry.getSingleMetric('keel_ops_alert_notifications_total')?.get();
    return metric?.values.find((value) => value.labels['result'] === result)?.value ?? 0;
  }

  it('posts the incident template as JSON to the webhook', async () => {
    const notifier = await notifierFor([200]);
    await expect(notifier.notify(summary)).resolves.toBe('sent');
    expect(receiver?.received).toEqual([
      {
        method: 'POST',
        path: '/services/T000/B000/token',
        contentType: 'application/json',
        body: JSON.stringify(incidentMessage(summary)),
      },
    ]);
    expect(await countOf('sent')).toBe(1);
  });

  it('retries a failing or busy webhook with backoff until it takes the message', async () => {
    const notifier = await notifierFor([503, 429, 200]);
    const startedMs = Date.now();
    await expect(notifier.notify(summary)).resolves.toBe('sent');
    expect(receiver?.received).toHaveLength(3);
    expect(new Set(receiver?.received.map((request) => request.body)).size).toBe(1);
    // Equal jitter waits at least half of each ceiling: 10 ms, then 20 ms.
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(30);
  });

  it('gives up after its attempts when the webhook keeps failing', async () => {
    const notifier = await notifierFor([500], { attemptsMax: 3 });
    await expect(notifier.notify(summary)).resolves.toBe('gave_up');
    expect(receiver?.received).toHaveLength(3);
    expect(await countOf('gave_up')).toBe(1);
  });

  it('does not retry a webhook that refuses the message (4xx)', async () => {
    const notifier = await notifierFor([404, 200]);
    await expect(notifier.notify(summary)).resolves.toBe('gave_up');
    expect(receiver?.received).toHaveLength(1);
  });

  it('abandons a request past its timeout and tries again', async () => {
    const notifier = await notifierFor(['hang', 200], { timeoutMs: 200 });
    await expect(notifier.notify(summary)).resolves.toBe('sent');
    expect(receiver?.received).toHaveLength(2);
  });

  it('gives up when nothing listens at the webhook', async () => {
    const notifier = await notifierFor([200], { attemptsMax: 2 });
    await receiver?.stop();
    await expect(notifier.notify(summary)).resolves.toBe('gave_up');
    expect(await countOf('gave_up')).toBe(1);
  });

  it('sends nothing when no webhook is configured', async () => {
    const notifier = await notifierFor([200], { webhookUrl: undefined });
    await expect(notifier.notify(summary)).resolves.toBe('off');
    expect(receiver?.received).toEqual([]);
    expect(await countOf('off')).toBe(1);
  });

  it('drops a notification waiting for its retry when the service stops', async () => {
    const notifier = await notifierFor([503], {
      retryBackoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const notifying = notifier.notify(summary);
    await waitFor(() => receiver?.received.length === 1, { description: 'the first request' });
    notifier.onModuleDestroy();
    await expect(notifying).resolves.toBe('cancelled');
    expect(receiver?.received).toHaveLength(1);
  });
});
