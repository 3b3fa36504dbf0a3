import type { MerchantKeys } from '@keel/local-system';
import { sumOfMetric, waitFor } from '@keel/testing';
import type { CheckoutRecord } from '../workload/checkout-client';
import { TERMINAL_PAYMENT_STATUSES } from './flow-invariants';
import { HTTP_READ_CONCURRENCY, mapBounded, paymentsOfCheckout, simulatorChargesOf } from './http-facts';

/** The metrics that say a service still has work queued: unpublished outbox rows, unread records. */
const BACKLOG_METRICS = ['keel_outbox_backlog_rows', 'keel_consumer_lag_records'] as const;
const POLL_INTERVAL_MS = 2_000;

export interface QuiescenceSources {
  readonly paymentUrl: string;
  /** The merchants' API keys the payment API is read with. */
  readonly keys: MerchantKeys;
  readonly simUrl: string;
  /** Every service instance's own url (never a balancer's), for its /metrics. */
  readonly serviceUrls: readonly string[];
  /** `Authorization` of a viewer, for /metrics (a fresh token each call). */
  readonly operatorAuthorization: () => string;
}

/** The sum of every sample of the backlog metrics in a Prometheus text exposition. */
export function backlogOf(exposition: string): number {
  return BACKLOG_METRICS.reduce((total, metric) => total + (sumOfMetric(exposition, metric) ?? 0), 0);
}

async function serviceBacklog(url: string, authorization: string): Promise<number> {
  const response = await fetch(`${url}/metrics`, {
    headers: { authorization },
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`GET ${url}/metrics answered ${response.status}`);
  return backlogOf(await response.text());
}

interface OpenPayment {
  readonly paymentId: string;
  readonly merchantId: string;
}

async function paymentStatus(paymentUrl: string, keys: MerchantKeys, payment: OpenPayment): Promise<string> {
  const response = await fetch(`${paymentUrl}/v1/payments/${payment.paymentId}`, {
    headers: { authorization: await keys.authorizationFor(payment.merchantId) },
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) return `http_${response.status}`;
  return ((await response.json()) as { status: string }).status;
}

/** Every payment Keel holds for the checkouts, answered or not: a lost answer still made one. */
async function paymentsToSettle(
  paymentUrl: string,
  keys: MerchantKeys,
  checkouts: readonly CheckoutRecord[],
): Promise<OpenPayment[]> {
  const unanswered = checkouts.filter((record) => record.paymentId === undefined);
  const found = await mapBounded(unanswered, HTTP_READ_CONCURRENCY, (record) =>
    paymentsOfCheckout(paymentUrl, keys, record.planned.merchantId, record.planned.body.checkoutId),
  );
  return [
    ...checkouts.flatMap((record) =>
      record.paymentId === undefined
        ? []
        : [{ paymentId: record.paymentId, merchantId: record.planned.merchantId }],
    ),
    ...found.flat().map((payment) => ({ paymentId: payment.id, merchantId: payment.merchantId })),
  ];
}

/** A fingerprint of psp-sim's charges: it stops changing once retries and refunds are done. */
async function simulatorFingerprint(simUrl: string): Promise<string> {
  const charges = await simulatorChargesOf(simUrl);
  return charges
    .map((charge) => `${charge.id}:${charge.status}:${charge.refundedAmountMinor}`)
    .sort()
    .join('|');
}

export interface QuiescenceOutcome {
  readonly settled: boolean;
  readonly waitedMs: number;
  readonly openPayments: number;
}

/**
 * Waits (bounded) until every payment Keel holds for the checkouts is terminal, no service has outbox backlog or
 * consumer lag, and psp-sim's charges stopped changing between two polls (late orphan refunds).
 * A run that does not settle is still checked: I7 and the others then name what is left.
 */
export async function waitForQuiescence(
  sources: QuiescenceSources,
  checkouts: readonly CheckoutRecord[],
  timeoutMs: number,
): Promise<QuiescenceOutcome> {
  const startedMs = Date.now();
  const open = new Set(await paymentsToSettle(sources.paymentUrl, sources.keys, checkouts));
  let lastFingerprint = '';
  const settled = await waitFor(
    async () => {
      const statuses = await mapBounded([...open], HTTP_READ_CONCURRENCY, (record) =>
        paymentStatus(sources.paymentUrl, sources.keys, record).then((status) => ({ record, status })),
      );
      for (const { record, status } of statuses)
        if (TERMINAL_PAYMENT_STATUSES.has(status)) open.delete(record);
      if (open.size > 0) return false;
      const authorization = sources.operatorAuthorization();
      const backlogs = await Promise.all(
        sources.serviceUrls.map((url) => serviceBacklog(url, authorization)),
      );
      if (backlogs.some((backlog) => backlog > 0)) return false;
      const fingerprint = await simulatorFingerprint(sources.simUrl);
      const stable = fingerprint === lastFingerprint;
      lastFingerprint = fingerprint;
      return stable;
    },
    { timeoutMs, intervalMs: POLL_INTERVAL_MS, description: 'the system quiescent' },
  ).then(
    () => true,
    () => false,
  );
  return { settled, waitedMs: Date.now() - startedMs, openPayments: open.size };
}
