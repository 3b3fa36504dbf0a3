import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Closes an HTTP server without cutting a request. Node's `server.close()` alone stops listening and
 * closes the connections idle at that instant, but a kept-alive connection busy with a request is
 * reused by its client afterwards, and the server only ends once that connection idles out
 * (keepAliveTimeout). So this keeps the responses in flight, asks each client to close its
 * connection (`Connection: close`), and closes every connection that falls idle.
 */
export class HttpServerDrain {
  private readonly inFlight = new Set<ServerResponse>();
  private keepAliveStopped = false;
  private closing = false;

  constructor(private readonly server: Server) {
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => this.track(response));
  }

  /**
   * Every response from now on closes its connection, so clients and load balancers that pool
   * connections open new ones, which go to instances that are still ready.
   */
  stopKeepAlive(): void {
    this.keepAliveStopped = true;
    for (const response of this.inFlight) closeAfter(response);
  }

  /** Stops taking connections; resolves once every request in flight has been answered. */
  async close(): Promise<void> {
    this.stopKeepAlive();
    this.closing = true;
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error === undefined ? resolve() : reject(error)));
    });
    this.server.closeIdleConnections();
    await closed;
  }

  private track(response: ServerResponse): void {
    if (this.keepAliveStopped) closeAfter(response);
    this.inFlight.add(response);
    response.once('close', () => {
      this.inFlight.delete(response);
      // A response whose headers left before closing began kept its connection; it is idle now.
      if (this.closing) setImmediate(() => this.server.closeIdleConnections());
    });
  }
}

function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
