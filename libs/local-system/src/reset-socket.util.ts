import type { Socket } from 'node:net';

/**
 * Cuts a connection the way a crash does (a TCP reset), where Node can: `resetAndDestroy()` on a
 * socket whose own end() is still being sent is refused by libuv (EINVAL), and Node forgets the
 * handle anyway, so its descriptor stays open and Node's exit spins for ever closing it. Such a
 * socket is destroyed instead; the peer sees a close rather than a reset.
 */
export function resetSocket(socket: Socket): void {
  if (socket.writableEnded && !socket.writableFinished) socket.destroy();
  else socket.resetAndDestroy();
}
