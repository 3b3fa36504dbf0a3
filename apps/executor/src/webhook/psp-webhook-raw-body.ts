import type { IncomingMessage, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PspWebhookBodyError } from '../executor.errors';

export const PSP_WEBHOOK_PATH = '/v1/psp-webhooks';
export const PSP_WEBHOOK_BODY_LIMIT_BYTES = Symbol('keel.executor.psp-webhook-body-limit-bytes');

type RawBody = { readonly body: Buffer } | { readonly error: PspWebhookBodyError };
type Middleware = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

const rawBodies = new WeakMap<IncomingMessage, RawBody>();

/** The exact bytes the PSP signed; throws the problem to answer when they could not be read. */
export function rawBodyOf(request: IncomingMessage): Buffer {
  const raw = rawBodies.get(request);
  if (raw === undefined) throw new PspWebhookBodyError(400, 'the body was not captured');
  if ('error' in raw) throw raw.error;
  return raw.body;
}

/** Reads the whole body as bytes, up to `limitBytes`; a larger one is drained and refused. */
export function rawBodyReader(limitBytes: number): Middleware {
  return (request, _response, next) => {
    const chunks: Buffer[] = [];
    let sizeBytes = 0;
    let settled = false;
    const settle = (raw: RawBody): void => {
      if (settled) return;
      settled = true;
      rawBodies.set(request, raw);
      next();
    };
    request.on('data', (chunk: Buffer) => {
      sizeBytes += chunk.length;
      if (sizeBytes <= limitBytes) chunks.push(chunk);
    });
    request.on('end', () =>
      settle(
        sizeBytes > limitBytes
          ? { error: new PspWebhookBodyError(413, `the body is larger than ${limitBytes} bytes`) }
          : { body: Buffer.concat(chunks) },
      ),
    );
    request.on('error', () => settle({ error: new PspWebhookBodyError(400, 'the body could not be read') }));
  };
}

interface ExpressApp {
  use(path: string, handler: Middleware): unknown;
  readonly router: { readonly stack: unknown[] };
}

function isObjectLike(value: unknown): value is object {
  return typeof value === 'function' || (typeof value === 'object' && value !== null);
}

/** Express 5: the app and its router are functions with properties. */
function isExpressApp(value: unknown): value is ExpressApp {
  if (!isObjectLike(value)) return false;
  const router: unknown = Reflect.get(value, 'router');
  return (
    typeof Reflect.get(value, 'use') === 'function' &&
    isObjectLike(router) &&
    Array.isArray(Reflect.get(router, 'stack'))
  );
}

/**
 * Webhook signatures cover the exact bytes sent, but the platform parses every JSON body before
 * the service's own middleware runs (KeelServiceModule's parser), and nova's bodies are form-encoded.
 * So the webhook path gets its own byte reader, moved to the front of the Express stack at start:
 * it reads the body first, and the JSON parser then finds it consumed and leaves it alone.
 * (The platform could offer this instead: NestFactory's `rawBody: true` through runService.)
 */
@Injectable()
export class PspWebhookRawBodyInstaller implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(PSP_WEBHOOK_BODY_LIMIT_BYTES) private readonly limitBytes: number,
  ) {}

  onModuleInit(): void {
    const app: unknown = this.adapterHost.httpAdapter.getInstance();
    if (!isExpressApp(app)) throw new Error('PSP webhooks need the Express adapter');
    app.use(PSP_WEBHOOK_PATH, rawBodyReader(this.limitBytes));
    const layer = app.router.stack.pop();
    app.router.stack.unshift(layer);
  }
}
