import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { flushOutboxRelay, stopInboxConsumer } from '@keel/messaging';
import { HealthRegistry } from '@keel/observability';
import { HttpServerDrain } from './http-server-drain';
import { EnvironmentError, type ServiceEnvironment } from './service-environment';
import { exitCodeOf, runShutdownSequence, type ShutdownLog, type ShutdownPhase } from './shutdown-sequence';

export interface ShutdownSettings {
  /** How long the service keeps serving, unready, before it stops taking connections. */
  readonly drainDelayMs: number;
  /** The whole shutdown, drain included; past it the process exits 1. */
  readonly timeoutMs: number;
}

/** The shutdown settings of a service; the drain must leave the other phases time. */
export function shutdownSettingsOf(environment: ServiceEnvironment): ShutdownSettings {
  const settings = {
    drainDelayMs: environment.SHUTDOWN_DRAIN_DELAY_MS,
    timeoutMs: environment.SHUTDOWN_TIMEOUT_MS,
  };
  if (settings.drainDelayMs >= settings.timeoutMs) {
    throw new EnvironmentError(
      `invalid environment:\n  SHUTDOWN_DRAIN_DELAY_MS (${settings.drainDelayMs}) must be below SHUTDOWN_TIMEOUT_MS (${settings.timeoutMs})`,
    );
  }
  return settings;
}

/**
 * The steps of Nest's `app.close()`, in its order. They are protected in Nest's types; the shutdown
 * runs them one at a time so that the relay flush sits between the service's own workers stopping
 * (onModuleDestroy) and the producer and database closing (onApplicationShutdown), and so that the
 * log names the step a slow shutdown waits on.
 */
interface NestCloseSteps {
  callDestroyHook(): Promise<void>;
  callBeforeShutdownHook(): Promise<void>;
  dispose(): Promise<void>;
  callShutdownHook(): Promise<void>;
}

/** Checked at start, so a Nest upgrade that changes them fails a test rather than a shutdown. */
function closeStepsOf(app: INestApplication): NestCloseSteps {
  const steps = app as unknown as Partial<Record<keyof NestCloseSteps, unknown>>;
  const missing = (
    ['callDestroyHook', 'callBeforeShutdownHook', 'dispose', 'callShutdownHook'] as const
  ).filter((step) => typeof steps[step] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `this NestJS version has no ${missing.join(', ')}: graceful shutdown cannot run its phases`,
    );
  }
  return app as unknown as NestCloseSteps;
}

/**
 * The phases of a service's shutdown, in the order docs/operations/graceful-shutdown.md gives.
 * Built at start, so that what they need is resolved (and checked) before any signal comes.
 */
function shutdownPhases(
  app: INestApplication,
  http: HttpServerDrain,
  settings: ShutdownSettings,
): ShutdownPhase[] {
  const health = app.get(HealthRegistry);
  const nest = closeStepsOf(app);
  return [
    {
      name: 'readiness',
      run: () => {
        health.markShuttingDown();
        http.stopKeepAlive();
      },
    },
    { name: 'drain', run: () => delay(settings.drainDelayMs) },
    { name: 'http', run: () => http.close() },
    { name: 'inbox consumer', run: () => stopInboxConsumer(app) },
    // The service's own workers, pollers and timers (their onModuleDestroy hooks).
    { name: 'service workers', run: () => nest.callDestroyHook() },
    { name: 'outbox relay', run: () => flushOutboxRelay(app) },
    // The Kafka producer and admin, the database pool, PSP connection pools (onApplicationShutdown).
    {
      name: 'connections',
      run: async () => {
        await nest.callBeforeShutdownHook();
        await nest.dispose();
        await nest.callShutdownHook();
      },
    },
  ];
}

const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM or SIGINT, shuts the service down phase by phase and exits: 0 after a complete
 * shutdown, 1 after a failed phase or past the timeout. A second signal during a shutdown is
 * logged and otherwise ignored. When the HTTP server closes without a signal (`app.close()` in a
 * test), the listeners go with it.
 */
export function exitGracefullyOnSignals(
  app: INestApplication,
  http: HttpServerDrain,
  settings: ShutdownSettings,
  log: ShutdownLog,
): void {
  const phases = shutdownPhases(app, http, settings);
  let started = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (started) {
      log.info({ signal }, 'shutdown already under way; signal ignored');
      return;
    }
    started = true;
    log.info({ signal, ...settings }, 'shutdown started');
    void runShutdownSequence(phases, { timeoutMs: settings.timeoutMs, log }).then((outcome) =>
      process.exit(exitCodeOf(outcome)),
    );
  };
  for (const signal of SHUTDOWN_SIGNALS) process.on(signal, onSignal);
  (app.getHttpServer() as Server).once('close', () => {
    if (started) return;
    for (const signal of SHUTDOWN_SIGNALS) process.off(signal, onSignal);
  });
}
