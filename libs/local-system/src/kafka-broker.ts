import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
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
import { dirname, join } from 'node:path';
import { stateDirectory, workspaceRoot } from '@keel/local-infra';
import { createKafkajsClient, DEFAULT_KAFKA_TIMEOUTS, silentLogger } from '@keel/messaging';

const POM_PATH = join(workspaceRoot(), 'deploy', 'kafka', 'pom.xml');

/** Where one single-node KRaft broker keeps its config, data and log, and the ports it uses. */
export interface KafkaBrokerLayout {
  readonly root: string;
  /** The broker's jars: shared by every broker of the workspace, fetched once per pom.xml. */
  readonly libDirectory: string;
  readonly dataDirectory: string;
  readonly configPath: string;
  readonly log4jConfigPath: string;
  readonly logPath: string;
  readonly port: number;
  readonly controllerPort: number;
  /** The port clients are told to connect to: the broker's own, or a proxy's in front of it. */
  readonly advertisedPort: number;
}

export interface KafkaBrokerLayoutOptions {
  readonly directory: string;
  readonly port: number;
  readonly controllerPort: number;
  readonly advertisedPort?: number;
  /** Where the broker's output goes; `broker.log` in `directory` by default. */
  readonly logPath?: string;
}

export function kafkaBrokerLayout(options: KafkaBrokerLayoutOptions): KafkaBrokerLayout {
  const pomHash = createHash('sha256').update(readFileSync(POM_PATH)).digest('hex').slice(0, 12);
  return {
    root: options.directory,
    libDirectory: join(stateDirectory(), 'kafka', `lib-${pomHash}`),
    dataDirectory: join(options.directory, 'data'),
    configPath: join(options.directory, 'server.properties'),
    log4jConfigPath: join(options.directory, 'log4j2.properties'),
    logPath: options.logPath ?? join(options.directory, 'broker.log'),
    port: options.port,
    controllerPort: options.controllerPort,
    advertisedPort: options.advertisedPort ?? options.port,
  };
}

/**
 * Fetches the jars if needed (saying so through `report`, it takes a while), writes the config and
 * formats the storage unless already formatted.
 */
export function prepareKafkaBroker(broker: KafkaBrokerLayout, report: (line: string) => void): void {
  resolveJars(broker, report);
  writeConfig(broker);
  formatStorage(broker);
}

export interface KafkaBrokerStartOptions {
  /** The JVM's maximum heap, e.g. `1g`. */
  readonly heap: string;
  /** A detached broker outlives the process that started it (`npm run infra:up`). */
  readonly detached: boolean;
}

/**
 * Class-data sharing (AppCDS) for the broker's JVM: with an archive of Kafka's classes next to its
 * jars, a broker starts about twice as fast on a busy two-core machine (measured 4.4–6.7 s against
 * 9.5–16 s at load 7–13), which is most of a broker restart's downtime. A broker we supervise
 * without one writes one when it stops cleanly, under a name of its own, moved into place at its
 * exit so concurrent brokers never share a half-written file. The JVM ignores an archive it cannot
 * use (another JVM version, other jars) and starts without it.
 */
function classDataSharing(broker: KafkaBrokerLayout, detached: boolean): { args: string[]; atExit(): void } {
  // The JVM refuses an archive made for jars at another path: one per place the jars are at.
  const pathHash = createHash('sha256').update(broker.libDirectory).digest('hex').slice(0, 12);
  const archive = join(broker.libDirectory, `kafka-${pathHash}.jsa`);
  if (existsSync(archive)) return { args: [`-XX:SharedArchiveFile=${archive}`], atExit: () => undefined };
  // A detached broker outlives us: nobody would move its archive into place.
  if (detached) return { args: [], atExit: () => undefined };
  const written = `${archive}.${randomBytes(4).toString('hex')}.partial`;
  return {
    // The dump warns once per class it skips; the broker's log is for the broker.
    args: [`-XX:ArchiveClassesAtExit=${written}`, '-Xlog:cds=off'],
    atExit: () => {
      if (!existsSync(written)) return;
      if (existsSync(archive)) rmSync(written, { force: true });
      else renameSync(written, archive);
    },
  };
}

/** Starts the broker (after `prepareKafkaBroker`), its output appended to the layout's log. */
export function startKafkaBroker(broker: KafkaBrokerLayout, options: KafkaBrokerStartOptions): ChildProcess {
  mkdirSync(dirname(broker.logPath), { recursive: true });
  const log = openSync(broker.logPath, 'a');
  const sharing = classDataSharing(broker, options.detached);
  const child = spawn(
    'java',
    [
      `-Xmx${options.heap}`,
      '-Xms256m',
      '-XX:+UseG1GC',
      ...sharing.args,
      `-Dlog4j2.configurationFile=${broker.log4jConfigPath}`,
      '-cp',
      join(broker.libDirectory, '*'),
      'kafka.Kafka',
      broker.configPath,
    ],
    { detached: options.detached, stdio: ['ignore', log, log] },
  );
  if (options.detached) child.unref();
  else child.once('exit', () => sharing.atExit());
  closeSync(log);
  if (child.pid === undefined) throw new Error('could not start java');
  return child;
}

/** Waits until the brokers answer an admin client; gives up at once when `stillStarting` says no. */
export async function waitForKafkaBroker(
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

function resolveJars(broker: KafkaBrokerLayout, report: (line: string) => void): void {
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
  report(`Fetching Apache Kafka jars through Maven into ${broker.libDirectory} ...`);
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

function writeConfig(broker: KafkaBrokerLayout): void {
  mkdirSync(broker.dataDirectory, { recursive: true });
  const config = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${broker.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${broker.port},CONTROLLER://127.0.0.1:${broker.controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${broker.advertisedPort}`,
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
    // After a crash the controller takes the broker's new registration only once the old one's
    // session has expired: 9 s by default, most of a killed broker's restart (12.7 s against 4.2 s
    // measured). Three seconds still spans six missed heartbeats on a busy machine.
    'broker.session.timeout.ms=3000',
    'broker.heartbeat.interval.ms=500',
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

function formatStorage(broker: KafkaBrokerLayout): void {
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
