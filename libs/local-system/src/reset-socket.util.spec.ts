import { once } from 'node:events';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { resetSocket } from './reset-socket.util';

/** A server on a free port that hands over the socket of each connection it accepts. */
async function startServer(): Promise<{ server: Server; accepted: Promise<Socket> }> {
  const server = createServer();
  const accepted = once(server, 'connection').then(([socket]) => socket as Socket);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, accepted };
}

async function connectTo(server: Server): Promise<Socket> {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server not listening on TCP');
  const socket = createConnection({ host: '127.0.0.1', port: address.port });
  await once(socket, 'connect');
  return socket;
}

/** What a socket saw first: its close, or an error. */
function firstEvent(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    socket.once('close', () => resolve('close'));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error ${error.code}`));
  });
}

describe('resetSocket', () => {
  let server: Server;
  let accepted: Promise<Socket>;

  beforeEach(async () => ({ server, accepted } = await startServer()));

  afterEach(async () => {
    (await accepted).destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('resets an open connection: the peer sees ECONNRESET', async () => {
    const client = await connectTo(server);
    const peer = await accepted;
    const peerSaw = firstEvent(peer);
    const clientSaw = firstEvent(client);
    resetSocket(client);
    expect(await clientSaw).toBe('close');
    expect(await peerSaw).toBe('error ECONNRESET');
  });

  it('closes a socket whose end() is still being sent, where a reset would leave it open for ever', async () => {
    const client = await connectTo(server);
    const peer = await accepted;
    const peerEnded = once(peer, 'end');
    const clientSaw = firstEvent(client);
    client.end();
    resetSocket(client);
    expect(await clientSaw).toBe('close');
    await peerEnded;
  });
});
