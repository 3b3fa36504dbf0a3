import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { WebhookRequest } from '@keel/psp-sim-domain';

/**
 * An idle connection is closed after this long, before the 5 s keep-alive timeout of Node's HTTP
 * server (receivers announcing a shorter one in `Keep-Alive: timeout=` are honoured by the agent),
 * so that a webhook is rarely written on a connection the receiver is just closing.
 */
const IDLE_CONNECTION_MS = 4_000;

export interface PooledWebhookTransportOptions {
  /** Connections per receiver (host and port); further webhooks wait for a free one. */
  readonly maxSocketsPerReceiver: number;
}

/** Where one webhook URL points, parsed once: psp-sim posts to one configured URL per PSP. */
interface Destination {
  readonly send: typeof httpRequest;
  readonly options: RequestOptions;
}

/**
 * Posts webhooks with node:http over kept-alive connections. psp-sim shares its cores with the
 * system it simulates PSPs for, and fetch cost about 1 ms more CPU per webhook (web streams,
 * request cloning, a composite AbortSignal per attempt) than a plain request on a pooled socket.
 */
export class PooledWebhookTransport {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly destinations = new Map<string, Destination>();
  /** Requests in flight by the signal that cancels them: one abort listener per signal, not per request. */
  private readonly sending = new WeakMap<AbortSignal, Set<ClientRequest>>();

  constructor(options: PooledWebhookTransportOptions) {
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSocketsPerReceiver,
      timeout: IDLE_CONNECTION_MS,
    };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
  }

  /**
   * One POST; resolves with the status once the answer's head arrives (its body is drained and
   * discarded, which frees the connection), rejects on network errors, on `request.signal`, and
   * when no answer came within `request.timeoutMs` (time waiting for a free connection included).
   */
  post(request: WebhookRequest): Promise<number> {
    if (request.signal.aborted) return Promise.reject(abortedError());
    const { send, options } = this.destinationOf(request.url);
    return new Promise((resolve, reject) => {
      const headers = { ...request.headers, 'content-length': Buffer.byteLength(request.body) };
      const outgoing = send({ ...options, headers }, (incoming: IncomingMessage) => {
        clearTimeout(deadline);
        // A connection cut while the unread body drains must not surface as an unhandled error.
        incoming.on('error', ignore);
        incoming.resume();
        resolve(incoming.statusCode ?? 0);
      });
      const deadline = setTimeout(
        () => outgoing.destroy(new Error(`no answer within ${request.timeoutMs} ms`)),
        request.timeoutMs,
      );
      outgoing.on('error', (error) => {
        clearTimeout(deadline);
        reject(error);
      });
      this.cancelWith(request.signal, outgoing);
      outgoing.end(request.body);
    });
  }

  /** Closes every pooled connection (shutdown). */
  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }

  private destinationOf(url: string): Destination {
    let destination = this.destinations.get(url);
    if (destination === undefined) {
      const parsed = new URL(url);
      const secure = parsed.protocol === 'https:';
      destination = {
        send: secure ? httpsRequest : httpRequest,
        options: {
          method: 'POST',
          protocol: parsed.protocol,
          hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: parsed.port === '' ? undefined : Number(parsed.port),
          path: `${parsed.pathname}${parsed.search}`,
          auth: parsed.username === '' ? undefined : decodedAuth(parsed),
          agent: secure ? this.httpsAgent : this.httpAgent,
        },
      };
      this.destinations.set(url, destination);
    }
    return destination;
  }

  private cancelWith(signal: AbortSignal, outgoing: ClientRequest): void {
    let requests = this.sending.get(signal);
    if (requests === undefined) {
      const inFlight = new Set<ClientRequest>();
      signal.addEventListener(
        'abort',
        () => {
          for (const pending of inFlight) pending.destroy(abortedError());
          inFlight.clear();
        },
        { once: true },
      );
      this.sending.set(signal, inFlight);
      requests = inFlight;
    }
    const inFlight = requests;
    inFlight.add(outgoing);
    outgoing.once('close', () => inFlight.delete(outgoing));
  }
}

function decodedAuth(url: URL): string {
  return `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
}

function abortedError(): Error {
  return new Error('webhook abandoned: the simulator was reset or is shutting down');
}

const ignore = (): undefined => undefined;
