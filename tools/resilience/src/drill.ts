import { cpus, totalmem } from 'node:os';
import { waitFor } from '@keel/testing';
import { postCardPayment, runOpenLoop, type CardPaymentAnswer, type TrafficPlan } from '@keel/traffic';

export {
  addSimulatorFault,
  removeSimulatorFault,
  chargeTruth,
  simulatorCharges,
  type ChargeTruth,
  type SimulatorCharge,
  type TrafficPlan,
} from '@keel/traffic';

/** What every scenario shares: open-loop card traffic, the drain, psp-sim faults and ground truth. */

export const MERCHANT_ID = 'merchant_resilience';
export const TERMINAL_PAYMENT_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'partially_failed',
]);

export interface SentPayment {
  readonly atMs: number;
  paymentId?: string;
  /** The payment's status, or `http_<code>` / `http_error` when it was not accepted. */
  status?: string;
  paymentOrderIds?: readonly string[];
}

export interface PaymentTally {
  readonly sent: number;
  readonly accepted: number;
  readonly completed: number;
  readonly failed: number;
  readonly notTerminal: number;
}

/** A positive number from the environment, else the default; a malformed value stops the run. */
export function numberSetting(
  name: string,
  fallback: number,
  environment: NodeJS.ProcessEnv = process.env,
): number {
  const raw = environment[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** One approved card payment of 10,000 KRW from the drills' merchant to its seller. */
export function postDrillPayment(paymentUrl: string): Promise<CardPaymentAnswer> {
  return postCardPayment(paymentUrl, {
    merchantId: MERCHANT_ID,
    sellerId: 'seller_resilience',
    amountMinor: 10_000n,
    checkoutPrefix: 'resilience',
  });
}

/** Open loop: a card payment every 1/rate seconds on a fixed schedule, whatever the answers take. */
export async function sendCardTraffic(paymentUrl: string, plan: TrafficPlan): Promise<SentPayment[]> {
  const sent: SentPayment[] = [];
  await runOpenLoop(plan, async () => {
    const entry: SentPayment = { atMs: Date.now() };
    sent.push(entry);
    const answer = await postDrillPayment(paymentUrl);
    if (answer.paymentId !== undefined) entry.paymentId = answer.paymentId;
    else entry.status = answer.httpStatus === undefined ? 'http_error' : `http_${answer.httpStatus}`;
  });
  return sent;
}

async function refreshPayment(paymentUrl: string, sent: SentPayment): Promise<void> {
  if (sent.paymentId === undefined) return;
  const response = await fetch(`${paymentUrl}/v1/payments/${sent.paymentId}`, {
    headers: { 'keel-merchant-id': MERCHANT_ID },
  });
  const body = (await response.json()) as { status: string; orders: { id: string }[] };
  sent.status = body.status;
  sent.paymentOrderIds = body.orders.map((order) => order.id);
}

const isTerminal = (sent: SentPayment): boolean => TERMINAL_PAYMENT_STATUSES.has(sent.status ?? '');

/** Polls every accepted payment until all are terminal or `timeoutMs` passes (then some are not). */
export async function drainPayments(
  paymentUrl: string,
  sent: SentPayment[],
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () => {
      await Promise.all(
        sent
          .filter((entry) => entry.paymentId !== undefined && !isTerminal(entry))
          .map((entry) => refreshPayment(paymentUrl, entry)),
      );
      return sent.every((entry) => entry.paymentId === undefined || isTerminal(entry));
    },
    { timeoutMs, intervalMs: 1_000, description: 'every payment terminal' },
  ).catch(() => undefined);
}

export function tallyPayments(sent: readonly SentPayment[]): PaymentTally {
  return {
    sent: sent.length,
    accepted: sent.filter((entry) => entry.paymentId !== undefined).length,
    completed: sent.filter((entry) => entry.status === 'completed').length,
    failed: sent.filter((entry) => entry.status !== 'completed' && isTerminal(entry)).length,
    notTerminal: sent.filter((entry) => !isTerminal(entry)).length,
  };
}

export function machineLine(): string {
  return `Machine: ${cpus().length} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}.`;
}

export const percent = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`;
