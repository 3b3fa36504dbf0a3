import { randomBytes } from 'node:crypto';
import { provisionServiceDatabase, serviceDatabaseUrl } from '@keel/database';
import { isKeelService, type SystemProcessName } from './service-catalog';

/**
 * Provisions the database of each Keel service among `processes` as a deployment's platform would
 * (provisionServiceDatabase: its own role owning only it), with a password made for this start, and
 * answers the DATABASE_URL each service connects with: its own role, never the administrator of
 * `postgresUrl`. Services given the same database share its role.
 */
export async function provisionServiceDatabases(
  postgresUrl: string,
  databaseOf: (service: SystemProcessName) => string,
  processes: readonly SystemProcessName[],
): Promise<ReadonlyMap<SystemProcessName, string>> {
  const passwords = new Map<string, string>();
  const urls = new Map<SystemProcessName, string>();
  for (const service of processes.filter(isKeelService)) {
    const database = databaseOf(service);
    let password = passwords.get(database);
    if (password === undefined) {
      password = randomBytes(24).toString('base64url');
      await provisionServiceDatabase(postgresUrl, { database, password });
      passwords.set(database, password);
    }
    urls.set(service, serviceDatabaseUrl(postgresUrl, { database, password }));
  }
  return urls;
}
