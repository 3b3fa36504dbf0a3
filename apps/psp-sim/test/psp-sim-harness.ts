import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { novaSign } from '../src/nova/nova-sign';
import { loadPspSimEnvironment } from '../src/psp-sim.environment';
import { runPspSim, type RunningPspSim } from '../src/run-psp-sim';

export const ACME_HEADERS = { authorization: 'Bearer acme_test_key', 'content-type': 'application/json' };
export const SWIFTPAY_HEADERS = { 'x-swift-key': 'swift_test_key', 'content-type': 'application/json' };
const NOVA_MID = 'nova_mid_test';
const NOVA_SECRET = 'nova_secret_test';

/** The simulator in this process on free ports, quiet, with a fixed seed. */
export function startSimulator(overrides: NodeJS.ProcessEnv = {}): Promise<RunningPspSim> {
  return runPspSim(
    loadPspSimEnvironment({
      PSP_SIM_PORT: '0',
      PSP_SIM_ACME_PORT: '0',
      PSP_SIM_NOVA_PORT: '0',
      PSP_SIM_SWIFTPAY_PORT: '0',
      PSP_SIM_SEED: '1',
      LOG_LEVEL: 'warn',
      KEEL_PROFILE: 'local',
      ...overrides,
    }),
  );
}

let keySequence = 0;

/** A fresh idempotency key, as Keel's payment order ids are. */
export function newKey(label: string): string {
  keySequence += 1;
  return `po_${label}_${process.pid}_${keySequence}_${Date.now()}`;
}

export function postJson(url: string, body: unknown, headers: Record<string, string>, signal?: AbortSignal) {
  return fetch(url, { method: 'POST', headers, body: JSON.stringify(body), signal });
}

/** A signed nova form: `sign` over (order number or tid, amount) as API.md says. */
export function novaForm(
  fields: Record<string, string>,
  signed: { orderNo: string; amt: string },
): URLSearchParams {
  return new URLSearchParams({
    mid: NOVA_MID,
    ...fields,
    sign: novaSign(NOVA_MID, signed.orderNo, signed.amt, NOVA_SECRET),
  });
}

export function postForm(url: string, form: URLSearchParams) {
  return fetch(url, { method: 'POST', body: form });
}

export interface AdminCharge {
  psp: string;
  id: string;
  idempotencyKey: string;
  amountMinor: string;
  currency: string;
  status: string;
  method: string;
  issuer?: string;
  createdAt: string;
  settledAt?: string;
  refundedAmountMinor: string;
  feeMinor: string;
  attempts: number;
}

export async function adminCharges(sim: RunningPspSim, idempotencyKey: string): Promise<AdminCharge[]> {
  const response = await fetch(
    `${sim.url}/admin/charges?idempotencyKey=${encodeURIComponent(idempotencyKey)}`,
  );
  if (response.status !== 200) throw new Error(`GET /admin/charges answered ${response.status}`);
  return (await response.json()) as AdminCharge[];
}

export async function addFault(sim: RunningPspSim, fault: Record<string, unknown>): Promise<string> {
  const response = await postJson(`${sim.url}/admin/faults`, fault, { 'content-type': 'application/json' });
  if (response.status !== 201)
    throw new Error(`POST /admin/faults answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

export interface ReceivedWebhook {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

/** A merchant's webhook endpoint: records every delivery; answers 500 to the first `failFirst`. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  failFirst = 0;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received.push({
          path: request.url ?? '',
          headers: request.headers,
          rawBody: Buffer.concat(chunks).toString('utf8'),
        });
        const failing = this.failFirst > 0;
        if (failing) this.failFirst -= 1;
        response.statusCode = failing ? 500 : 200;
        response.end();
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  deliveriesTo(path: string): ReceivedWebhook[] {
    return this.received.filter((webhook) => webhook.path === path);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * Checks `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` the way a merchant would,
 * independently of the simulator's signing code.
 */
export function hasValidSignature(
  header: string | string[] | undefined,
  rawBody: string,
  secret: string,
): boolean {
  if (typeof header !== 'string') return false;
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (match === null) return false;
  const [, timestamp, signature] = match as unknown as [string, string, string];
  const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest();
  const ageSeconds = Math.abs(Date.now() / 1000 - Number(timestamp));
  return ageSeconds < 300 && timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
