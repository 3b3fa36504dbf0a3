import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { waitFor } from '@keel/testing';

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

export interface TrafficPlan {
  readonly ratePerSecond: number;
  readonly durationS: number;
  readonly startMs: number;
}

export interface PaymentTally {
  readonly sent: number;
  readonly accepted: number;
  readonly completed: number;
  readonly failed: number;
  readonly notTerminal: number;
}

export interface SimulatorCharge {
  readonly psp: string;
  readonly idempotencyKey: string;
  readonly status: string;
  readonly attempts: number;
}

export interface ChargeTruth {
  readonly chargedOrders: number;
  readonly ordersChargedMoreThanOnce: number;
  readonly chargesByPsp: Readonly<Record<string, number>>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A positive number from the environment, else the default; a malformed value stops the run. */
export function numberSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

async function sendPayment(paymentUrl: string, sent: SentPayment): Promise<void> {
  const id = randomUUID();
  const response = await fetch(`${paymentUrl}/v1/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': id, 'keel-merchant-id': MERCHANT_ID },
    body: JSON.stringify({
      checkoutId: `resilience-${id}`,
      currency: 'KRW',
      buyer: { id: `buyer_${id.slice(0, 12)}`, country: 'KR' },
      paymentMethod: { type: 'card', token: 'tok_approve', issuer: 'shinhan' },
      orders: [{ sellerId: 'seller_resilience', amount: 10_000 }],
    }),
  });
  const body = (await response.json()) as { id?: string };
  if (response.status === 202 && body.id !== undefined) sent.paymentId = body.id;
  else sent.status = `http_${response.status}`;
}

/** Open loop: a card payment every 1/rate seconds on a fixed schedule, whatever the answers take. */
export async function sendCardTraffic(paymentUrl: string, plan: TrafficPlan): Promise<SentPayment[]> {
  const sent: SentPayment[] = [];
  const requests: Promise<void>[] = [];
  const total = Math.round(plan.ratePerSecond * plan.durationS);
  for (let index = 0; index < total; index += 1) {
    await sleep(plan.startMs + (index * 1_000) / plan.ratePerSecond - Date.now());
    const entry: SentPayment = { atMs: Date.now() };
    sent.push(entry);
    requests.push(sendPayment(paymentUrl, entry).catch(() => void (entry.status = 'http_error')));
  }
  await Promise.all(requests);
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

/** Adds a psp-sim fault; returns its id for `removeSimulatorFault`. */
export async function addSimulatorFault(
  simUrl: string,
  fault: Readonly<Record<string, unknown>>,
): Promise<string> {
  const response = await fetch(`${simUrl}/admin/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (!response.ok) throw new Error(`POST /admin/faults answered ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}

export async function removeSimulatorFault(simUrl: string, id: string): Promise<void> {
  const response = await fetch(`${simUrl}/admin/faults/${id}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE /admin/faults/${id} answered ${response.status}`);
}

export async function simulatorCharges(simUrl: string): Promise<SimulatorCharge[]> {
  return (await (await fetch(`${simUrl}/admin/charges`)).json()) as SimulatorCharge[];
}

/** The simulator's ground truth: approved charges per idempotency key (= payment order id), at any PSP. */
export function chargeTruth(charges: readonly SimulatorCharge[]): ChargeTruth {
  const perKey = new Map<string, number>();
  const chargesByPsp: Record<string, number> = {};
  for (const charge of charges.filter((candidate) => candidate.status === 'approved')) {
    perKey.set(charge.idempotencyKey, (perKey.get(charge.idempotencyKey) ?? 0) + 1);
    chargesByPsp[charge.psp] = (chargesByPsp[charge.psp] ?? 0) + 1;
  }
  return {
    chargedOrders: perKey.size,
    ordersChargedMoreThanOnce: [...perKey.values()].filter((count) => count > 1).length,
    chargesByPsp,
  };
}

export function machineLine(): string {
  return `Machine: ${cpus().length} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}.`;
}

export const percent = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`;
