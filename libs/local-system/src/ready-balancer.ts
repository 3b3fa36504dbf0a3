import { request as httpRequest, type ClientRequest } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { resetSocket } from './reset-socket.util';

/** One instance behind the balancer, reached at its own port. */
export interface BalancerBackend {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/** How the balancer asks each instance whether it is ready. */
export interface ReadinessCheckSettings {
  /** Time between the end of one check of an instance and the start of the next. */
  readonly intervalMs: number;
  /** A check with no answer by then counts as "not ready" (Kubernetes' probe timeout is 1 s too). */
  readonly timeoutMs: number;
}

export const DEFAULT_READINESS_CHECK: ReadinessCheckSettings = { intervalMs: 250, timeoutMs: 1_000 };

export interface ReadyBalancerOptions {
  readonly host: string;
  /** The public port clients connect to. */
  readonly port: number;
  readonly backends: readonly BalancerBackend[];
  /** Answers 200 when the instance takes traffic; `/health/ready` by default. */
  readonly readinessPath?: string;
  readonly check?: ReadinessCheckSettings;
  /** Called whenever an instance turns ready or unready (and once for each after the first check). */
  readonly onReadinessChange?: (backend: string, ready: boolean) => void;
}

interface BackendState {
  readonly backend: BalancerBackend;
  ready: boolean;
  checked: boolean;
  timer?: NodeJS.Timeout;
  check?: ClientRequest;
}

/**
 * A readiness-aware TCP balancer in front of several instances of one HTTP service, as a Kubernetes
 * Service is in front of its pods: each new connection goes to the next instance, round robin, among
 * those whose last readiness check answered 200; the bytes then pass untouched both ways.
 *
 * It balances connections rather than requests on purpose. A Service (kube-proxy) picks an endpoint
 * per connection and never reads HTTP, so a kept-alive connection stays with its instance until one
 * side closes it. A draining Keel instance closes its connections itself (`Connection: close` on
 * every response, docs/operations/graceful-shutdown.md); an HTTP-level proxy would hide whether it
 * does, and would retry or re-pool on its own. Copying bytes also costs the two cores the drills
 * measure on far less than parsing every request again.
 *
 * With no ready instance a connection is reset at once (the nearest a listening port gets to
 * refusing it). An instance that refuses a connection (killed between two checks) counts as not
 * ready until its next check passes, and the connection tries the next ready instance: no byte has
 * reached the refusing one, so nothing can be done twice (nginx, HAProxy and Envoy do the same).
 */
export class ReadyBalancer {
  private readonly states: BackendState[];
  private readonly connections = new Set<Socket>();
  private readonly server: Server;
  private readonly check: ReadinessCheckSettings;
  private turn = 0;
  private stopped = false;

  private constructor(private readonly options: ReadyBalancerOptions) {
    if (options.backends.length === 0) throw new Error('a balancer needs at least one backend');
    this.check = options.check ?? DEFAULT_READINESS_CHECK;
    if (!(this.check.intervalMs > 0) || !(this.check.timeoutMs > 0))
      throw new Error(
        `readiness check interval and timeout must be > 0 ms, got ${this.check.intervalMs} and ${this.check.timeoutMs}`,
      );
    this.states = options.backends.map((backend) => ({ backend, ready: false, checked: false }));
    this.server = createServer({ allowHalfOpen: true }, (client) => this.route(client));
  }

  /** Checks every instance once, listens on the public port, then keeps checking every interval. */
  static async start(options: ReadyBalancerOptions): Promise<ReadyBalancer> {
    const balancer = new ReadyBalancer(options);
    await Promise.all(balancer.states.map((state) => balancer.checkOnce(state)));
    await new Promise<void>((resolve, reject) => {
      balancer.server.once('error', reject);
      balancer.server.listen(options.port, options.host, () => {
        balancer.server.off('error', reject);
        resolve();
      });
    });
    for (const state of balancer.states) balancer.scheduleCheck(state);
    return balancer;
  }

  get url(): string {
    return `http://${this.options.host}:${this.options.port}`;
  }

  /** The instances new connections may go to now. */
  readyBackends(): string[] {
    return this.states.filter((state) => state.ready).map((state) => state.backend.name);
  }

  /** Stops checking, stops listening and cuts every connection still open. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.states) {
      clearTimeout(state.timer);
      state.check?.destroy();
    }
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await closed;
  }

  private scheduleCheck(state: BackendState): void {
    if (this.stopped) return;
    state.timer = setTimeout(() => {
      void this.checkOnce(state).then(() => this.scheduleCheck(state));
    }, this.check.intervalMs);
  }

  private async checkOnce(state: BackendState): Promise<void> {
    const ready = await this.askReady(state);
    if (this.stopped) return;
    this.setReady(state, ready);
  }

  private setReady(state: BackendState, ready: boolean): void {
    const changed = state.ready !== ready || !state.checked;
    state.ready = ready;
    state.checked = true;
    if (changed) this.options.onReadinessChange?.(state.backend.name, ready);
  }

  /** One GET of the readiness path on a fresh connection: ready on 200, not ready on anything else. */
  private askReady(state: BackendState): Promise<boolean> {
    const { host, port } = state.backend;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (ready: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        state.check = undefined;
        resolve(ready);
      };
      const check = httpRequest(
        { host, port, path: this.options.readinessPath ?? '/health/ready', agent: false },
        (response) => {
          response.resume();
          finish(response.statusCode === 200);
        },
      );
      const deadline = setTimeout(() => check.destroy(), this.check.timeoutMs);
      // A refused connection, a reset or the deadline's destroy: no answer, so not ready.
      check.once('error', () => finish(false));
      check.once('close', () => finish(false));
      state.check = check;
      check.end();
    });
  }

  private route(client: Socket): void {
    this.track(client);
    // Until an instance takes it, the client's bytes wait in the socket (nothing reads them yet).
    client.on('error', () => client.destroy());
    this.connectUpstream(client, new Set());
  }

  private track(socket: Socket): void {
    this.connections.add(socket);
    socket.once('close', () => this.connections.delete(socket));
  }

  private nextReady(tried: ReadonlySet<BackendState>): BackendState | undefined {
    const candidates = this.states.filter((state) => state.ready && !tried.has(state));
    if (candidates.length === 0) return undefined;
    const chosen = candidates[this.turn % candidates.length];
    this.turn += 1;
    return chosen;
  }

  private connectUpstream(client: Socket, tried: Set<BackendState>): void {
    if (client.destroyed) return;
    const state = this.nextReady(tried);
    if (state === undefined) {
      resetSocket(client);
      return;
    }
    tried.add(state);
    const upstream = connect({ host: state.backend.host, port: state.backend.port, allowHalfOpen: true });
    this.track(upstream);
    const abandon = () => upstream.destroy();
    client.once('close', abandon);
    upstream.once('error', () => {
      client.off('close', abandon);
      this.setReady(state, false);
      this.connectUpstream(client, tried);
    });
    upstream.once('connect', () => {
      upstream.removeAllListeners('error');
      client.off('close', abandon);
      splice(client, upstream);
    });
  }
}

/**
 * Copies bytes both ways; an end in one direction is passed on (half-close, as TCP has it), and a
 * reset or error on either side resets the other, so a client sees an instance's crash as one.
 */
function splice(client: Socket, upstream: Socket): void {
  client.pipe(upstream);
  upstream.pipe(client);
  client.removeAllListeners('error');
  client.on('error', () => resetSocket(upstream));
  upstream.on('error', () => resetSocket(client));
  client.once('close', (hadError) => {
    if (hadError) resetSocket(upstream);
  });
  upstream.once('close', (hadError) => {
    if (hadError) resetSocket(client);
  });
}
