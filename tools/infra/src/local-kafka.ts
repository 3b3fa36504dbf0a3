import { execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createKafkajsClient, parseBrokerList, silentLogger, DEFAULT_KAFKA_TIMEOUTS } from '@keel/messaging';
import { workspaceRoot, type InfraState } from '@keel/local-infra';
import { isPortOpen, isProcessAlive, positiveIntegerFromEnv, stopProcess } from './process.util';

const POM_PATH = join(workspaceRoot(), 'deploy', 'kafka', 'pom.xml');

interface BrokerLayout {
  root: string;
  libDirectory: string;
  dataDirectory: string;
  configPath: string;
  log4jConfigPath: string;
  logPath: string;
  port: number;
  controllerPort: number;
}

function layout(stateDir: string): BrokerLayout {
  const root = join(stateDir, 'kafka');
  const pomHash = createHash('sha256').update(readFileSync(POM_PATH)).digest('hex').slice(0, 12);
  const port = positiveIntegerFromEnv('KEEL_KAFKA_PORT', 19092);
  return {
    root,
    libDirectory: join(root, `lib-${pomHash}`),
    dataDirectory: join(root, 'data'),
    configPath: join(root, 'server.properties'),
    log4jConfigPath: join(root, 'log4j2.properties'),
    logPath: join(root, 'broker.log'),
    port,
    controllerPort: positiveIntegerFromEnv('KEEL_KAFKA_CONTROLLER_PORT', port + 1),
  };
}

/** Kafka from KAFKA_BROKERS, or a single-node KRaft broker started from Maven Central's jars. */
export async function upKafka(
  stateDir: string,
  previous?: InfraState['kafka'],
): Promise<InfraState['kafka']> {
  const fromEnvironment = process.env['KAFKA_BROKERS'];
  if (fromEnvironment) {
    const brokers = parseBrokerList(fromEnvironment);
    await waitForBroker(brokers, 15_000);
    return { brokers, source: 'environment' };
  }
  const broker = layout(stateDir);
  const brokers = [`127.0.0.1:${broker.port}`];
  if (
    previous?.pid !== undefined &&
    isProcessAlive(previous.pid) &&
    (await isPortOpen('127.0.0.1', broker.port))
  ) {
    await waitForBroker(brokers, 15_000);
    return { ...previous, brokers };
  }
  for (const port of [broker.port, broker.controllerPort]) {
    if (await isPortOpen('127.0.0.1', port)) {
      throw new Error(
        `port ${port} is taken by another process; set KEEL_KAFKA_PORT (and KEEL_KAFKA_CONTROLLER_PORT) to free ports, or KAFKA_BROKERS to use a running Kafka`,
      );
    }
  }
  resolveJars(broker);
  writeConfig(broker);
  formatStorage(broker);
  const pid = startBroker(broker);
  const timeoutMs = positiveIntegerFromEnv('KEEL_KAFKA_START_TIMEOUT_MS', 90_000);
  try {
    await waitForBroker(brokers, timeoutMs, () => isProcessAlive(pid));
  } catch (error) {
    throw new Error(`Kafka did not come up (${(error as Error).message}); broker log: ${broker.logPath}`);
  }
  return { brokers, source: 'started', pid, logPath: broker.logPath };
}

export async function downKafka(kafka: InfraState['kafka']): Promise<string> {
  if (kafka.source !== 'started' || kafka.pid === undefined)
    return `Kafka (${kafka.source}) was not started by Keel; left running`;
  if (!isProcessAlive(kafka.pid)) return 'Kafka broker is not running';
  await stopProcess(kafka.pid, positiveIntegerFromEnv('KEEL_KAFKA_STOP_TIMEOUT_MS', 30_000));
  return `Kafka broker (pid ${kafka.pid}) stopped`;
}

export async function kafkaStatus(kafka: InfraState['kafka']): Promise<string> {
  const up = await waitForBroker(kafka.brokers, 3_000).then(
    () => true,
    () => false,
  );
  const pid = kafka.pid === undefined ? '' : `, pid ${kafka.pid}`;
  return `Kafka ${up ? 'up' : 'DOWN'} at ${kafka.brokers.join(',')} (${kafka.source}${pid})`;
}

export async function waitForBroker(
  brokers: string[],
  timeoutMs: number,
  stillStarting?: () => boolean,
): Promise<void> {
  const admin = createKafkajsClient(
    { brokers, clientId: 'keel-infra', ...DEFAULT_KAFKA_TIMEOUTS, connectionTimeoutMs: 1_000 },
    silentLogger,
  ).admin();
  try {
    const deadline = Date.now() + timeoutMs;
    while (true) {
      const remainingMs = deadline - Date.now();
      if (stillStarting !== undefined && !stillStarting()) throw new Error('the broker process exited');
      try {
        await admin.waitUntilReady(Math.min(remainingMs, 2_000));
        return;
      } catch (error) {
        if (Date.now() >= deadline) throw error;
      }
    }
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function resolveJars(broker: BrokerLayout): void {
  if (existsSync(join(broker.libDirectory, '.complete'))) return;
  requireCommand(
    'java',
    ['-version'],
    'Java 17+ is needed to run the local Kafka broker (or set KAFKA_BROKERS)',
  );
  requireCommand(
    'mvn',
    ['-v'],
    'Maven is needed to fetch the Kafka jars from Maven Central (or set KAFKA_BROKERS)',
  );
  const staging = `${broker.libDirectory}.partial`;
  rmSync(staging, { recursive: true, force: true });
  console.log(`Fetching Apache Kafka jars through Maven into ${broker.libDirectory} ...`);
  execFileSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      POM_PATH,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${staging}`,
    ],
    { stdio: 'inherit' },
  );
  writeFileSync(join(staging, '.complete'), new Date().toISOString());
  renameSync(staging, broker.libDirectory);
}

function requireCommand(command: string, args: string[], explanation: string): void {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
  } catch {
    throw new Error(`${command} was not found or does not run: ${explanation}`);
  }
}

function writeConfig(broker: BrokerLayout): void {
  mkdirSync(broker.dataDirectory, { recursive: true });
  const config = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${broker.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${broker.port},CONTROLLER://127.0.0.1:${broker.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${broker.port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${broker.dataDirectory}`,
    // Topics come from the contracts catalog with explicit partition counts, never by accident.
    'auto.create.topics.enable=false',
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    // A single local node: start serving consumer groups at once instead of waiting for members.
    'group.initial.rebalance.delay.ms=0',
    'log.retention.hours=72',
    'delete.topic.enable=true',
  ];
  writeFileSync(broker.configPath, `${config.join('\n')}\n`);
  writeFileSync(
    broker.log4jConfigPath,
    [
      'appender.console.type=Console',
      'appender.console.name=STDOUT',
      'appender.console.layout.type=PatternLayout',
      'appender.console.layout.pattern=[%d] %p %m (%c)%n',
      'rootLogger.level=WARN',
      'rootLogger.appenderRef.stdout.ref=STDOUT',
      'logger.server.name=kafka.server.KafkaRaftServer',
      'logger.server.level=INFO',
      '',
    ].join('\n'),
  );
}

function formatStorage(broker: BrokerLayout): void {
  if (existsSync(join(broker.dataDirectory, 'meta.properties'))) return;
  // A cluster id is 16 random bytes in URL-safe base64, as `kafka-storage random-uuid` makes it.
  const clusterId = randomBytes(16).toString('base64url');
  execFileSync(
    'java',
    [
      '-cp',
      join(broker.libDirectory, '*'),
      'kafka.tools.StorageTool',
      'format',
      `--cluster-id=${clusterId}`,
      '--config',
      broker.configPath,
    ],
    { stdio: 'pipe' },
  );
}

function startBroker(broker: BrokerLayout): number {
  const log = openSync(broker.logPath, 'a');
  const heap = process.env['KEEL_KAFKA_HEAP'] ?? '1g';
  const child = spawn(
    'java',
    [
      `-Xmx${heap}`,
      '-Xms256m',
      '-XX:+UseG1GC',
      `-Dlog4j2.configurationFile=${broker.log4jConfigPath}`,
      '-cp',
      join(broker.libDirectory, '*'),
      'kafka.Kafka',
      broker.configPath,
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  child.unref();
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not start java');
  return child.pid;
}
