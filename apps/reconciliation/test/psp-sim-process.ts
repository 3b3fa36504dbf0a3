import { spawn, type ChildProcess } from 'node:child_process';
import { workspaceRoot } from '@keel/local-infra';
import { freePort } from '@keel/local-system';
import { waitFor } from '@keel/testing';

type SimPort = 'main' | 'acme' | 'nova' | 'swiftpay';

/** A settlement fault as psp-sim answers it (docs/settlement-files.md). */
export interface SimSettlementFault {
  readonly id: string;
  readonly merchantReference?: string;
  readonly chargeId?: string;
}

/**
 * The real simulator (apps/psp-sim) in a child process on free ports, with the admin calls these
 * tests need; the reconciliation service is pointed at its PSP ports (`pspVariables`).
 */
export class PspSimProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly ports: Readonly<Record<SimPort, number>>,
  ) {}

  static async start(): Promise<PspSimProcess> {
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

  /** Reconciliation's PSP base URLs, at this simulator. */
  pspVariables(): NodeJS.ProcessEnv {
    return {
      PSP_ACME_URL: this.url('acme'),
      PSP_NOVA_URL: this.url('nova'),
      PSP_SWIFTPAY_URL: this.url('swiftpay'),
    };
  }

  async reset(): Promise<void> {
    const response = await fetch(`${this.url('main')}/admin/reset`, { method: 'POST' });
    if (response.status !== 204) throw new Error(`POST /admin/reset answered ${response.status}`);
  }

  /**
   * A charge the PSP made and reports in its file (an `unknown_charge` settlement fault: approved,
   * no webhook), at `occurredAtMs`, under `merchantReference` or a generated one.
   */
  settledCharge(
    psp: string,
    charge: { amountMinor: number; currency: string; occurredAtMs: number; merchantReference?: string },
  ): Promise<SimSettlementFault> {
    return this.settlementFault({ psp, kind: 'unknown_charge', ...charge });
  }

  /** Any settlement fault (docs/settlement-files.md), e.g. `{ psp, kind: 'missing_row', merchantReference }`. */
  async settlementFault(spec: Readonly<Record<string, unknown>>): Promise<SimSettlementFault> {
    const response = await fetch(`${this.url('main')}/admin/settlement-faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    if (response.status !== 201) {
      throw new Error(`POST /admin/settlement-faults answered ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as SimSettlementFault;
  }

  async removeSettlementFault(id: string): Promise<void> {
    const response = await fetch(`${this.url('main')}/admin/settlement-faults/${id}`, { method: 'DELETE' });
    if (response.status !== 204)
      throw new Error(`DELETE /admin/settlement-faults answered ${response.status}`);
  }

  /** Refunds an acme charge now, as the executor's orphan refund does (acme's payment API). */
  async acmeRefund(chargeId: string, amountMinor: number): Promise<void> {
    const response = await fetch(`${this.url('acme')}/acme/v1/charges/${chargeId}/refunds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer acme_test_key' },
      body: JSON.stringify({ amount: amountMinor }),
    });
    if (!response.ok) throw new Error(`acme refund answered ${response.status}: ${await response.text()}`);
  }

  /** Stop answering at `psp`'s port with 503 (a request fault), until removed. */
  async outage(psp: string): Promise<string> {
    const response = await fetch(`${this.url('main')}/admin/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ psp, outage: '503' }),
    });
    if (response.status !== 201) throw new Error(`POST /admin/faults answered ${response.status}`);
    return ((await response.json()) as { id: string }).id;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}
