import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { BodyTooDeepError, MalformedBodyError } from '@keel/observability';
import { jsonDeeperThan } from './json-depth';

type HttpMiddleware = (
  request: IncomingMessage & { body?: unknown },
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

interface ExpressBodyParsers {
  json(options: { readonly limit: number }): HttpMiddleware;
}

// The Express that Nest's adapter serves with, resolved from the adapter so it is the same copy;
// typed here to the one function used, as Keel does not depend on Express's own type package.
const express = createRequire(require.resolve('@nestjs/platform-express'))('express') as ExpressBodyParsers;

/** HTTP_BODY_LIMIT_BYTES and HTTP_BODY_DEPTH_MAX. */
export interface JsonBodyLimits {
  readonly limitBytes: number;
  readonly depthMax: number;
}

const JSON_BODY_LIMITS = Symbol('keel.platform.json-body-limits');

/** body-parser's name for a body that is not JSON. */
const PARSE_FAILED = 'entity.parse.failed';

function isParseFailure(error: unknown): boolean {
  return error instanceof Error && (error as Error & { type?: unknown }).type === PARSE_FAILED;
}

/**
 * Express's JSON parser, a body that is not JSON passed on as MalformedBodyError (Nest would
 * answer body-parser's own SyntaxError as a bare 400 quoting the body back), and one nested
 * deeper than depthMax as BodyTooDeepError, before any code walks it.
 */
function jsonBodyParser(limits: JsonBodyLimits): HttpMiddleware {
  const parse = express.json({ limit: limits.limitBytes });
  return (request, response, next) =>
    parse(request, response, (error) => {
      if (error !== undefined) next(isParseFailure(error) ? new MalformedBodyError() : error);
      else if (jsonDeeperThan(request.body, limits.depthMax)) next(new BodyTooDeepError(limits.depthMax));
      else next();
    });
}

/**
 * Parses JSON request bodies within their limits (HTTP_BODY_LIMIT_BYTES, HTTP_BODY_DEPTH_MAX) as
 * Nest middleware rather than in front of Nest: the observability module is global, so its request
 * context middleware is mounted first, and a body refused as too large (413), not JSON (400
 * malformed-body) or too deep (400 body-too-deep) is answered with the request's correlation id,
 * logged and counted like any other request.
 */
@Module({})
export class JsonBodyModule implements NestModule {
  constructor(@Inject(JSON_BODY_LIMITS) private readonly limits: JsonBodyLimits) {}

  static forRoot(limits: JsonBodyLimits): DynamicModule {
    return { module: JsonBodyModule, providers: [{ provide: JSON_BODY_LIMITS, useValue: limits }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(jsonBodyParser(this.limits)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
