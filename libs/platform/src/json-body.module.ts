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
import { MalformedBodyError } from '@keel/observability';

type HttpMiddleware = (
  request: IncomingMessage,
  response: ServerResponse,
  next: (error?: unknown) => void,
) => void;

interface ExpressBodyParsers {
  json(options: { readonly limit: number }): HttpMiddleware;
}

// The Express that Nest's adapter serves with, resolved from the adapter so it is the same copy;
// typed here to the one function used, as Keel does not depend on Express's own type package.
const express = createRequire(require.resolve('@nestjs/platform-express'))('express') as ExpressBodyParsers;

const BODY_LIMIT_BYTES = Symbol('keel.platform.body-limit-bytes');

/** body-parser's name for a body that is not JSON. */
const PARSE_FAILED = 'entity.parse.failed';

function isParseFailure(error: unknown): boolean {
  return error instanceof Error && (error as Error & { type?: unknown }).type === PARSE_FAILED;
}

/**
 * Express's JSON parser, a body that is not JSON passed on as MalformedBodyError (Nest would
 * answer body-parser's own SyntaxError as a bare 400 quoting the body back).
 */
function jsonBodyParser(limitBytes: number): HttpMiddleware {
  const parse = express.json({ limit: limitBytes });
  return (request, response, next) =>
    parse(request, response, (error) => next(isParseFailure(error) ? new MalformedBodyError() : error));
}

/**
 * Parses JSON request bodies up to a limit (HTTP_BODY_LIMIT_BYTES) as Nest middleware rather than
 * in front of Nest: the observability module is global, so its request context middleware is
 * mounted first, and a body refused as too large (413) or not JSON (400 malformed-body) is
 * answered with the request's correlation id, logged and counted like any other request.
 */
@Module({})
export class JsonBodyModule implements NestModule {
  constructor(@Inject(BODY_LIMIT_BYTES) private readonly limitBytes: number) {}

  static forRoot(limitBytes: number): DynamicModule {
    return { module: JsonBodyModule, providers: [{ provide: BODY_LIMIT_BYTES, useValue: limitBytes }] };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(jsonBodyParser(this.limitBytes)).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
