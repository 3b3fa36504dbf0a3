import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { startInboxConsumer } from '@keel/messaging';
import { OBSERVABILITY_LOGGER, PinoNestLogger, type Logger } from '@keel/observability';
import type { ServiceEnvironment } from './service-environment';

/**
 * Starts a service: logs through pino, bounded request bodies, the inbox consumer, graceful
 * shutdown on SIGTERM/SIGINT (stop fetching, finish the chunk in flight, commit, disconnect).
 */
export async function runService(
  appModule: DynamicModule,
  environment: ServiceEnvironment,
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(appModule, {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(PinoNestLogger));
  app.useBodyParser('json', { limit: environment.HTTP_BODY_LIMIT_BYTES });
  app.enableShutdownHooks();
  await app.init();
  await startInboxConsumer(app);
  await app.listen(environment.PORT, environment.HOST);
  const logger = app.get<Logger>(OBSERVABILITY_LOGGER);
  logger.info({ url: await app.getUrl() }, 'service listening');
  return app;
}
