import { ArgumentsHost, NotFoundException } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { DestinationStream } from 'pino';
import { firstValueFrom, Observable } from 'rxjs';
import { DomainError } from './domain.error';
import { createLogger } from './logger';
import type { ObservabilityModuleOptions } from './observability.options';
import { ProblemDetailsFilter } from './problem-details.filter';
import { runWithContext } from './trace-context';

class RecordingResponse {
  statusCode = 200;
  headersSent = false;
  destroyed = false;
  readonly headers: Record<string, unknown> = {};
  body = '';
  setHeader(name: string, value: unknown): void {
    this.headers[name.toLowerCase()] = value;
  }
  end(body: string): void {
    this.body = body;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function setup(options?: ObservabilityModuleOptions) {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => lines.push(line) };
  const filter = new ProblemDetailsFilter(createLogger({ service: 'payment', destination }), options);
  const response = new RecordingResponse();
  const host = (type: string) =>
    ({
      getType: () => type,
      switchToHttp: () => ({ getResponse: () => response as unknown as ServerResponse }),
    }) as unknown as ArgumentsHost;
  return { filter, response, host, lines };
}

describe('ProblemDetailsFilter', () => {
  it('writes problem+json with the status and the correlation id', () => {
    const { filter, response, host } = setup();
    const context = { traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, correlationId: 'corr-9' };
    runWithContext(context, () =>
      filter.catch(
        new DomainError({ code: 'declined', status: 402, title: 'Payment declined' }),
        host('http'),
      ),
    );
    expect(response.statusCode).toBe(402);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'https://keel.dev/problems/declined',
      status: 402,
      correlationId: 'corr-9',
    });
  });

  it('logs server-side failures with their stack but not client errors', () => {
    const { filter, host, lines } = setup();
    filter.catch(new NotFoundException(), host('http'));
    expect(lines).toHaveLength(0);
    filter.catch(new Error('database gone'), host('http'));
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0]) as { level: string; err: { message: string; stack: string } };
    expect(record.level).toBe('error');
    expect(record.err.message).toBe('database gone');
    expect(record.err.stack).toContain('problem-details.filter.spec.ts');
  });

  it('does not log a 5xx DomainError: the service chose that answer, it did not fail', () => {
    const { filter, response, host, lines } = setup();
    filter.catch(new DomainError({ code: 'overloaded', status: 503, title: 'Overloaded' }), host('http'));
    expect(response.statusCode).toBe(503);
    expect(lines).toHaveLength(0);
  });

  it('sets Retry-After from the retry delay a DomainError carries, and none when it carries none', () => {
    const { filter, response, host } = setup();
    filter.catch(
      new DomainError({ code: 'rate_limited', status: 429, title: 'Too many', retryAfterS: 3 }),
      host('http'),
    );
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');

    const second = setup();
    second.filter.catch(
      new DomainError({ code: 'declined', status: 402, title: 'Declined' }),
      second.host('http'),
    );
    expect(second.response.statusCode).toBe(402);
    expect(second.response.headers).not.toHaveProperty('retry-after');
  });

  it('answers an error of an unavailable dependency 503 with Retry-After and logs it at warn', () => {
    class ConnectionDropped extends Error {}
    const { filter, response, host, lines } = setup({
      service: 'payment',
      unavailableErrors: {
        matches: (error) => error instanceof ConnectionDropped,
        code: 'storage_unavailable',
        retryAfterS: 2,
      },
    });
    filter.catch(new ConnectionDropped('terminating connection'), host('http'));
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(JSON.parse(response.body)).toMatchObject({
      type: 'https://keel.dev/problems/storage_unavailable',
      status: 503,
    });
    expect(response.body).not.toContain('terminating connection');
    expect((JSON.parse(lines[0] ?? '{}') as { level: string }).level).toBe('warn');

    filter.catch(new Error('a bug'), host('http'));
    expect(response.statusCode).toBe(500);
  });

  it('cuts the connection when the response has already started', () => {
    const { filter, response, host } = setup();
    response.headersSent = true;
    filter.catch(new Error('mid-stream'), host('http'));
    expect(response.destroyed).toBe(true);
    expect(response.body).toBe('');
  });

  it('hands errors of other transports back as an error stream', async () => {
    const { filter, host } = setup();
    const error = new Error('handler failed');
    const result = filter.catch(error, host('rpc'));
    expect(result).toBeInstanceOf(Observable);
    await expect(firstValueFrom(result as Observable<never>)).rejects.toBe(error);
  });
});
