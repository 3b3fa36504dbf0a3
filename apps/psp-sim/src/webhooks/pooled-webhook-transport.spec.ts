import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { waitFor } from '@keel/testing';
import type { WebhookRequest } from '@keel/psp-sim-domain';
import { PooledWebhookTransport } from './pooled-webhook-transport';

interface Received {
  readonly path: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly socket: Socket;
}

/** A receiver on a free port whose answers the test decides, one request at a time. */
async function startReceiver(answer: (request: IncomingMessage, response: ServerResponse) => void) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        path: request.url,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        socket: request.socket,
      });
      answer(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  const close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { received, url, close };
}

function webhook(url: string, overrides: Partial<WebhookRequest> = {}): WebhookRequest {
  return {
    url,
    headers: { 'content-type': 'application/json', 'acme-signature': 't=1,v1=00' },
    body: '{"id":"evt_1","amount":"₩1000"}',
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    ...overrides,
  };
}

describe('PooledWebhookTransport', () => {
  let transport: PooledWebhookTransport;

  beforeEach(() => {
    transport = new PooledWebhookTransport({ maxSocketsPerReceiver: 2 });
  });

  afterEach(() => transport.close());

  it('posts the body byte for byte with its headers, and answers the status without following redirects', async () => {
    let status = 204;
    const receiver = await startReceiver((_request, response) => {
      response.statusCode = status;
      if (status === 302) response.setHeader('location', '/elsewhere');
      response.end('ignored answer body');
    });
    try {
      expect(await transport.post(webhook(`${receiver.url}?merchant=m1`))).toBe(204);
      status = 302;
      expect(await transport.post(webhook(receiver.url))).toBe(302);
      expect(receiver.received.map((request) => request.path)).toEqual(['/hooks?merchant=m1', '/hooks']);
      const [first] = receiver.received;
      expect(first?.body).toBe('{"id":"evt_1","amount":"₩1000"}');
      expect(first?.headers).toMatchObject({
        'content-type': 'application/json',
        'acme-signature': 't=1,v1=00',
        'content-length': String(Buffer.byteLength('{"id":"evt_1","amount":"₩1000"}')),
      });
    } finally {
      await receiver.close();
    }
  });

  it('sends one webhook after another on the same kept-alive connection', async () => {
    const receiver = await startReceiver((_request, response) => response.end());
    try {
      for (let index = 0; index < 3; index += 1) await transport.post(webhook(receiver.url));
      const sockets = new Set(receiver.received.map((request) => request.socket));
      expect(sockets.size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('opens at most maxSocketsPerReceiver connections; the other webhooks wait for one', async () => {
    const receiver = await startReceiver((_request, response) => setTimeout(() => response.end(), 50));
    try {
      const statuses = await Promise.all(
        Array.from({ length: 6 }, () => transport.post(webhook(receiver.url))),
      );
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
      expect(new Set(receiver.received.map((request) => request.socket)).size).toBe(2);
    } finally {
      await receiver.close();
    }
  });

  it('rejects when no answer comes within the timeout', async () => {
    const receiver = await startReceiver(() => undefined);
    try {
      await expect(transport.post(webhook(receiver.url, { timeoutMs: 100 }))).rejects.toThrow(
        'no answer within 100 ms',
      );
    } finally {
      await receiver.close();
    }
  });

  it('rejects when its signal is aborted, and on a refused connection', async () => {
    const receiver = await startReceiver(() => undefined);
    try {
      const abort = new AbortController();
      const sending = transport.post(webhook(receiver.url, { signal: abort.signal }));
      await waitFor(() => receiver.received.length === 1, { description: 'the webhook at its receiver' });
      abort.abort();
      await expect(sending).rejects.toThrow(/abandoned/);
    } finally {
      await receiver.close();
    }
    await expect(transport.post(webhook(receiver.url))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('sends nothing with a signal aborted already', async () => {
    const receiver = await startReceiver((_request, response) => response.end());
    try {
      const abort = new AbortController();
      abort.abort();
      await expect(transport.post(webhook(receiver.url, { signal: abort.signal }))).rejects.toThrow(
        /abandoned/,
      );
      expect(receiver.received).toHaveLength(0);
    } finally {
      await receiver.close();
    }
  });
});
