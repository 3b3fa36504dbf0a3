import { Client, type ClientConfig } from 'pg';

/**
 * The readiness check's own connection to the service's database. It asks whether the database
 * answers, not whether the pool has a connection free: under load, or with the database slowed by
 * the network, every pooled connection may be busy while the instance is fine. One connection,
 * opened on first use and again after an error; the caller runs one ping at a time.
 */
export class DatabaseProbe {
  private client: Client | undefined;

  constructor(private readonly config: ClientConfig) {}

  async ping(): Promise<void> {
    const client = this.client ?? (await this.connect());
    try {
      await client.query('SELECT 1');
    } catch (error) {
      await this.drop(client);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (this.client !== undefined) await this.drop(this.client);
  }

  private async connect(): Promise<Client> {
    const client = new Client(this.config);
    // A connection the server ends between pings is replaced by the next ping.
    client.on('error', () => void this.drop(client));
    await client.connect();
    this.client = client;
    return client;
  }

  private async drop(client: Client): Promise<void> {
    if (this.client === client) this.client = undefined;
    await client.end().catch(() => undefined);
  }
}
