import { setTimeout as sleep } from 'node:timers/promises';
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import { postCardPayment } from '@keel/traffic';
import { waitFor } from '@keel/testing';
import { freePort } from './free-port.util';
import { ReadyBalancer } from './ready-balancer';

const INTERVAL_MS = 200;
const CHECK = { intervalMs: INTERVAL_MS, timeoutMs: 500 };

/**
 * A tiny HTTP instance that answers `/health/ready` as its flag says, and every other request with
 * its name (202, as the payment API accepts a checkout). It drains as a Keel service does
 * (docs/operations/graceful-shutdown.md): unready at once and `Connection: close` on every response,
 * then, later, it stops listening, closes its idle connections and answers what is in flight.
 */
class TestInstance {
  ready = true;
  private draining = false;
  private server: Server | undefined;
  private readonly inFlight = new Set<ServerResponse>();

  private constructor(
    readonly name: string,
    readonly port: number,
  ) {}

  static async start(name: string): Promise<TestInstance> {
    const instance = new TestInstance(name, await freePort());
    await instance.listen();
    return instance;
  }

  get backend() {
    return { name: this.name, host: '127.0.0.1', port: this.port };
  }

  async listen(): Promise<void> {
    this.draining = false;
    const server = createServer((incoming, response) => {
      incoming.resume();
      if (this.draining) response.setHeader('Connection', 'close');
      if (incoming.url === '/health/ready') {
        response.statusCode = this.ready ? 200 : 503;
        response.end();
        return;
      }
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
      response.statusCode = 202;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ id: this.name }));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
  }

  /** SIGTERM's first phase: unready, and every response closes its connection. */
  startDraining(): void {
    this.ready = false;
    this.draining = true;
  }

  /** The end of the drain: no new connections, idle ones closed, what is in flight answered. */
  stopListening(): Promise<void> {
    return this.close((server) => server.closeIdleConnections());
  }

  /** As a SIGKILL would end it: every connection cut, nothing answered. */
  crash(): Promise<void> {
    return this.close((server) => server.closeAllConnections());
  }

  private async close(cut: (server: Server) => void): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    cut(server);
    await closed;
    this.server = undefined;
  }
}

/** One request on a connection of its own: who answered it, or the error code of its failure. */
function askOnce(url: string): Promise<string> {
  return new Promise((resolve) => {
    const outgoing = request(`${url}/who`, { agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id));
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    outgoing.end();
  });
}

async function askMany(url: string, count: number): Promise<Map<string, number>> {
  const answers = new Map<string, number>();
  for (let index = 0; index < count; index += 1) {
    const answer = await askOnce(url);
    answers.set(answer, (answers.get(answer) ?? 0) + 1);
  }
  return answers;
}

describe('ReadyBalancer on real HTTP servers', () => {
  let first: TestInstance;
  let second: TestInstance;
  let balancer: ReadyBalancer;

  beforeEach(async () => {
    first = await TestInstance.start('first');
    second = await TestInstance.start('second');
    balancer = await ReadyBalancer.start({
      host: '127.0.0.1',
      port: await freePort(),
      backends: [first.backend, second.backend],
      check: CHECK,
    });
  });

  afterEach(async () => {
    await balancer.stop();
    await first.crash();
    await second.crash();
  });

  const untilReady = (names: readonly string[]) =>
    waitFor(() => balancer.readyBackends().join() === names.join(), {
      timeoutMs: 5_000,
      intervalMs: 20,
      description: `ready instances to be [${names.join()}]`,
    });

  it('spreads new connections across the ready instances, round robin', async () => {
    const answers = await askMany(balancer.url, 20);

    expect(Object.fromEntries(answers)).toEqual({ first: 10, second: 10 });
  });

  it('routes only to instances that answered ready', async () => {
    second.ready = false;
    await untilReady(['first']);

    const answers = await askMany(balancer.url, 10);

    expect(Object.fromEntries(answers)).toEqual({ first: 10 });
  });

  it('resets connections while no instance is ready, and routes again once one is', async () => {
    first.ready = false;
    second.ready = false;
    await untilReady([]);

    expect(Object.fromEntries(await askMany(balancer.url, 3))).toEqual({ ECONNRESET: 3 });

    second.ready = true;
    await untilReady(['second']);
    expect(Object.fromEntries(await askMany(balancer.url, 3))).toEqual({ second: 3 });
  });

  it('stops sending new connections to an instance within one interval of it turning unready', async () => {
    const unreadyAtMs = Date.now();
    first.ready = false;
    let lastToFirstMs = 0;
    while (Date.now() - unreadyAtMs < 3 * INTERVAL_MS) {
      const sentAtMs = Date.now();
      if ((await askOnce(balancer.url)) === 'first') lastToFirstMs = sentAtMs - unreadyAtMs;
      await sleep(5);
    }

    // One interval, plus the few milliseconds a check of a local server takes.
    expect(lastToFirstMs).toBeLessThanOrEqual(INTERVAL_MS + 50);
    expect(balancer.readyBackends()).toEqual(['second']);
  });

  it('sends a connection an instance refuses to the next ready one', async () => {
    await first.crash();

    const answers = await askMany(balancer.url, 6);

    expect(Object.fromEntries(answers)).toEqual({ second: 6 });
    expect(balancer.readyBackends()).toEqual(['second']);
  });

  it('loses no request of the kept-alive payment client while each instance in turn drains, stops and starts again', async () => {
    const answers: { httpStatus?: number; paymentId?: string }[] = [];
    let sending = true;
    // Bursts of concurrent checkouts, so the client's agent pools several connections to each instance.
    const traffic = (async () => {
      while (sending) {
        const burst = Array.from({ length: 4 }, () =>
          postCardPayment(balancer.url, {
            // The instances here are plain servers that check no key.
            apiKey: 'sk_test_balancer',
            sellerId: 'seller_balancer',
            amountMinor: 1_000n,
            checkoutPrefix: 'balancer',
            timeoutMs: 5_000,
          }),
        );
        answers.push(...(await Promise.all(burst)));
        await sleep(10);
      }
    })();

    for (const instance of [first, second]) {
      await sleep(3 * INTERVAL_MS);
      instance.startDraining();
      await sleep(3 * INTERVAL_MS);
      await instance.stopListening();
      await sleep(INTERVAL_MS);
      await instance.listen();
      instance.ready = true;
      await untilReady(['first', 'second']);
    }
    await sleep(3 * INTERVAL_MS);
    sending = false;
    await traffic;

    const unanswered = answers.filter((answer) => answer.httpStatus !== 202);
    expect(unanswered).toEqual([]);
    expect(new Set(answers.map((answer) => answer.paymentId))).toEqual(new Set(['first', 'second']));
    expect(answers.length).toBeGreaterThan(100);
  });
});
