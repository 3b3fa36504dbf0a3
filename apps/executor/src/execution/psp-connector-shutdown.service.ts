import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { PspConnectorRegistry } from '@keel/executor-connectors';

/**
 * Closes the PSP connectors' connection pools at shutdown. Nest runs this after every
 * onModuleDestroy hook has settled, so the worker, the resolver and the orphan refunds have
 * stopped and their calls have come back (the worker's outcomes written) before a pool closes.
 */
@Injectable()
export class PspConnectorShutdownService implements OnApplicationShutdown {
  constructor(private readonly connectors: PspConnectorRegistry) {}

  onApplicationShutdown(): Promise<void> {
    return this.connectors.close();
  }
}
