import { spawn, type ChildProcess } from 'node:child_process';
import { workspaceRoot } from '@keel/local-infra';
import { waitFor } from '@keel/testing';
import { freePort } from './free-port.util';
import { PSP_IDS, type PspId } from './service-catalog';

/** The simulator's admin port, or one of its PSPs' ports. */
export type SimPort = 'main' | PspId;

/** One charge as psp-sim's admin API reports it (apps/psp-sim/API.md). */
export interface SimCharge {
  readonly psp: string;
  readonly id: string;
  readonly idempotencyKey: string;
  readonly amountMinor: string;
  readonly status: string;
  readonly attempts: number;
}

/** A settlement fault as psp-sim answers it (docs/settlement-files.md). */
export interface SimSettlementFault {
  readonly id: string;
  readonly merchantReference?: string;
  readonly chargeId?: string;
}

const READY_TIMEOUT_MS = 30_000;

/**
 * The real simulator (apps/psp-sim) alone in a child process on free ports, every PSP of
 * PSP_IDS on its own, with the admin calls tests make: for the tests of one service that talks to
 * the PSPs (the executor, reconciliation), where a whole KeelSystem would be too much.
 */
export class PspSimProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly ports: Readonly<Record<SimPort, number>>,
  ) {}

  static async start(environment: Readonly<Record<string, string>> = {}): Promise<PspSimProcess> {
    const ports = { main: await freePort() } as Record<SimPort, number>;
    for (const psp of PSP_IDS) ports[psp] = await freePort();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/psp-sim/src/main.ts'], {
      cwd: workspaceRoot(),
      env: {
        ...process.env,
        PSP_SIM_PORT: String(ports.main),
        ...Object.fromEntries(
          PSP_IDS.map((psp) => [`PSP_SIM_${psp.toUpperCase()}_PORT`, String(ports[psp])]),
        ),
        LOG_LEVEL: 'warn',
        KEEL_PROFILE: 'local',
        ...environment,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const simulator = new PspSimProcess(child, ports);
    try {
      await waitFor(async () => (await fetch(`${simulator.url('main')}/health/live`)).ok, {
        timeoutMs: READY_TIMEOUT_MS,
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

  /** `PSP_<PSP>_URL` of every PSP at this simulator: what a service that calls the PSPs is given. */
  pspUrls(): Record<string, string> {
    return Object.fromEntries(PSP_IDS.map((psp) => [`PSP_${psp.toUpperCase()}_URL`, this.url(psp)]));
  }

  async reset(): Promise<void> {
    const response = await fetch(`${this.url('main')}/admin/reset`, { method: 'POST' });
    if (response.status !== 204) throw new Error(`POST /admin/reset answered ${response.status}`);
  }

  async charges(idempotencyKey: string): Promise<SimCharge[]> {
    const response = await fetch(
      `${this.url('main')}/admin/charges?idempotencyKey=${encodeURIComponent(idempotencyKey)}`,
    );
    if (response.status !== 200) throw new Error(`GET /admin/charges answered ${response.status}`);
    return (await response.json()) as SimCharge[];
  }

  /** A request fault (API.md), e.g. `{ psp, outage: '503' }`; answers its id. */
  async addFault(fault: Readonly<Record<string, unknown>>): Promise<string> {
    return ((await this.post('/admin/faults', fault)) as { id: string }).id;
  }

  async removeFault(id: string): Promise<void> {
    await this.delete(`/admin/faults/${id}`);
  }

  /**
   * A settlement fault (docs/settlement-files.md), e.g. `{ psp, kind: 'missing_row', merchantReference }`
   * or `{ psp, kind: 'unknown_charge', amountMinor, currency, occurredAtMs }` for a charge Keel never saw.
   */
  async addSettlementFault(spec: Readonly<Record<string, unknown>>): Promise<SimSettlementFault> {
    return (await this.post('/admin/settlement-faults', spec)) as SimSettlementFault;
  }

  async removeSettlementFault(id: string): Promise<void> {
    await this.delete(`/admin/settlement-faults/${id}`);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async post(path: string, body: Readonly<Record<string, unknown>>): Promise<unknown> {
    const response = await fetch(`${this.url('main')}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201)
      throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  private async delete(path: string): Promise<void> {
    const response = await fetch(`${this.url('main')}${path}`, { method: 'DELETE' });
    if (response.status !== 204) throw new Error(`DELETE ${path} answered ${response.status}`);
  }
}
