import { setTimeout as sleep } from 'node:timers/promises';
import { Body, Controller, Get, Inject, Module, Param, Post, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { IsInt, IsString, Length, Min } from 'class-validator';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { DestinationStream, Logger } from 'pino';
import { parseTraceparent } from '@keel/contracts';
import { DomainError } from './domain.error';
import { HealthRegistry } from './health-registry.service';
import { OBSERVABILITY_LOGGER } from './observability.constants';
import { ObservabilityModule } from './observability.module';
import { PinoNestLogger } from './pino-nest-logger.service';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
const READINESS_TIMEOUT_MS = 100;
const LOG_WAIT_MS = 2000;

type LogRecord = Record<string, unknown>;

class CreatePaymentDto {
  @IsInt()
  @Min(1)
  amountMinor!: number;

  @IsString()
  @Length(3, 3)
  currency!: string;
}

class PaymentNotFoundError extends DomainError {
  constructor(paymentId: string) {
    super({
      code: 'payment-not-found',
      status: 404,
      title: 'Payment not found',
      detail: `No payment ${paymentId}.`,
      extensions: { paymentId },
    });
  }
}

@Controller('payments')
class PaymentsController {
  constructor(@Inject(OBSERVABILITY_LOGGER) private readonly logger: Logger) {}

  @Get('crash')
  crash(): never {
    throw new Error('connection to 10.0.0.5:5432 failed for user keel');
  }

  @Get(':id')
  find(@Param('id') id: string): { id: string } {
    this.logger.info({ paymentId: id }, 'looking up payment');
    if (id === 'missing') throw new PaymentNotFoundError(id);
    return { id };
  }

  @Get('slow/answer')
  async slow(): Promise<{ slow: true }> {
    await sleep(SLOW_REQUEST_MS + 100);
    return { slow: true };
  }

  @Post()
  create(@Body() body: CreatePaymentDto): { amountMinor: number } {
    return { amountMinor: body.amountMinor };
  }
}

const SLOW_REQUEST_MS = 200;

function memoryDestination() {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => lines.push(line) };
  const records = () => lines.map((line) => JSON.parse(line) as LogRecord);
  return { destination, records };
}

async function waitFor<T>(find: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

describe('ObservabilityModule over real HTTP', () => {
  const logs = memoryDestination();
  let app: INestApplication;
  let health: HealthRegistry;
  let baseUrl: string;

  const requestLine = (path: string) => () =>
    logs.records().find((record) => record.msg === 'request completed' && record.path === path);

  beforeAll(async () => {
    @Module({
      imports: [
        ObservabilityModule.forRoot({
          service: 'payment-it',
          logLevel: 'debug',
          logDestination: logs.destination,
          readinessChecks: { boot: async () => undefined },
          readinessTimeoutMs: READINESS_TIMEOUT_MS,
          slowRequestMs: SLOW_REQUEST_MS,
        }),
      ],
      controllers: [PaymentsController],
    })
    class AppModule {}

    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(PinoNestLogger));
    await app.listen(0, '127.0.0.1');
    const address = (app.getHttpServer() as Server).address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${address.port}`;
    health = app.get(HealthRegistry);
  });

  afterAll(async () => {
    await app.close();
  });

  it('routes Nest own logs through pino', () => {
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ service: 'payment-it', context: 'NestApplication', level: 'info' }),
    );
  });

  it('answers /health/live while the process runs', async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('propagates the incoming trace to the response and the log lines', async () => {
    const response = await fetch(`${baseUrl}/payments/pay_1?expand=all`, {
      headers: { traceparent: INCOMING_TRACEPARENT, 'x-correlation-id': 'checkout-77' },
    });
    expect(response.status).toBe(200);
    const outgoing = parseTraceparent(response.headers.get('traceparent') ?? undefined);
    expect(outgoing?.traceId).toBe(TRACE_ID);
    expect(outgoing?.spanId).not.toBe('00f067aa0ba902b7');
    expect(response.headers.get('x-correlation-id')).toBe('checkout-77');

    const line = await waitFor(requestLine('/payments/pay_1'), LOG_WAIT_MS);
    expect(line).toMatchObject({
      // A fast success is a debug line; errors and slow requests are info (below).
      level: 'debug',
      service: 'payment-it',
      method: 'GET',
      route: '/payments/:id',
      status: 200,
      traceId: TRACE_ID,
      spanId: outgoing?.spanId,
      correlationId: 'checkout-77',
      durationMs: expect.any(Number),
    });
    const handlerLine = logs.records().find((record) => record.msg === 'looking up payment');
    expect(handlerLine).toMatchObject({
      traceId: TRACE_ID,
      correlationId: 'checkout-77',
      paymentId: 'pay_1',
    });
  });

  it('starts a trace and a correlation id when the caller sends none', async () => {
    const response = await fetch(`${baseUrl}/payments/pay_2`, { headers: { traceparent: 'garbage' } });
    const traceparent = parseTraceparent(response.headers.get('traceparent') ?? undefined);
    expect(traceparent).toBeDefined();
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const line = await waitFor(requestLine('/payments/pay_2'), LOG_WAIT_MS);
    expect(line.traceId).toBe(traceparent?.traceId);
  });

  it('serves Prometheus metrics including request durations by route', async () => {
    await fetch(`${baseUrl}/payments/pay_3`);
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="GET"[^}]*route="\/payments\/:id"[^}]*status="200"[^}]*\} \d+/,
    );
    expect(text).toContain('service="payment-it"');
  });

  it('answers a DomainError as problem+json with its type and status', async () => {
    const response = await fetch(`${baseUrl}/payments/missing`, { headers: { 'x-correlation-id': 'c-404' } });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'https://keel.dev/problems/payment-not-found',
      title: 'Payment not found',
      status: 404,
      detail: 'No payment missing.',
      code: 'payment-not-found',
      paymentId: 'missing',
      correlationId: 'c-404',
    });
  });

  it('lists the invalid fields of a request body', async () => {
    const response = await fetch(`${baseUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amountMinor: 0, currency: 'EURO', cardNumber: '4111111111111111' }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as { type: string; errors: { field: string; message: string }[] };
    expect(problem.type).toBe('https://keel.dev/problems/validation-failed');
    expect(problem.errors.map((error) => error.field).sort()).toEqual([
      'amountMinor',
      'cardNumber',
      'currency',
    ]);
    expect(JSON.stringify(problem)).not.toContain('4111111111111111');
  });

  it('answers malformed and oversized bodies with client-error problems', async () => {
    const post = (body: string) =>
      fetch(`${baseUrl}/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"amountMinor": 1,');
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toBe('application/problem+json');
    const oversized = await post(JSON.stringify({ note: 'x'.repeat(200_000) }));
    expect(oversized.status).toBe(413);
    expect(await oversized.json()).toMatchObject({ title: 'Payload Too Large', status: 413 });
  });

  it('accepts a valid body, transformed into its DTO', async () => {
    const response = await fetch(`${baseUrl}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amountMinor: 1250, currency: 'EUR' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ amountMinor: 1250 });
  });

  it('answers an unknown error with a bare 500 and logs it with its stack', async () => {
    const response = await fetch(`${baseUrl}/payments/crash`);
    expect(response.status).toBe(500);
    const body = await response.text();
    expect(body).not.toContain('10.0.0.5');
    expect(JSON.parse(body)).toMatchObject({ status: 500, title: 'Internal Server Error' });
    const failure = logs.records().find((record) => record.msg === 'request failed');
    expect(failure).toMatchObject({ level: 'error', err: { message: expect.stringContaining('10.0.0.5') } });
    expect(JSON.stringify(failure)).toContain('PaymentsController.crash');
  });

  it('gives unmatched routes their trace context, a problem and a bounded route label', async () => {
    const response = await fetch(`${baseUrl}/no/such/route`);
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(parseTraceparent(response.headers.get('traceparent') ?? undefined)).toBeDefined();
    const line = await waitFor(requestLine('/no/such/route'), LOG_WAIT_MS);
    expect(line).toMatchObject({ status: 404, route: 'unmatched', level: 'info' });
  });

  it('logs the decoded path, so a card number with percent-encoded separators is masked', async () => {
    await fetch(`${baseUrl}/no/such/4111%201111%201111%201111`);
    const line = await waitFor(requestLine('/no/such/411111…1111'), LOG_WAIT_MS);
    expect(line).toMatchObject({ status: 404 });
    expect(JSON.stringify(logs.records())).not.toMatch(/4111(%20| )?1111(%20| )?1111(%20| )?1111/);
  });

  it('logs a slow request at info level', async () => {
    await fetch(`${baseUrl}/payments/slow/answer`);
    const line = await waitFor(requestLine('/payments/slow/answer'), LOG_WAIT_MS);
    expect(line).toMatchObject({ level: 'info', status: 200 });
    expect(line.durationMs).toBeGreaterThanOrEqual(SLOW_REQUEST_MS);
  });

  it('logs probe requests at debug level', async () => {
    await fetch(`${baseUrl}/health/live`);
    const line = await waitFor(requestLine('/health/live'), LOG_WAIT_MS);
    expect(line.level).toBe('debug');
  });

  describe('/health/ready', () => {
    afterEach(() => {
      for (const name of health.names()) if (name !== 'boot') health.unregister(name);
    });

    it('is 200 while every check passes', async () => {
      const response = await fetch(`${baseUrl}/health/ready`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ status: 'ok', checks: { boot: 'up' } });
    });

    it('is 503 problem+json naming a failing check and its error', async () => {
      health.register('kafka', () => Promise.reject(new Error('no brokers reachable')));
      const response = await fetch(`${baseUrl}/health/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(await response.json()).toMatchObject({
        type: 'https://keel.dev/problems/not-ready',
        status: 503,
        detail: 'Readiness checks failed: kafka.',
        checks: { boot: { status: 'up' }, kafka: { status: 'down', error: 'no brokers reachable' } },
      });
    });

    it('times out a check that hangs', async () => {
      health.register('postgres', () => new Promise<void>(() => undefined));
      const startedAt = Date.now();
      const response = await fetch(`${baseUrl}/health/ready`);
      expect(Date.now() - startedAt).toBeLessThan(READINESS_TIMEOUT_MS * 10);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        checks: { postgres: { status: 'down', error: `timed out after ${READINESS_TIMEOUT_MS} ms` } },
      });
    });

    it('is 503 once the service is shutting down, while /health/live stays 200', async () => {
      health.markShuttingDown();
      const ready = await fetch(`${baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 503, detail: 'The service is shutting down.' });
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    });
  });
});

describe('ObservabilityModule shutdown', () => {
  it('marks the service unready when Nest shuts down', async () => {
    const logs = memoryDestination();
    const moduleRef = await Test.createTestingModule({
      imports: [ObservabilityModule.forRoot({ service: 'shutdown-it', logDestination: logs.destination })],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    const health = app.get(HealthRegistry);
    expect(health.isShuttingDown()).toBe(false);
    await app.close();
    expect(health.isShuttingDown()).toBe(true);
  });
});
