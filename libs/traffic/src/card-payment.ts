import { randomUUID } from 'node:crypto';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';

export interface CardPaymentRequest {
  /** The merchant's API key: the payment is the key's merchant's (KeelSystem.keys() makes one). */
  readonly apiKey: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  /** Prefix of the checkout id, so a run's payments can be told apart. */
  readonly checkoutPrefix: string;
  /** A psp-sim card token (apps/psp-sim/API.md); `tok_approve` by default. */
  readonly token?: string;
  /** The card's issuer; `shinhan` by default. */
  readonly issuer?: string;
  /** Another method than a card, as the API takes it (e.g. `{ type: 'easy_pay', provider, token }`). */
  readonly paymentMethod?: Readonly<Record<string, string>>;
  /** How long to wait for the answer before counting the request as unanswered; 30 s by default. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export interface PaymentAnswer {
  /** Undefined when no HTTP answer came in time (connection refused, reset, timed out). */
  readonly httpStatus?: number;
  /** Set on 202 Accepted. */
  readonly paymentId?: string;
  /** The problem+json `type` of a refusal (4xx/5xx), when its body has one. */
  readonly problemType?: string;
  readonly retryAfter?: string;
  /**
   * Why no answer came: the socket error's code (`ECONNRESET`, `ECONNREFUSED`, …) or `timeout` when
   * none came within the request's timeout (else the error's message), with `(reused connection)`
   * when the request went out on a kept-alive connection that an earlier request had opened.
   */
  readonly failure?: string;
  readonly answeredAtMs: number;
}

/** An answer with what identifies its checkout, for a checker that looks the payment up later. */
export interface CardPaymentAnswer extends PaymentAnswer {
  readonly idempotencyKey: string;
  /** `<checkoutPrefix>-<idempotencyKey>`. */
  readonly checkoutId: string;
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/**
 * node:http on kept-alive connections rather than fetch: a load generator sends hundreds of these
 * a second on the cores it measures, and fetch cost about 1.2 ms more CPU per request (its web
 * streams and per-request AbortSignal), a quarter of a core at 200 requests/s.
 *
 * The agent needs a socket timeout of its own to honour the server's `Keep-Alive: timeout=5` hint
 * (Node 20 applies the hint only below it): it then closes an idle connection a second before the
 * server's hint runs out. Without one it kept idle connections until the server closed them, and a
 * request sent on one as the server closed it was reset unanswered (a few in a restart drill).
 */
const keptAlive = new Agent({ keepAlive: true, timeout: DEFAULT_TIMEOUT_MS });

function postJson(
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      url,
      {
        method: 'POST',
        agent: keptAlive,
        timeout: timeoutMs,
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            headers: incoming.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new RequestTimeoutError(timeoutMs)));
    outgoing.on('error', (error) => reject(new NoAnswerError(error, outgoing.reusedSocket)));
    outgoing.end(body);
  });
}

class RequestTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

class NoAnswerError extends Error {
  readonly failure: string;

  constructor(cause: NodeJS.ErrnoException, reusedConnection: boolean) {
    super(cause.message, { cause });
    const reason = cause instanceof RequestTimeoutError ? 'timeout' : (cause.code ?? cause.message);
    this.failure = reusedConnection ? `${reason} (reused connection)` : reason;
  }
}

const failureOf = (error: unknown): string =>
  error instanceof NoAnswerError ? error.failure : error instanceof Error ? error.message : String(error);

function paymentIdOf(answer: HttpAnswer): string | undefined {
  if (answer.status !== 202) return undefined;
  const body = JSON.parse(answer.body) as { id?: unknown };
  return typeof body.id === 'string' ? body.id : undefined;
}

/** A refusal's problem `type`; undefined for a success or a body that is not a problem document. */
function problemTypeOf(answer: HttpAnswer): string | undefined {
  if (answer.status < 400) return undefined;
  try {
    const body = JSON.parse(answer.body) as { type?: unknown };
    return typeof body.type === 'string' ? body.type : undefined;
  } catch {
    return undefined;
  }
}

/** `POST /v1/payments` for one card payment in KRW to one seller, with a fresh idempotency key. */
export async function postCardPayment(
  paymentUrl: string,
  request: CardPaymentRequest,
): Promise<CardPaymentAnswer> {
  const key = randomUUID();
  const checkoutId = `${request.checkoutPrefix}-${key}`;
  try {
    const headers = {
      'content-type': 'application/json',
      'idempotency-key': key,
      authorization: `Bearer ${request.apiKey}`,
    };
    const answer = await postJson(
      `${paymentUrl}/v1/payments`,
      headers,
      JSON.stringify({
        checkoutId,
        currency: 'KRW',
        buyer: { id: `buyer_${key.slice(0, 12)}`, country: 'KR' },
        paymentMethod: request.paymentMethod ?? {
          type: 'card',
          token: request.token ?? 'tok_approve',
          issuer: request.issuer ?? 'shinhan',
        },
        // KRW has no minor unit beyond the won, and the API takes amounts as JSON integers.
        orders: [{ sellerId: request.sellerId, amount: Number(request.amountMinor) }],
      }),
      request.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    );
    const retryAfter = answer.headers['retry-after'];
    return {
      idempotencyKey: key,
      checkoutId,
      httpStatus: answer.status,
      paymentId: paymentIdOf(answer),
      problemType: problemTypeOf(answer),
      retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
      answeredAtMs: Date.now(),
    };
  } catch (error) {
    return { idempotencyKey: key, checkoutId, failure: failureOf(error), answeredAtMs: Date.now() };
  }
}
