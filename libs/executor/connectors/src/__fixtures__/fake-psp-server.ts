import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '../secret';
import type { PspConnectionSettings } from '../psp-settings';

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type FakeAnswer =
  | { readonly status: number; readonly body?: unknown; readonly headers?: Record<string, string> }
  /** Never answers: the client's timeout must end the exchange. */
  | 'hang'
  /** Reads the request, then cuts the connection without a word. */
  | 'reset';

type Responder = (request: RecordedRequest) => FakeAnswer;

/** A local HTTP server standing in for a PSP in unit tests of the wire format. */
export class FakePspServer {
  readonly requests: RecordedRequest[] = [];
  private responder: Responder = () => ({ status: 500, body: { error: 'no responder' } });
  private readonly hung: ServerResponse[] = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakePspServer> {
    let fake: FakePspServer | undefined;
    const server = createServer((request, response) => fake?.handle(request, response));
    fake = new FakePspServer(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Settings pointing a connector at this server, with test secrets and short limits. */
  connectionSettings(overrides: Partial<PspConnectionSettings> = {}): PspConnectionSettings {
    return {
      baseUrl: this.baseUrl,
      timeoutMs: 1_000,
      responseBodyBytesMax: 65_536,
      webhookSecret: new Secret('whsec_test'),
      webhookToleranceMs: 300_000,
      ...overrides,
    };
  }

  respond(responder: Responder): void {
    this.responder = responder;
  }

  /** Answers each request with the next of `answers`, the last one repeated. */
  respondInTurn(...answers: FakeAnswer[]): void {
    let next = 0;
    this.responder = () => answers[Math.min(next++, answers.length - 1)] ?? 'reset';
  }

  async stop(): Promise<void> {
    for (const response of this.hung) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(recorded);
      this.answer(this.responder(recorded), response);
    });
  }

  private answer(answer: FakeAnswer, response: ServerResponse): void {
    if (answer === 'hang') {
      this.hung.push(response);
      return;
    }
    if (answer === 'reset') {
      response.socket?.destroy();
      return;
    }
    const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    response.end(body);
  }
}

/** A port nothing listens on: bound, read and released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
