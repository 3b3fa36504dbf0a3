import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInfraState, stateDirectory, workspaceRoot } from '@keel/local-infra';
import {
  configuredPort,
  DEFAULT_PORTS,
  DEFAULT_PSP_PORTS,
  KeelSystem,
  PSP_IDS,
  SYSTEM_PROCESSES,
  type PspId,
  type SystemProcessName,
} from '@keel/local-system';

const READY_TIMEOUT_MS = Number(process.env['KEEL_START_TIMEOUT_MS'] ?? 120_000);
const STOP_GRACE_MS = Number(process.env['KEEL_STOP_GRACE_MS'] ?? 15_000);

/** `npm start`: the PSP simulator and every service on the local infrastructure, until Ctrl-C. */
async function main(): Promise<void> {
  const infra = readInfraState();
  if (infra === undefined) throw new Error('no infrastructure: run npm run infra:up');
  const ports = Object.fromEntries(
    SYSTEM_PROCESSES.map((name) => [name, configuredPort(name, DEFAULT_PORTS[name])]),
  ) as Record<SystemProcessName, number>;
  const pspPorts = Object.fromEntries(
    PSP_IDS.map((psp) => [psp, configuredPort(`psp_sim_${psp}`, DEFAULT_PSP_PORTS[psp])]),
  ) as Record<PspId, number>;
  const system = await KeelSystem.start(
    {
      root: workspaceRoot(),
      postgresUrl: infra.postgres.url,
      kafkaBrokers: infra.kafka.brokers,
      ports,
      pspPorts,
      host: process.env['KEEL_HOST'] ?? '127.0.0.1',
      logDirectory: join(stateDirectory(), 'logs'),
      readyTimeoutMs: READY_TIMEOUT_MS,
    },
    (name, logPath) => {
      console.error(`${name} exited unexpectedly; last lines of ${logPath}:`);
      console.error(tail(logPath, 15));
    },
  );
  const stop = () => {
    console.log('stopping ...');
    system.stop(STOP_GRACE_MS).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  console.log('\nKeel is running (Ctrl-C stops it):');
  for (const name of system.names()) {
    console.log(`  ${name.padEnd(15)} ${system.url(name).padEnd(24)} log ${system.process(name).logPath}`);
  }
  console.log(`  ${'postgres'.padEnd(15)} ${infra.postgres.url}`);
  console.log(`  ${'kafka'.padEnd(15)} ${infra.kafka.brokers.join(',')}`);
  console.log('\nThe payment API takes a merchant API key (Authorization: Bearer sk_test_…). Create one:');
  console.log('  KEEL_KEY=$(npm run -s keys -- create --merchant merchant_1)');
  console.log(`  curl -s ${system.url('payment')}/v1/payments -H "authorization: Bearer $KEEL_KEY"`);
  console.log(
    '\nInternal endpoints (/metrics, routes, wallet and ledger reads, /v1/admin/api-keys) take an operator token',
  );
  console.log('(roles viewer < operator < admin). Mint one:');
  console.log(
    '  KEEL_OPERATOR=$(KEEL_PROFILE=local npm run -s operator -- token --name "$USER" --role viewer)',
  );
  console.log(`  curl -s ${system.url('ledger')}/v1/trial-balance -H "authorization: Bearer $KEEL_OPERATOR"`);
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
