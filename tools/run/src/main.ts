import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { databaseUrlFor } from '@keel/database';
import { readInfraState, stateDirectory, workspaceRoot } from '@keel/local-infra';
import { waitFor } from '@keel/testing';
import { portOf, SERVICES } from './service-catalog';
import { ServiceProcess } from './service-process';

const READY_TIMEOUT_MS = Number(process.env['KEEL_START_TIMEOUT_MS'] ?? 120_000);
const STOP_GRACE_MS = Number(process.env['KEEL_STOP_GRACE_MS'] ?? 15_000);

/** `npm start`: every service on the local infrastructure, until Ctrl-C. */
async function main(): Promise<void> {
  const infra = readInfraState();
  if (infra === undefined) throw new Error('no infrastructure: run npm run infra:up');
  const root = workspaceRoot();
  const logDirectory = join(stateDirectory(), 'logs');
  const running = SERVICES.map((service) => {
    const port = portOf(service);
    const process_ = new ServiceProcess({
      name: service.name,
      entryPoint: join('apps', service.name, 'src', 'main.ts'),
      cwd: root,
      logDirectory,
      environment: {
        ...process.env,
        PORT: String(port),
        HOST: process.env['KEEL_HOST'] ?? '127.0.0.1',
        KAFKA_BROKERS: infra.kafka.brokers.join(','),
        ...(service.database === undefined
          ? {}
          : { DATABASE_URL: databaseUrlFor(infra.postgres.url, service.database) }),
      },
    });
    return { service, port, process: process_ };
  });

  let stopping = false;
  for (const entry of running) {
    entry.process.start((code, signal) => {
      if (stopping) return;
      console.error(
        `${entry.service.name} exited (${signal ?? `code ${code}`}); last lines of ${entry.process.logPath}:`,
      );
      console.error(tail(entry.process.logPath, 15));
    });
  }
  const stop = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    console.log('stopping services ...');
    await Promise.all(running.map((entry) => entry.process.stop(STOP_GRACE_MS)));
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const allReady = Promise.all(
    running.map(({ service, port, process: child }) =>
      waitFor(
        async () => {
          if (!child.isRunning()) throw new Error(`${service.name} is not running; see ${child.logPath}`);
          return (await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200;
        },
        { timeoutMs: READY_TIMEOUT_MS, intervalMs: 250, description: `${service.name} to be ready` },
      ),
    ),
  );
  await allReady.catch(async (error: unknown) => {
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  });
  console.log('\nKeel is running (Ctrl-C stops it):');
  for (const { service, port, process: child } of running) {
    console.log(`  ${service.name.padEnd(15)} http://127.0.0.1:${port}   log ${child.logPath}`);
  }
  console.log(`  ${'postgres'.padEnd(15)} ${infra.postgres.url}`);
  console.log(`  ${'kafka'.padEnd(15)} ${infra.kafka.brokers.join(',')}`);
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

main().catch((error: unknown) => {
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
