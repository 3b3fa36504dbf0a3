import { spawn, type ChildProcess } from 'node:child_process';
import { workspaceRoot } from '@keel/local-infra';
import { waitFor } from '@keel/testing';
import { freePort } from '@keel/local-system';

export type SimPort = 'main' | 'acme' | 'nova' | 'swiftpay';

/** One charge as psp-sim's admin API reports it (API.md). */
export interface SimCharge {
  readonly psp: string;
  readonly id: string;
  readonly idempotencyKey: string;
  readonly amountMinor: string;
  readonly status: string;
  readonly attempts: number;
}

/** The real simulator (apps/psp-sim) in a child process on free ports, with its admin API. */
export class PspSimProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Readonly<Record<SimPort, number>>,
  ) {}

  static async start(environment: Record<string, string> = {}): Promise<PspSimProcess> {
    const ports = {
      main: await freePort(),
      acme: await freePort(),
      nova: await freePort(),
      swiftpay: await freePort(),
    };
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/psp-sim/src/main.ts'], {
      cwd: workspaceRoot(),
      env: {
        ...process.env,
        PSP_SIM_PORT: String(ports.main),
        PSP_SIM_ACME_PORT: String(ports.acme),
        PSP_SIM_NOVA_PORT: String(ports.nova),
        PSP_SIM_SWIFTPAY_PORT: String(ports.swiftpay),
        LOG_LEVEL: 'warn',
        KEEL_PROFILE: 'local',
        ...environment,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const simulator = new PspSimProcess(child, ports);
    try {
      await waitFor(async () => (await fetch(`${simulator.url('main')}/health/live`)).ok, {
        timeoutMs: 30_000,
        description: 'psp-sim /health/live',
      });
    } catch (error) {
      await simulator.stop();
      throw error;
    }
    return simulator;
  }

  url(port: SimPort): string {
    return `http://127.0.0.1:${this.ports[port]}`;
  }

  async charges(idempotencyKey: string): Promise<SimCharge[]> {
    const response = await fetch(
      `${this.url('main')}/admin/charges?idempotencyKey=${encodeURIComponent(idempotencyKey)}`,
    );
    if (response.status !== 200) throw new Error(`GET /admin/charges answered ${response.status}`);
    return (await response.json()) as SimCharge[];
  }

  /** Charges at acme with the order id as key, as a call an executor made before it was killed. */
  async chargeAtAcme(charge: {
    paymentOrderId: string;
    amountMinor: number;
    currency: string;
    instrumentToken: string;
  }): Promise<void> {
    const response = await fetch(`${this.url('acme')}/acme/v1/charges`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer acme_test_key',
        'idempotency-key': charge.paymentOrderId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        amount: charge.amountMinor,
        currency: charge.currency,
        source: charge.instrumentToken,
        reference: charge.paymentOrderId,
      }),
    });
    if (response.status !== 200) throw new Error(`POST /acme/v1/charges answered ${response.status}`);
  }

  async addFault(fault: Record<string, unknown>): Promise<string> {
    const response = await fetch(`${this.url('main')}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });
    if (response.status !== 201) throw new Error(`POST /admin/faults answered ${response.status}`);
    return ((await response.json()) as { id: string }).id;
  }

  async removeFault(id: string): Promise<void> {
    const response = await fetch(`${this.url('main')}/admin/faults/${id}`, { method: 'DELETE' });
    if (response.status !== 204) throw new Error(`DELETE /admin/faults/${id} answered ${response.status}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
