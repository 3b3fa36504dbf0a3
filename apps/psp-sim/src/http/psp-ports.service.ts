import { BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthRegistry, OBSERVABILITY_LOGGER, writeJson, type Logger } from '@keel/observability';
import { FaultEngine, PSP_IDS, type CancelTask, type PspId, type Scheduler } from '@keel/psp-sim-domain';
import { PSP_SIM_ENVIRONMENT, PSP_SIM_SCHEDULER } from '../psp-sim.constants';
import type { PspSimEnvironment } from '../psp-sim.environment';
import { JSON_CONTENT_TYPE } from './wire-response';

interface PspPort {
  readonly server: Server;
  /** The configured port, replaced by the one the system picked when it was 0, so a reopen reuses it. */
  port: number;
}

/**
 * Each PSP's own port: it serves only that PSP's base path, and an outage "refuse" fault closes it
 * (clients get ECONNREFUSED) until the fault is deleted or expires.
 */
@Injectable()
export class PspPortsService implements BeforeApplicationShutdown {
  private readonly ports = new Map<PspId, PspPort>();
  /** Opening and closing one after the other, so two fault changes never race on a server. */
  private changes: Promise<void> = Promise.resolve();
  private cancelExpiryCheck: CancelTask | undefined;
  private stopped = false;

  constructor(
    private readonly faults: FaultEngine,
    private readonly health: HealthRegistry,
    @Inject(PSP_SIM_SCHEDULER) private readonly scheduler: Scheduler,
    @Inject(PSP_SIM_ENVIRONMENT) private readonly environment: PspSimEnvironment,
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
  ) {}

  /** Listens on every PSP's port with `handler` (the application) behind a base-path filter. */
  async open(handler: RequestListener): Promise<void> {
    const configured: Record<PspId, number> = {
      acme: this.environment.PSP_SIM_ACME_PORT,
      nova: this.environment.PSP_SIM_NOVA_PORT,
      swiftpay: this.environment.PSP_SIM_SWIFTPAY_PORT,
    };
    for (const psp of PSP_IDS) {
      const entry: PspPort = { server: createServer(onlyPsp(psp, handler)), port: configured[psp] };
      this.ports.set(psp, entry);
      await this.listen(psp, entry);
    }
    this.health.register('psp-ports', () => this.checkPorts());
  }

  /** The port a PSP listens on (or will listen on again once its outage ends). */
  portOf(psp: PspId): number {
    const entry = this.ports.get(psp);
    if (entry === undefined) throw new Error(`the port of ${psp} is not open yet`);
    return entry.port;
  }

  /** Brings every port in line with the faults in force; resolves once it is. */
  reconcile(): Promise<void> {
    const change = this.changes.then(() => this.applyFaults());
    // One failed change (logged) must not stop the next ones.
    this.changes = change.catch((error: unknown) =>
      this.logger.error({ err: error }, 'PSP port change failed'),
    );
    return change;
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.cancelExpiryCheck?.();
    await this.changes;
    await Promise.all([...this.ports.values()].map((entry) => closeServer(entry.server)));
  }

  private async applyFaults(): Promise<void> {
    if (this.stopped) return;
    const nowMs = this.scheduler.nowMs();
    const refused = this.faults.refusedPsps(nowMs);
    for (const [psp, entry] of this.ports) {
      if (refused.has(psp) && entry.server.listening) {
        await closeServer(entry.server);
        this.logger.warn({ psp, port: entry.port }, 'PSP port closed by an outage fault');
      } else if (!refused.has(psp) && !entry.server.listening) {
        await this.listen(psp, entry);
      }
    }
    this.scheduleExpiryCheck(nowMs);
  }

  /** A fault that ends on its own (untilMs) must reopen its port without anyone asking. */
  private scheduleExpiryCheck(nowMs: number): void {
    this.cancelExpiryCheck?.();
    this.cancelExpiryCheck = undefined;
    const nextExpiryMs = this.faults.nextExpiryMs(nowMs);
    if (nextExpiryMs === undefined) return;
    this.cancelExpiryCheck = this.scheduler.schedule(Math.max(0, nextExpiryMs - nowMs), () => {
      void this.reconcile();
    });
  }

  private async listen(psp: PspId, entry: PspPort): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      entry.server.once('error', reject);
      entry.server.listen(entry.port, this.environment.PSP_SIM_HOST, () => {
        entry.server.off('error', reject);
        resolve();
      });
    });
    entry.port = (entry.server.address() as AddressInfo).port;
    this.logger.info({ psp, port: entry.port }, 'PSP port listening');
  }

  private async checkPorts(): Promise<void> {
    const refused = this.faults.refusedPsps(this.scheduler.nowMs());
    const wrong = [...this.ports].filter(([psp, entry]) => entry.server.listening === refused.has(psp));
    if (wrong.length > 0)
      throw new Error(`PSP ports not as the faults say: ${wrong.map(([psp]) => psp).join(', ')}`);
  }
}

function onlyPsp(psp: PspId, handler: RequestListener): RequestListener {
  const basePath = `/${psp}/`;
  return (request, response) => {
    if ((request.url ?? '').startsWith(basePath)) {
      handler(request, response);
      return;
    }
    writeJson(response, 404, JSON_CONTENT_TYPE, {
      error: 'not_found',
      message: `this port serves ${basePath} only`,
    });
  };
}

/** Stops listening and cuts every connection, hung ones included, as a crashed PSP would. */
async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
