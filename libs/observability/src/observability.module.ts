import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { HealthRegistry } from './health-registry.service';
import { createLogger } from './logger';
import { createMetricsRegistry } from './metrics';
import { OBSERVABILITY_LOGGER, OBSERVABILITY_OPTIONS } from './observability.constants';
import { ObservabilityController } from './observability.controller';
import { ObservabilityModuleOptions } from './observability.options';
import { PinoNestLogger } from './pino-nest-logger.service';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RequestContextMiddleware } from './request-context.middleware';
import { validationPipe } from './validation.pipe';

/**
 * Import once in a service's root module. Provides the pino Logger (token OBSERVABILITY_LOGGER),
 * the metrics `Registry`, `HealthRegistry` and `PinoNestLogger` to every module; serves /metrics,
 * /health/live and /health/ready; runs every request in its trace context; answers errors as
 * problem+json and validates bodies with validationPipe().
 */
@Global()
@Module({})
export class ObservabilityModule implements NestModule {
  static forRoot(options: ObservabilityModuleOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [ObservabilityController],
      providers: [
        { provide: OBSERVABILITY_OPTIONS, useValue: options },
        {
          provide: OBSERVABILITY_LOGGER,
          useFactory: () =>
            createLogger({
              service: options.service,
              level: options.logLevel,
              destination: options.logDestination,
            }),
        },
        {
          provide: Registry,
          useFactory: () =>
            createMetricsRegistry({ service: options.service, defaultMetrics: options.defaultMetrics }),
        },
        { provide: HealthRegistry, useFactory: () => createHealthRegistry(options) },
        {
          provide: PinoNestLogger,
          useFactory: (logger: Logger) => new PinoNestLogger(logger),
          inject: [OBSERVABILITY_LOGGER],
        },
        RequestContextMiddleware,
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        { provide: APP_PIPE, useFactory: () => validationPipe({ maxErrors: options.validationMaxErrors }) },
      ],
      exports: [OBSERVABILITY_LOGGER, Registry, HealthRegistry, PinoNestLogger],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestContextMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}

function createHealthRegistry(options: ObservabilityModuleOptions): HealthRegistry {
  const health = new HealthRegistry({
    defaultTimeoutMs: options.readinessTimeoutMs,
    errorMessageMaxLength: options.readinessErrorMessageMaxLength,
  });
  for (const [name, check] of Object.entries(options.readinessChecks ?? {})) health.register(name, check);
  return health;
}
