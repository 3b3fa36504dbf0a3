import { closedPort, FakePspServer } from '../__fixtures__/fake-psp-server';
import { PspProtocolError, PspUnavailableError, PspUnknownOutcomeError } from '../psp.error';
import { PspHttpClient, type PspHttpSettings } from './psp-http';
import { parseRetryAfterMs } from './retry-after.util';

const settings: PspHttpSettings = { timeoutMs: 300, responseBodyBytesMax: 1_024, connectionsMax: 4 };
const clients: PspHttpClient[] = [];

function clientOf(options: Partial<PspHttpSettings> = {}): PspHttpClient {
  const client = new PspHttpClient('test', { ...settings, ...options });
  clients.push(client);
  return client;
}
let server: FakePspServer;

beforeAll(async () => {
  server = await FakePspServer.start();
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.stop();
});

function post(url = `${server.baseUrl}/charge`, options: Partial<PspHttpSettings> = {}): Promise<unknown> {
  return clientOf(options).send({ method: 'POST', url, headers: {}, body: '{}' });
}

describe('PspHttpClient classifies every failure by whether the PSP may have processed it', () => {
  it('returns 2xx and 4xx answers for the connector to read', async () => {
    server.respondInTurn({ status: 200, body: { ok: true } }, { status: 401, body: { error: 'auth' } });
    await expect(post()).resolves.toMatchObject({ status: 200, body: '{"ok":true}' });
    await expect(post()).resolves.toMatchObject({ status: 401 });
  });

  it('a refused connection was never sent: unavailable', async () => {
    const port = await closedPort();
    const error = await post(`http://127.0.0.1:${port}/charge`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PspUnavailableError);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('503 and 429 are answered before processing: unavailable, with Retry-After', async () => {
    server.respondInTurn({ status: 503, headers: { 'retry-after': '7' } }, { status: 429 });
    const unavailable = await post().catch((caught: unknown) => caught);
    expect(unavailable).toBeInstanceOf(PspUnavailableError);
    expect((unavailable as PspUnavailableError).retryAfterMs).toBe(7_000);
    const throttled = await post().catch((caught: unknown) => caught);
    expect(throttled).toBeInstanceOf(PspUnavailableError);
    expect((throttled as PspUnavailableError).retryAfterMs).toBeUndefined();
  });

  it.each([500, 502, 504])('%i may come after processing: unknown outcome', async (status) => {
    server.respondInTurn({ status });
    const error = await post().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PspUnknownOutcomeError);
    expect(error).not.toBeInstanceOf(PspUnavailableError);
  });

  it('a timeout after sending is an unknown outcome, never unavailable', async () => {
    server.respondInTurn('hang');
    const startedMs = Date.now();
    const error = await post().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PspUnknownOutcomeError);
    expect((error as Error).message).toContain('TimeoutError');
    expect(Date.now() - startedMs).toBeLessThan(2_000);
  });

  it('a connection cut after sending is an unknown outcome', async () => {
    server.respondInTurn('reset');
    await expect(post()).rejects.toBeInstanceOf(PspUnknownOutcomeError);
  });

  it("the caller's abort signal ends the exchange as an unknown outcome", async () => {
    server.respondInTurn('hang');
    const controller = new AbortController();
    const pending = clientOf({ timeoutMs: 5_000 }).send(
      { method: 'POST', url: `${server.baseUrl}/charge`, headers: {}, body: '{}' },
      controller.signal,
    );
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(PspUnknownOutcomeError);
  });

  it('refuses to read a body over the limit', async () => {
    server.respondInTurn({ status: 200, body: 'x'.repeat(2_000) });
    await expect(post()).rejects.toBeInstanceOf(PspProtocolError);
  });

  it('sends method, headers and body as given', async () => {
    server.respondInTurn({ status: 200 });
    await clientOf().send({
      method: 'POST',
      url: `${server.baseUrl}/x?y=1`,
      headers: { 'x-test': 'yes' },
      body: 'a=b',
    });
    const request = server.requests[server.requests.length - 1];
    expect(request).toMatchObject({ method: 'POST', url: '/x?y=1', body: 'a=b' });
    expect(request?.headers['x-test']).toBe('yes');
  });
});

describe('parseRetryAfterMs', () => {
  const nowMs = Date.parse('2025-01-01T00:00:00Z');

  it('reads delay seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('120', nowMs)).toBe(120_000);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', nowMs)).toBe(30_000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', nowMs)).toBe(0);
  });

  it('ignores what is absent or unreadable', () => {
    expect(parseRetryAfterMs(null, nowMs)).toBeUndefined();
    expect(parseRetryAfterMs('soon', nowMs)).toBeUndefined();
    expect(parseRetryAfterMs('-5', nowMs)).toBeUndefined();
  });
});
