import { randomUUID } from 'node:crypto';

export interface CardPaymentRequest {
  readonly merchantId: string;
  readonly sellerId: string;
  readonly amountMinor: bigint;
  /** Prefix of the checkout id, so a run's payments can be told apart. */
  readonly checkoutPrefix: string;
  /** A psp-sim card token (apps/psp-sim/API.md); `tok_approve` by default. */
  readonly token?: string;
  /** How long to wait for the answer before counting the request as unanswered; 30 s by default. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export interface PaymentAnswer {
  /** Undefined when no HTTP answer came in time (connection refused, reset, timed out). */
  readonly httpStatus?: number;
  /** Set on 202 Accepted. */
  readonly paymentId?: string;
  readonly retryAfter?: string;
  readonly answeredAtMs: number;
}

async function paymentIdOf(response: Response): Promise<string | undefined> {
  if (response.status !== 202) {
    await response.body?.cancel();
    return undefined;
  }
  const body = (await response.json()) as { id?: unknown };
  return typeof body.id === 'string' ? body.id : undefined;
}

/** `POST /v1/payments` for one card payment in KRW to one seller, with a fresh idempotency key. */
export async function postCardPayment(
  paymentUrl: string,
  request: CardPaymentRequest,
): Promise<PaymentAnswer> {
  const key = randomUUID();
  try {
    const response = await fetch(`${paymentUrl}/v1/payments`, {
      method: 'POST',
      signal: AbortSignal.timeout(request.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'idempotency-key': key,
        'keel-merchant-id': request.merchantId,
      },
      body: JSON.stringify({
        checkoutId: `${request.checkoutPrefix}-${key}`,
        currency: 'KRW',
        buyer: { id: `buyer_${key.slice(0, 12)}`, country: 'KR' },
        paymentMethod: { type: 'card', token: request.token ?? 'tok_approve', issuer: 'shinhan' },
        // KRW has no minor unit beyond the won, and the API takes amounts as JSON integers.
        orders: [{ sellerId: request.sellerId, amount: Number(request.amountMinor) }],
      }),
    });
    const paymentId = await paymentIdOf(response);
    return {
      httpStatus: response.status,
      paymentId,
      retryAfter: response.headers.get('retry-after') ?? undefined,
      answeredAtMs: Date.now(),
    };
  } catch {
    return { answeredAtMs: Date.now() };
  }
}
