import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startInboxConsumer } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, PinoNestLogger, type Logger } from '@keel/observability';
import { exitGracefullyOnSignals, shutdownSettingsOf } from './graceful-shutdown';
import { HttpServerDrain } from './http-server-drain';
import { securityHeaders } from './security-headers';
import { logEnvironment } from './sensitive-variable';
import type { ServiceEnvironment } from './service-environment';

/**
 * Starts a service: logs through pino (its environment once, secrets redacted), security headers
 * on every answer and no X-Powered-By, the inbox consumer (KeelServiceModule parses bounded JSON
 * bodies), and graceful shutdown on SIGTERM/SIGINT (unready at once, drain,
 * in-flight requests answered, the chunk in flight committed, the relay flushed, connections
 * closed; bounded by SHUTDOWN_TIMEOUT_MS).
 */
export async function runService(
  appModule: DynamicModule,
  environment: ServiceEnvironment,
): Promise<INestApplication> {
  const shutdown = shutdownSettingsOf(environment);
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  app.disable('x-powered-by');
  app.use(securityHeaders);
  const http = new HttpServerDrain(app.getHttpServer());
  await app.init();
  await startInboxConsumer(app);
  await app.listen(environment.PORT, environment.HOST);
  const logger = app.get<Logger>(OBSERVABILITY_LOGGER);
  logEnvironment(logger, environment);
  exitGracefullyOnSignals(app, http, shutdown, logger);
  logger.info({ url: await app.getUrl() }, 'service listening');
  return app;
}
