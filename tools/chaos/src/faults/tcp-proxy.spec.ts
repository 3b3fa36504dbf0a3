import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { freePort } from '@keel/local-system';
import { TcpProxy } from './tcp-proxy';

/** An echo server on a free port: answers every chunk with the same bytes. */
async function startEcho(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port, sockets };
}

function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `message` and resolves with how long the echo took to come back whole. */
function roundTripMs(socket: Socket, message: string): Promise<number> {
  return new Promise((resolve) => {
    const startedAt = Date.now();
    let received = '';
    const onData = (data: Buffer) => {
      received += data.toString();
      if (received.length < message.length) return;
      socket.off('data', onData);
      expect(received).toBe(message);
      resolve(Date.now() - startedAt);
    };
    socket.on('data', onData);
    socket.write(message);
  });
}

describe('TcpProxy (real sockets on 127.0.0.1)', () => {
  let echo: Awaited<ReturnType<typeof startEcho>>;
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = await startEcho();
    proxy = await TcpProxy.start({ name: 'echo', listenPort: await freePort(), targetPort: echo.port });
  });

  afterEach(async () => {
    await proxy.stop();
    for (const socket of echo.sockets) socket.destroy();
    await new Promise((resolve) => echo.server.close(resolve));
  });

  it('passes bytes both ways unchanged', async () => {
    const client = await connect(proxy.port);
    expect(await roundTripMs(client, 'hello through the proxy')).toBeLessThan(250);
    client.destroy();
  });

  it('delays each direction by the delay set, keeps order, and stops delaying when set to 0', async () => {
    const client = await connect(proxy.port);
    proxy.setDelay(150);
    // Two hops (to the server and back), each delayed.
    expect(await roundTripMs(client, 'slow')).toBeGreaterThanOrEqual(290);
    const many = Array.from({ length: 50 }, (_, index) => `<${index}>`).join('');
    expect(await roundTripMs(client, many)).toBeGreaterThanOrEqual(290);
    proxy.setDelay(0);
    expect(await roundTripMs(client, 'fast again')).toBeLessThan(250);
    client.destroy();
  });

  it('resets every open connection and still accepts new ones', async () => {
    const client = await connect(proxy.port);
    await roundTripMs(client, 'before');
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    proxy.resetConnections();
    await closed;
    expect(proxy.openConnections).toBe(0);
    const again = await connect(proxy.port);
    expect(await roundTripMs(again, 'after')).toBeLessThan(250);
    again.destroy();
  });

  it('refuses a delay out of bounds', () => {
    expect(() => proxy.setDelay(-1)).toThrow('delay');
    expect(() => proxy.setDelay(1.5)).toThrow('delay');
  });
});
