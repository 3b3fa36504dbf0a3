import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomInt } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { OBSERVABILITY_LOGGER, PinoNestLogger, type Logger } from '@keel/observability';
import { logEnvironment } from '@keel/platform';
import { SEED_MAX } from '@keel/seeded-random';
import { PSP_IDS, type PspId } from '@keel/psp-sim-domain';
import { PspPortsService } from './http/psp-ports.service';
import { loadPspSimEnvironment, type PspSimEnvironment } from './psp-sim.environment';
import { pspSimModule } from './psp-sim.module';

export interface RunningPspSim {
  readonly app: INestApplication;
  /** The main port: admin API and every PSP. */
  readonly url: string;
  /** The seed of the fault draws, to replay a run. */
  readonly seed: number;
  /** A PSP's own port (closed while an outage "refuse" fault on it is in force). */
  pspUrl(psp: PspId): string;
  close(): Promise<void>;
}

/**
 * Starts the simulator: the main port, then each PSP's own port serving the same application
 * behind a base-path filter. Graceful shutdown on SIGTERM/SIGINT: hung requests are cut, pending
 * timers and webhook retries stopped, every port closed.
 */
export async function runPspSim(environment: PspSimEnvironment): Promise<RunningPspSim> {
  const seed = environment.PSP_SIM_SEED ?? randomInt(0, SEED_MAX + 1);
  const app = await NestFactory.create<NestExpressApplication>(pspSimModule(environment, seed), {
    bufferLogs: true,
    bodyParser: false,
    forceCloseConnections: true,
  });
  try {
    app.useLogger(app.get(PinoNestLogger));
    app.useBodyParser('json', { limit: environment.PSP_SIM_HTTP_BODY_LIMIT_BYTES });
    // nova speaks application/x-www-form-urlencoded; flat fields only, as its API has.
    app.useBodyParser('urlencoded', { limit: environment.PSP_SIM_HTTP_BODY_LIMIT_BYTES, extended: false });
    app.enableShutdownHooks();
    await app.listen(environment.PSP_SIM_PORT, environment.PSP_SIM_HOST);
    const ports = app.get(PspPortsService);
    // The express application is a plain request listener; each PSP port serves it too.
    const application: RequestListener = app.getHttpAdapter().getInstance();
    await ports.open(application);
    const url = await app.getUrl();
    const pspUrl = (psp: PspId) => `http://${urlHost(environment.PSP_SIM_HOST)}:${ports.portOf(psp)}`;
    const pspUrls = Object.fromEntries(PSP_IDS.map((psp) => [psp, pspUrl(psp)]));
    const logger = app.get<Logger>(OBSERVABILITY_LOGGER);
    logEnvironment(logger, environment);
    logger.info({ url, pspUrls, seed }, 'psp-sim listening');
    return { app, url, seed, pspUrl, close: () => app.close() };
  } catch (error) {
    await app.close();
    throw error;
  }
}

/** main.ts: validate the environment, start, and exit 1 with the reason when either fails. */
export function startPspSim(): void {
  Promise.resolve()
    .then(() => runPspSim(loadPspSimEnvironment()))
    .catch((error: unknown) => {
      process.stderr.write(
        `failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
}

// A wildcard listen address is reached through the loopback interface.
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
