import { cpus, totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KeelSystem } from '@keel/local-system';
import { waitFor } from '@keel/testing';
import {
  addSimulatorFault,
  chargeTruth,
  postCardPayment,
  removeSimulatorFault,
  runOpenLoop,
  simulatorCharges,
  TERMINAL_PAYMENT_STATUSES,
  type CardPaymentAnswer,
  type ChargeTruth,
  type DrillPaymentApi,
  type SimulatorCharge,
  type TrafficPlan,
} from '@keel/traffic';

export type { ChargeTruth, SimulatorCharge };

/** What every scenario shares: open-loop card traffic, the drain, psp-sim faults and ground truth. */

export const MERCHANT_ID = 'merchant_resilience';

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

export async function drillPaymentApi(system: KeelSystem): Promise<DrillPaymentApi> {
  return { url: system.url('payment'), apiKey: await system.keys().keyFor(MERCHANT_ID) };
}

/** One approved card payment of 10,000 KRW from the drills' merchant to its seller. */
export function postDrillPayment(payment: DrillPaymentApi): Promise<CardPaymentAnswer> {
  return postCardPayment(payment.url, {
    apiKey: payment.apiKey,
    sellerId: 'seller_resilience',
    amountMinor: 10_000n,
    checkoutPrefix: 'resilience',
  });
}

/** Open loop: a card payment every 1/rate seconds on a fixed schedule, whatever the answers take. */
async function sendCardTraffic(payment: DrillPaymentApi, plan: TrafficPlan): Promise<SentPayment[]> {
  const sent: SentPayment[] = [];
  await runOpenLoop(plan, async () => {
    const entry: SentPayment = { atMs: Date.now() };
    sent.push(entry);
    const answer = await postDrillPayment(payment);
    if (answer.paymentId !== undefined) entry.paymentId = answer.paymentId;
    else entry.status = answer.httpStatus === undefined ? 'http_error' : `http_${answer.httpStatus}`;
  });
  return sent;
}

async function refreshPayment(payment: DrillPaymentApi, sent: SentPayment): Promise<void> {
  if (sent.paymentId === undefined) return;
  const response = await fetch(`${payment.url}/v1/payments/${sent.paymentId}`, {
    headers: { authorization: `Bearer ${payment.apiKey}` },
  });
  const body = (await response.json()) as { status: string; orders: { id: string }[] };
  sent.status = body.status;
  sent.paymentOrderIds = body.orders.map((order) => order.id);
}

const isTerminal = (sent: SentPayment): boolean => TERMINAL_PAYMENT_STATUSES.has(sent.status ?? '');

/** Polls every accepted payment until all are terminal or `timeoutMs` passes (then some are not). */
async function drainPayments(
  payment: DrillPaymentApi,
  sent: SentPayment[],
  timeoutMs: number,
): Promise<void> {
  await waitFor(
    async () => {
      await Promise.all(
        sent
          .filter((entry) => entry.paymentId !== undefined && !isTerminal(entry))
          .map((entry) => refreshPayment(payment, entry)),
      );
      return sent.every((entry) => entry.paymentId === undefined || isTerminal(entry));
    },
    { timeoutMs, intervalMs: 1_000, description: 'every payment terminal' },
  ).catch(() => undefined);
}

/** Seconds into the traffic between which a psp-sim fault is in force. */
export interface FaultWindow {
  readonly fromS: number;
  readonly untilS: number;
}

export interface TrafficUnderFault {
  readonly payment: DrillPaymentApi;
  readonly simUrl: string;
  readonly plan: Omit<TrafficPlan, 'startMs'>;
  /** A psp-sim fault, as POST /admin/faults takes it. */
  readonly fault: Readonly<Record<string, unknown>>;
  /** When the fault is in force; from before the first payment until the last is sent when absent. */
  readonly window?: FaultWindow;
  readonly drainTimeoutMs: number;
}

interface SentTraffic {
  readonly sent: SentPayment[];
  readonly startMs: number;
}

async function faultThroughout(run: TrafficUnderFault): Promise<SentTraffic> {
  const faultId = await addSimulatorFault(run.simUrl, run.fault);
  const startMs = Date.now();
  const sent = await sendCardTraffic(run.payment, { ...run.plan, startMs });
  await removeSimulatorFault(run.simUrl, faultId);
  return { sent, startMs };
}

async function faultDuring(run: TrafficUnderFault, window: FaultWindow): Promise<SentTraffic> {
  const startMs = Date.now();
  const faults = (async () => {
    await sleep(startMs + window.fromS * 1_000 - Date.now());
    const faultId = await addSimulatorFault(run.simUrl, run.fault);
    await sleep(startMs + window.untilS * 1_000 - Date.now());
    await removeSimulatorFault(run.simUrl, faultId);
  })();
  const [sent] = await Promise.all([sendCardTraffic(run.payment, { ...run.plan, startMs }), faults]);
  return { sent, startMs };
}

export interface TrafficOutcome extends SentTraffic {
  readonly tally: PaymentTally;
  /** Every charge psp-sim holds once the payments are drained, and the ground truth read from them. */
  readonly charges: readonly SimulatorCharge[];
  readonly truth: ChargeTruth;
}

/**
 * Open-loop card traffic with a psp-sim fault in force, then the drain (every accepted payment
 * polled until it is terminal or `drainTimeoutMs` has passed), then how the payments ended and
 * what psp-sim charged.
 */
export async function sendCardTrafficUnderFault(run: TrafficUnderFault): Promise<TrafficOutcome> {
  const traffic = run.window === undefined ? await faultThroughout(run) : await faultDuring(run, run.window);
  await drainPayments(run.payment, traffic.sent, run.drainTimeoutMs);
  const charges = await simulatorCharges(run.simUrl);
  return { ...traffic, tally: tallyPayments(traffic.sent), charges, truth: chargeTruth(charges) };
}

function tallyPayments(sent: readonly SentPayment[]): PaymentTally {
  return {
    sent: sent.length,
    accepted: sent.filter((entry) => entry.paymentId !== undefined).length,
    completed: sent.filter((entry) => entry.status === 'completed').length,
    failed: sent.filter((entry) => entry.status !== 'completed' && isTerminal(entry)).length,
    notTerminal: sent.filter((entry) => !isTerminal(entry)).length,
  };
}

/** The opening of every drill's report: its title, the command that ran it, when, and on what machine. */
export function reportOpening(title: string, command: string, startedAt: Date): string[] {
  return [
    `# ${title}`,
    '',
    `Command: \`${command}\``,
    '',
    `Date: ${startedAt.toISOString()}`,
    '',
    machineLine(),
    '',
  ];
}

function machineLine(): string {
  return `Machine: ${cpus().length} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, Node ${process.version}, ${process.platform}/${process.arch}.`;
}

export const percent = (part: number, whole: number): string =>
  whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`;
