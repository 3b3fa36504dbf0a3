import type { IncomingHttpHeaders } from 'node:http';
import { Agent, type Dispatcher } from 'undici';
import { PspProtocolError, PspUnavailableError, PspUnknownOutcomeError } from '../psp.error';
import { parseRetryAfterMs } from './retry-after.util';

export interface PspHttpSettings {
  /** The whole exchange, from connecting to the last byte of the body. */
  readonly timeoutMs: number;
  /** Larger answers are not read; a PSP that sends one is misbehaving. */
  readonly responseBodyBytesMax: number;
  /** Keep-alive connections to the PSP at most; more requests at once wait for a free one. */
  readonly connectionsMax: number;
}

export const DEFAULT_PSP_CONNECTIONS_MAX = 64;

export interface PspHttpRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface PspHttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

// Errors that happen while connecting, before a byte of the request left: the PSP cannot have
// processed anything. Everything else (a reset, a closed socket, a timeout) may come after it did.
const NOT_SENT_ERROR_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

// undici's errors may come from another realm (a VM context, a test runner), where `instanceof`
// fails; so they are read by their fields.
function fieldOf(value: unknown, field: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[field] : undefined;
}

function errorCodeOf(error: unknown): string | undefined {
  const code = fieldOf(error, 'code');
  return typeof code === 'string' ? code : undefined;
}

function connectFailed(error: unknown): boolean {
  // Several addresses tried in turn (happy eyeballs) fail together as an AggregateError.
  const attempts = fieldOf(error, 'errors');
  if (Array.isArray(attempts)) {
    return attempts.length > 0 && attempts.every((each) => NOT_SENT_ERROR_CODES.has(errorCodeOf(each) ?? ''));
  }
  return NOT_SENT_ERROR_CODES.has(errorCodeOf(error) ?? '');
}

/** True when the failure happened while connecting, raised as it is or wrapped as a cause. */
function failedBeforeSending(error: unknown): boolean {
  const cause = fieldOf(error, 'cause');
  return connectFailed(error) || (cause !== undefined && connectFailed(cause));
}

function describe(error: unknown): string {
  const name = fieldOf(error, 'name');
  const message = fieldOf(error, 'message');
  const text = typeof message === 'string' ? `${String(name)}: ${message}` : String(error);
  const code = errorCodeOf(fieldOf(error, 'cause')) ?? errorCodeOf(error);
  return code === undefined ? text : `${text} (${code})`;
}

function transportError(pspId: string, request: PspHttpRequest, error: unknown): Error {
  const what = `${request.method} ${new URL(request.url).pathname}`;
  if (failedBeforeSending(error)) {
    return new PspUnavailableError(pspId, `${what} not sent: ${describe(error)}`, undefined, {
      cause: error,
    });
  }
  return new PspUnknownOutcomeError(pspId, `${what} failed after sending: ${describe(error)}`, {
    cause: error,
  });
}

async function readBody(pspId: string, body: AsyncIterable<Buffer>, bytesMax: number): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.byteLength;
    // Leaving the loop cancels the stream, so the rest of the body is never read.
    if (bytes > bytesMax) break;
    chunks.push(chunk);
  }
  if (bytes > bytesMax) throw new PspProtocolError(pspId, `response body larger than ${bytesMax} bytes`);
  return Buffer.concat(chunks).toString('utf8');
}

function headersOf(raw: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    for (const each of Array.isArray(value) ? value : [value]) headers.append(name, each);
  }
  return headers;
}

function classifyStatus(
  pspId: string,
  request: PspHttpRequest,
  response: PspHttpResponse,
  nowMs: number,
): void {
  const what = `${request.method} ${new URL(request.url).pathname}`;
  if (response.status === 503 || response.status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs);
    throw new PspUnavailableError(pspId, `${what} answered ${response.status}`, retryAfterMs);
  }
  if (response.status >= 500) {
    throw new PspUnknownOutcomeError(pspId, `${what} answered ${response.status}`);
  }
}

/**
 * HTTP exchanges with one PSP over a pool of keep-alive connections (undici), each bounded in
 * time and size. Transport failures and 5xx/429 answers become typed errors that say whether the
 * PSP may have processed the request; 2xx, 3xx and 4xx answers are returned for the connector to
 * read. Redirects are never followed.
 */
export class PspHttpClient {
  private readonly dispatcher: Dispatcher;

  constructor(
    private readonly pspId: string,
    private readonly settings: PspHttpSettings,
  ) {
    this.dispatcher = new Agent({
      connections: settings.connectionsMax,
      connect: { timeout: settings.timeoutMs },
    });
  }

  async send(request: PspHttpRequest, signal?: AbortSignal): Promise<PspHttpResponse> {
    const timeout = AbortSignal.timeout(this.settings.timeoutMs);
    const combined = signal === undefined ? timeout : AbortSignal.any([timeout, signal]);
    let response: PspHttpResponse;
    try {
      const answer = await this.dispatcher.request({
        origin: new URL(request.url).origin,
        path: pathOf(request.url),
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: combined,
      });
      response = {
        status: answer.statusCode,
        headers: headersOf(answer.headers),
        body: await readBody(this.pspId, answer.body, this.settings.responseBodyBytesMax),
      };
    } catch (error) {
      if (error instanceof PspProtocolError) throw error;
      throw transportError(this.pspId, request, error);
    }
    classifyStatus(this.pspId, request, response, Date.now());
    return response;
  }

  /** Closes the pooled connections once the requests in flight are done. */
  close(): Promise<void> {
    return this.dispatcher.close();
  }
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}
