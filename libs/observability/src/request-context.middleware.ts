import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import { Histogram, Registry } from 'prom-client';
import { getOrCreateHistogram } from './metrics';
import { OBSERVABILITY_LOGGER, OBSERVABILITY_OPTIONS } from './observability.constants';
import { assertPositiveInteger } from './observability.error';
import { DEFAULT_QUIET_PATHS, ObservabilityModuleOptions } from './observability.options';
import {
  CORRELATION_ID_HEADER,
  DEFAULT_CORRELATION_ID_MAX_LENGTH,
  TRACEPARENT_HEADER,
  continueContext,
  runWithContext,
} from './trace-context';

/** The parts of Express's request this middleware reads, on top of Node's. */
export interface RoutedRequest extends IncomingMessage {
  readonly originalUrl?: string;
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

export const HTTP_REQUEST_DURATION_METRIC = 'http_request_duration_seconds';
/** Route label of requests that matched no route, so unknown paths cannot multiply the series. */
export const UNMATCHED_ROUTE = 'unmatched';

type RequestLabel = 'method' | 'route' | 'status';

const DEFAULT_SLOW_REQUEST_MS = 1_000;

/**
 * Gives every HTTP request its trace and correlation context (continued from the caller's headers or
 * new), echoes both on the response, and records one log line and one latency sample when it ends.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware<RoutedRequest, ServerResponse> {
  private readonly requestDuration: Histogram<RequestLabel>;
  private readonly quietPaths: ReadonlySet<string>;
  private readonly slowRequestMs: number;
  private readonly correlationIdMaxLength: number;

  constructor(
    @Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger,
    @Inject(OBSERVABILITY_OPTIONS) options: ObservabilityModuleOptions,
    registry: Registry,
  ) {
    this.correlationIdMaxLength = options.correlationIdMaxLength ?? DEFAULT_CORRELATION_ID_MAX_LENGTH;
    assertPositiveInteger('correlationIdMaxLength', this.correlationIdMaxLength);
    this.quietPaths = new Set(options.quietPaths ?? DEFAULT_QUIET_PATHS);
    this.slowRequestMs = options.slowRequestMs ?? DEFAULT_SLOW_REQUEST_MS;
    assertPositiveInteger('slowRequestMs', this.slowRequestMs);
    this.requestDuration = getOrCreateHistogram<RequestLabel>(registry, {
      name: HTTP_REQUEST_DURATION_METRIC,
      help: 'Duration of HTTP requests in seconds, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
    });
  }

  use(request: RoutedRequest, response: ServerResponse, next: () => void): void {
    const context = continueContext(
      {
        traceparent: singleHeader(request, TRACEPARENT_HEADER),
        correlationId: singleHeader(request, CORRELATION_ID_HEADER),
      },
      this.correlationIdMaxLength,
    );
    response.setHeader(TRACEPARENT_HEADER, context.traceparent);
    response.setHeader(CORRELATION_ID_HEADER, context.correlationId);
    const startedAt = process.hrtime.bigint();
    // Express mounts this middleware as a catch-all route; a request still on it at the end matched no handler.
    const middlewareRoute = request.route;
    runWithContext(context, () => {
      // Bound so the line is written in this request's context even though 'close' fires elsewhere.
      const onClose = () => this.recordCompletion(request, response, startedAt, middlewareRoute);
      response.once('close', AsyncResource.bind(onClose));
      next();
    });
  }

  private recordCompletion(
    request: RoutedRequest,
    response: ServerResponse,
    startedAt: bigint,
    middlewareRoute: RoutedRequest['route'],
  ): void {
    const durationSeconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const method = request.method ?? 'UNKNOWN';
    const status = response.statusCode;
    const route = request.route === middlewareRoute ? UNMATCHED_ROUTE : routePattern(request);
    this.requestDuration.observe({ method, route, status: String(status) }, durationSeconds);
    const path = decodedPath((request.originalUrl ?? request.url ?? '').split('?')[0]);
    const fields = {
      method,
      path,
      route,
      status,
      durationMs: Math.round(durationSeconds * 1e6) / 1e3,
      // The client went away before the whole response was written.
      ...(response.writableFinished ? {} : { aborted: true }),
    };
    const noteworthy = status >= 400 || !response.writableFinished || fields.durationMs >= this.slowRequestMs;
    if (noteworthy && !this.quietPaths.has(path)) this.logger.info(fields, 'request completed');
    else this.logger.debug(fields, 'request completed');
  }
}

/**
 * The path as its segments mean it: a card number written with percent-encoded separators
 * (`4111%201111%20…`) is one once decoded, so the log line's masking finds it.
 */
function decodedPath(rawPath: string): string {
  try {
    return decodeURIComponent(rawPath);
  } catch {
    return rawPath;
  }
}

// Node joins repeated headers with commas; such a value is then invalid and replaced, as the W3C spec asks.
function singleHeader(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function routePattern(request: RoutedRequest): string {
  const path = request.route?.path;
  return typeof path === 'string' ? `${request.baseUrl ?? ''}${path}` : UNMATCHED_ROUTE;
}
