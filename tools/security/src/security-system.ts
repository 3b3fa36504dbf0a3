import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { Client } from 'pg';
import { databaseUrlFor } from '@keel/database';
import { resolveEndpoints } from '@keel/local-infra';
import {
  KEEL_SERVICES,
  startIsolatedSystem,
  type IsolatedSystem,
  type KeelServiceName,
} from '@keel/local-system';

/** What every security spec runs against. */
export const SECURITY_ENVIRONMENT: NodeJS.ProcessEnv = {
  // No verdict is cached, so a revoked key is refused at once instead of API_KEY_CACHE_TTL_MS later.
  API_KEY_CACHE_TTL_MS: '0',
};

/**
 * A whole Keel for a security spec, isolated from every other run, with direct reads of what it
 * stores: its databases (as the server's superuser, since the services' HTTP reads are for
 * operators), and the directory of its log files.
 */
export class SecuritySystem {
  private databaseNames: Promise<Map<KeelServiceName, string>> | undefined;

  constructor(
    readonly isolated: IsolatedSystem,
    /** Unique to this system: its databases are `keel_t_<label>_<service>_…`, and no one else's are. */
    readonly label: string,
  ) {}

  get system(): IsolatedSystem['system'] {
    return this.isolated.system;
  }

  get namespace(): IsolatedSystem['namespace'] {
    return this.isolated.namespace;
  }

  /** The directory every process of this system writes its log file to. */
  logDirectory(): string {
    return dirname(this.system.process('payment').logPath);
  }

  /** Every database of this system, one per Keel service, by service. */
  databases(): Promise<Map<KeelServiceName, string>> {
    this.databaseNames ??= this.findDatabases();
    return this.databaseNames;
  }

  private async findDatabases(): Promise<Map<KeelServiceName, string>> {
    const names = await withDatabase('postgres', async (client) => {
      const prefix = `keel_t_${this.label}_`;
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY datname',
        [prefix],
      );
      return rows.map((row) => row.datname);
    });
    const byService = new Map<KeelServiceName, string>();
    for (const service of KEEL_SERVICES) {
      // createTestDatabase keeps 30 characters of `<label>_<service>`.
      const prefix = `keel_t_${`${this.label}_${service}`.slice(0, 30)}_`;
      const name = names.find((candidate) => candidate.startsWith(prefix));
      if (name === undefined) throw new Error(`no database of ${service} among ${names.join(', ')}`);
      byService.set(service, name);
    }
    return byService;
  }

  /** Rows of `sql` on the service's database. */
  async query<Row extends object>(
    service: KeelServiceName,
    sql: string,
    values: readonly unknown[] = [],
  ): Promise<Row[]> {
    const database = (await this.databases()).get(service);
    if (database === undefined) throw new Error(`no database of ${service}`);
    return withDatabase(database, async (client) => (await client.query<Row>(sql, [...values])).rows);
  }

  async stop(): Promise<void> {
    await this.isolated.stop();
  }
}

/** A whole Keel for a security spec (see SecuritySystem); `environment` adds to SECURITY_ENVIRONMENT. */
export async function startSecuritySystem(environment: NodeJS.ProcessEnv = {}): Promise<SecuritySystem> {
  const label = `security_${randomBytes(4).toString('hex')}`;
  const isolated = await startIsolatedSystem({
    label,
    environment: { ...SECURITY_ENVIRONMENT, ...environment },
  });
  return new SecuritySystem(isolated, label);
}

/** `work` with a connection to `database` on the server, as the superuser of the endpoints. */
export async function withDatabase<T>(database: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: databaseUrlFor(resolveEndpoints().databaseUrl, database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
