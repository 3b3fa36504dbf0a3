import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** The repository root: the nearest folder above this file that holds nx.json. */
export function workspaceRoot(): string {
  for (let directory = __dirname; directory !== dirname(directory); directory = dirname(directory)) {
    if (existsSync(join(directory, 'nx.json'))) return directory;
  }
  return process.cwd();
}

/** Where local infrastructure keeps jars, data, logs and pids: git-ignored, under the repo. */
export function stateDirectory(): string {
  const directory = resolve(process.env['KEEL_STATE_DIR'] ?? join(workspaceRoot(), '.keel'));
  mkdirSync(directory, { recursive: true });
  return directory;
}

export type EndpointSource = 'environment' | 'local-server' | 'embedded' | 'started';

export interface InfraState {
  postgres: { url: string; source: EndpointSource; pid?: number; dataDirectory?: string };
  kafka: { brokers: string[]; source: EndpointSource; pid?: number; logPath?: string };
}

function statePath(): string {
  return join(stateDirectory(), 'infra.json');
}

export function readInfraState(): InfraState | undefined {
  const path = statePath();
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as InfraState;
}

export function writeInfraState(state: InfraState): void {
  writeFileSync(statePath(), `${JSON.stringify(state, null, 2)}\n`);
}

/**
 * Where the infrastructure is: DATABASE_URL and KAFKA_BROKERS when set, else what
 * `npm run infra:up` recorded. Throws with the command to run when neither is there.
 */
export function resolveEndpoints(): { databaseUrl: string; kafkaBrokers: string[] } {
  const state = readInfraState();
  const databaseUrl = process.env['DATABASE_URL'] ?? state?.postgres.url;
  const brokers = process.env['KAFKA_BROKERS'] ?? state?.kafka.brokers.join(',');
  if (databaseUrl === undefined || brokers === undefined) {
    throw new Error('no infrastructure: run `npm run infra:up` first, or set DATABASE_URL and KAFKA_BROKERS');
  }
  return { databaseUrl, kafkaBrokers: brokers.split(',').map((broker) => broker.trim()) };
}
