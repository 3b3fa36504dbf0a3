import {
  Controller,
  Get,
  Inject,
  Injectable,
  Res,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { Registry } from 'prom-client';
import { CheckResult, HealthRegistry, ReadinessReport } from './health-registry.service';
import { OBSERVABILITY_OPTIONS } from './observability.constants';
import type { ObservabilityModuleOptions } from './observability.options';
import { ProblemDetails, problemTypeUri, writeJson, writeProblem } from './problem';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
export const NOT_READY_PROBLEM_CODE = 'not-ready';

/** Asks /metrics for what the module's `metricsAccess` asks; lets every request through without one. */
@Injectable()
export class MetricsAccessGuard implements CanActivate {
  constructor(@Inject(OBSERVABILITY_OPTIONS) private readonly options: ObservabilityModuleOptions) {}

  canActivate(context: ExecutionContext): ReturnType<CanActivate['canActivate']> {
    return this.options.metricsAccess?.canActivate(context) ?? true;
  }
}

/** Probes and scraping: GET /metrics (guarded by metricsAccess), /health/live and /health/ready (open). */
@Controller()
export class ObservabilityController {
  constructor(
    private readonly registry: Registry,
    private readonly health: HealthRegistry,
  ) {}

  @Get('metrics')
  @UseGuards(MetricsAccessGuard)
  async metrics(@Res() response: ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    response.statusCode = 200;
    response.setHeader('Content-Type', this.registry.contentType);
    response.end(body);
  }

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() response: ServerResponse): Promise<void> {
    const report = await this.health.checkReadiness();
    if (report.ready) {
      writeJson(response, 200, JSON_CONTENT_TYPE, { status: 'ok', checks: checkStatuses(report.checks) });
    } else {
      writeProblem(response, notReadyProblem(report));
    }
  }
}

function checkStatuses(checks: Readonly<Record<string, CheckResult>>): Record<string, 'up' | 'down'> {
  return Object.fromEntries(Object.entries(checks).map(([name, result]) => [name, result.status]));
}

function notReadyProblem(report: Exclude<ReadinessReport, { ready: true }>): ProblemDetails {
  const problem = { type: problemTypeUri(NOT_READY_PROBLEM_CODE), title: 'Service not ready', status: 503 };
  if (report.reason === 'shutting-down') return { ...problem, detail: 'The service is shutting down.' };
  const failed = Object.entries(report.checks)
    .filter(([, result]) => result.status === 'down')
    .map(([name]) => name);
  return { ...problem, detail: `Readiness checks failed: ${failed.join(', ')}.`, checks: report.checks };
}
