import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { resetSocket } from '@keel/local-system';

export interface TcpProxyOptions {
  /** Names the proxy in observations and errors (e.g. `postgres`). */
  readonly name: string;
  readonly listenPort: number;
  readonly targetPort: number;
  readonly host?: string;
}

/** The largest delay a proxy accepts: a fault, not a black hole. */
export const PROXY_DELAY_MS_MAX = 60_000;

interface PendingChunk {
  readonly data: Buffer;
  readonly releaseAtMs: number;
}

/**
 * One direction of a connection: chunks leave in arrival order, each no earlier than `delayMs()`
 * after it came in. A single timer drains the queue so order never depends on timer ties.
 */
class DelayedPipe {
  private readonly queue: PendingChunk[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sourceEnded = false;

  constructor(
    private readonly destination: Socket,
    private readonly delayMs: () => number,
  ) {}

  push(data: Buffer): void {
    const delayMs = this.delayMs();
    if (delayMs === 0 && this.queue.length === 0) {
      this.destination.write(data);
      return;
    }
    this.queue.push({ data, releaseAtMs: Date.now() + delayMs });
    this.schedule();
  }

  end(): void {
    this.sourceEnded = true;
    if (this.queue.length === 0) this.destination.end();
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.queue.length = 0;
  }

  private schedule(): void {
    const head = this.queue[0];
    if (this.timer !== undefined || head === undefined) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, head.releaseAtMs - Date.now()));
  }

  private release(): void {
    this.timer = undefined;
    const nowMs = Date.now();
    while (this.queue.length > 0 && (this.queue[0] as PendingChunk).releaseAtMs <= nowMs) {
      this.destination.write((this.queue.shift() as PendingChunk).data);
    }
    if (this.queue.length === 0 && this.sourceEnded) this.destination.end();
    this.schedule();
  }
}

interface ProxiedConnection {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly pipes: readonly DelayedPipe[];
}

/**
 * A TCP proxy on 127.0.0.1 that the chaos suite puts between the services and PostgreSQL, Kafka
 * and each PSP, so that it can slow a link down (`setDelay`) or cut every connection through it.
 */
export class TcpProxy {
  private readonly connections = new Set<ProxiedConnection>();
  private delayMs = 0;

  private constructor(
    private readonly options: TcpProxyOptions,
    private readonly server: Server,
  ) {}

  static async start(options: TcpProxyOptions): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(options, server);
    server.on('connection', (client) => proxy.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.listenPort, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  get name(): string {
    return this.options.name;
  }

  get port(): number {
    return this.options.listenPort;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /** Every chunk from now on, in either direction, waits `delayMs` before it is passed on. */
  setDelay(delayMs: number): void {
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > PROXY_DELAY_MS_MAX)
      throw new Error(
        `proxy ${this.name}: delay must be an integer in [0, ${PROXY_DELAY_MS_MAX}] ms, got ${delayMs}`,
      );
    this.delayMs = delayMs;
  }

  /** Cuts every open connection (both sides see a reset); new connections are accepted as before. */
  resetConnections(): void {
    for (const connection of [...this.connections]) this.reset(connection);
  }

  async stop(): Promise<void> {
    this.resetConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    const upstream = createConnection({
      host: this.options.host ?? '127.0.0.1',
      port: this.options.targetPort,
    });
    const toUpstream = new DelayedPipe(upstream, () => this.delayMs);
    const toClient = new DelayedPipe(client, () => this.delayMs);
    const connection: ProxiedConnection = { client, upstream, pipes: [toUpstream, toClient] };
    this.connections.add(connection);
    client.on('data', (data: Buffer) => toUpstream.push(data));
    upstream.on('data', (data: Buffer) => toClient.push(data));
    client.on('end', () => toUpstream.end());
    upstream.on('end', () => toClient.end());
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.reset(connection));
      // An orderly close travels through the pipes (end after the queued chunks); the
      // connection is forgotten once both sides are gone.
      socket.on('close', () => {
        if (client.destroyed && upstream.destroyed) this.connections.delete(connection);
      });
    }
  }

  private reset(connection: ProxiedConnection): void {
    if (!this.connections.delete(connection)) return;
    for (const pipe of connection.pipes) pipe.cancel();
    resetSocket(connection.client);
    resetSocket(connection.upstream);
  }
}
