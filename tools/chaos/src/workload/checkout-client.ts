import { setTimeout as sleep } from 'node:timers/promises';
import type { MerchantKeys } from '@keel/local-system';
import type { PlannedCheckout } from './checkout-plan';
import { retryAfterMsOf, retryDelayMs, type AttemptOutcome, type RetryPolicy } from './retry-policy';

/** One HTTP attempt of one copy of a checkout, as the client saw it. */
export interface AttemptRecord {
  readonly copy: number;
  readonly attempt: number;
  readonly startedAtMs: number;
  readonly latencyMs: number;
  /** The HTTP status, or `timeout` / `network_error`. */
  readonly status: number | 'timeout' | 'network_error';
  readonly paymentId?: string;
  /** The problem+json `type` of a refusal, e.g. `https://keel.dev/problems/method_unavailable`. */
  readonly problemType?: string;
}

/** Everything the clients of one checkout did; `paymentId` is the first 2xx answer's. */
export interface CheckoutRecord {
  readonly planned: PlannedCheckout;
  readonly attempts: AttemptRecord[];
  paymentId?: string;
}

/** The `type` of a problem+json body; undefined for any other body. */
function problemTypeOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { type?: unknown };
    return typeof body.type === 'string' ? body.type : undefined;
  } catch {
    return undefined;
  }
}

async function attemptOnce(
  paymentUrl: string,
  keys: MerchantKeys,
  planned: PlannedCheckout,
  timeoutMs: number,
): Promise<{ outcome: AttemptOutcome; paymentId?: string; problemType?: string }> {
  // Made before the run starts (runWorkload), so a fault on the database never fails this.
  const authorization = await keys.authorizationFor(planned.merchantId);
  try {
    const response = await fetch(`${paymentUrl}/v1/payments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': planned.idempotencyKey,
        authorization,
      },
      body: JSON.stringify(planned.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const retryAfterMs = retryAfterMsOf(response.headers.get('retry-after'));
    const outcome: AttemptOutcome =
      retryAfterMs === undefined
        ? { kind: 'answered', status: response.status }
        : { kind: 'answered', status: response.status, retryAfterMs };
    if (!response.ok) {
      const problemType = problemTypeOf(text);
      return problemType === undefined ? { outcome } : { outcome, problemType };
    }
    const body = JSON.parse(text) as { id?: unknown };
    return typeof body.id === 'string' ? { outcome, paymentId: body.id } : { outcome };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
      return { outcome: { kind: 'timeout' } };
    return {
      outcome: { kind: 'network_error', message: error instanceof Error ? error.message : String(error) },
    };
  }
}

async function runCopy(
  paymentUrl: string,
  keys: MerchantKeys,
  record: CheckoutRecord,
  copy: number,
  policy: RetryPolicy,
): Promise<void> {
  const firstStartedAtMs = Date.now();
  for (let attempt = 1; ; attempt += 1) {
    const startedAtMs = Date.now();
    const { outcome, paymentId, problemType } = await attemptOnce(
      paymentUrl,
      keys,
      record.planned,
      policy.requestTimeoutMs,
    );
    const status = outcome.kind === 'answered' ? outcome.status : outcome.kind;
    record.attempts.push({
      copy,
      attempt,
      startedAtMs,
      latencyMs: Date.now() - startedAtMs,
      status,
      ...(paymentId === undefined ? {} : { paymentId }),
      ...(problemType === undefined ? {} : { problemType }),
    });
    if (paymentId !== undefined && record.paymentId === undefined) record.paymentId = paymentId;
    const progress = { attempt, elapsedMs: Date.now() - firstStartedAtMs };
    const delayMs = retryDelayMs(outcome, progress, policy, Math.random);
    if (delayMs === undefined) return;
    await sleep(delayMs);
  }
}

/**
 * Sends one checkout as a buyer's client would: each copy retries with the same key and body
 * until an answer that is final or its patience runs out. Never throws: bad luck is recorded.
 */
export async function sendCheckout(
  paymentUrl: string,
  keys: MerchantKeys,
  planned: PlannedCheckout,
  policy: RetryPolicy,
): Promise<CheckoutRecord> {
  const record: CheckoutRecord = { planned, attempts: [] };
  const copies = Array.from({ length: planned.concurrentCopies }, (_, copy) =>
    runCopy(paymentUrl, keys, record, copy + 1, policy),
  );
  await Promise.all(copies);
  return record;
}
