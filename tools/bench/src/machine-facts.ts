import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { resolveEndpoints } from '@keel/local-infra';

const run = promisify(execFile);

export interface MachineFacts {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly java: string;
  readonly postgres: string;
  readonly kafka: string;
  readonly gitCommit: string;
  /** 1-minute load average when the run began: other work on a shared machine shows here. */
  readonly loadAverage1mAtStart: number;
}

async function firstLine(command: string, args: readonly string[], fromStderr = false): Promise<string> {
  try {
    const { stdout, stderr } = await run(command, [...args]);
    return (fromStderr ? stderr : stdout).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
}

async function postgresVersion(): Promise<string> {
  const client = new Client({ connectionString: resolveEndpoints().databaseUrl });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

function kafkaVersion(libDirectory: string): string {
  const jar = readdirSync(libDirectory).find((name) => /^kafka-clients-[\d.]+\.jar$/.test(name));
  return jar === undefined ? 'unknown' : jar.replace(/^kafka-clients-|\.jar$/g, '');
}

async function gitCommit(): Promise<string> {
  const commit = await firstLine('git', ['rev-parse', '--short=12', 'HEAD']);
  const status = await firstLine('git', ['status', '--porcelain', '--untracked-files=no']);
  return status === '' ? commit : `${commit} (with uncommitted changes)`;
}

/** What the figures were measured on, for the report. */
export async function machineFacts(kafkaLibDirectory: string): Promise<MachineFacts> {
  const release = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((10 * totalmem()) / 2 ** 30) / 10,
    os: release?.[1] ?? process.platform,
    node: process.version,
    java: await firstLine('java', ['-version'], true),
    postgres: await postgresVersion(),
    kafka: kafkaVersion(kafkaLibDirectory),
    gitCommit: await gitCommit(),
    loadAverage1mAtStart: loadavg()[0],
  };
}
