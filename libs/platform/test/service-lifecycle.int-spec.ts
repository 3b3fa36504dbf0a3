import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, get, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { DataSource } from 'typeorm';
import { buildEnvelope, toKafkaRecord, type EventEnvelope, type EventTypeRegistry } from '@keel/contracts';
import { createDataSource } from '@keel/database';
import { workspaceRoot } from '@keel/local-infra';
import { freePort, ServiceProcess } from '@keel/local-system';
import { KAFKA_CLIENT_KINDS } from '@keel/messaging';
import {
  createTestDatabase,
  createTestTopics,
  operatorAuthorization,
  sumOfMetric,
  TopicReader,
  waitFor,
  type TestDatabase,
  type TestTopics,
} from '@keel/testing';
import { PROBE_COMMAND, probeRegistry, type ProbeCommand } from './shutdown-probe.service';

jest.setTimeout(120_000);

/** The phases a service logs, in the order it must run them. */
const SHUTDOWN_PHASES = [
  'readiness',
  'drain',
  'http',
  'inbox consumer',
  'service workers',
  'outbox relay',
  'connections',
];

/** Timers of two processes compared by wall clock: a millisecond or so apart. */
const CLOCK_SLACK_MS = 50;
/** The probes run without KEEL_PROFILE=local, so with a secret of their own. */
const OPERATOR_TOKEN_SECRET = 'an-operator-token-secret-of-32-characters';

const run = randomBytes(3).toString('hex');
const logDirectory = mkdtempSync(join(tmpdir(), 'keel-graceful-shutdown-'));
let database: TestDatabase;
let topics: TestTopics;
let dataSource: DataSource;
let registry: EventTypeRegistry;
let admin: Admin;
const cleanUps: (() => Promise<void>)[] = [];

const COMMAND_TOPICS = [
  'commands-http',
  'commands-hang',
  ...KAFKA_CLIENT_KINDS.flatMap((kind) => [`commands-${kind}`, `commands-away-${kind}`]),
];

function topicOf(name: string): string {
  const topic = topics.names[name];
  if (topic === undefined) throw new Error(`no test topic ${name}`);
  return topic;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  atMs: number;
}

interface RunningProbe {
  url: string;
  process: ServiceProcess;
  exit: Promise<Exit>;
  /** Sends SIGTERM; returns when it was sent. */
  terminate(): number;
  /** The messages of the service's log lines, with their fields. */
  logLines(): Record<string, unknown>[];
}

/** The probe as a child process, consuming its own command topic (one per test, so each starts empty). */
async function startProbe(
  service: string,
  commandTopic: string,
  variables: Record<string, string>,
): Promise<RunningProbe> {
  const port = await freePort();
  const child = new ServiceProcess({
    name: `${service}-${port}`,
    entryPoint: join('libs', 'platform', 'test', 'shutdown-probe.process.ts'),
    cwd: workspaceRoot(),
    logDirectory,
    environment: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      OPERATOR_TOKEN_SECRET,
      KAFKA_BROKERS: topics.brokers.join(','),
      LOG_LEVEL: 'info',
      PROBE_SERVICE: service,
      PROBE_COMMAND_TOPIC: topicOf(commandTopic),
      PROBE_ECHO_TOPIC: topicOf('echoes'),
      ...variables,
    },
  });
  const exit = new Promise<Exit>((resolve) =>
    child.start((code, signal) => resolve({ code, signal, atMs: Date.now() })),
  );
  cleanUps.push(() => child.kill());
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/health/ready`)).status === 200, {
    giveUpIf: () => (child.isRunning() ? undefined : new Error(`${service} exited; see ${child.logPath}`)),
    timeoutMs: 60_000,
    intervalMs: 100,
    description: `${service} to be ready (log ${child.logPath})`,
  });
  return {
    url,
    process: child,
    exit,
    terminate: () => {
      const pid = child.pid;
      if (pid === undefined) throw new Error(`${service} has no process`);
      process.kill(pid, 'SIGTERM');
      return Date.now();
    },
    logLines: () =>
      readFileSync(child.logPath, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

function phasesLogged(probe: RunningProbe): unknown[] {
  return probe
    .logLines()
    .filter((line) => line['msg'] === 'shutdown phase done')
    .map((line) => line['phase']);
}

type Answer =
  | { kind: 'answered'; status: number; headers: IncomingHttpHeaders; body: string }
  | { kind: 'failed'; code: string };

/**
 * A GET on a connection of its own that asks to be kept alive, as a pooling client or load
 * balancer would; `onSocket` gets the connection, to watch it after the answer.
 */
function getOnNewConnection(url: string, onSocket?: (socket: Socket) => void): Promise<Answer> {
  const agent = new Agent({ keepAlive: true });
  return new Promise((resolve) => {
    const request = get(url, { agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ kind: 'answered', status: response.statusCode ?? 0, headers: response.headers, body });
        if (onSocket === undefined) agent.destroy();
      });
    });
    request.on('socket', (socket) => onSocket?.(socket));
    request.on('error', (error: NodeJS.ErrnoException) => {
      agent.destroy();
      resolve({ kind: 'failed', code: error.code ?? error.message });
    });
  });
}

async function rows<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
  return (await dataSource.query(sql, parameters)) as T[];
}

async function sendCommands(topic: string, count: number): Promise<EventEnvelope<ProbeCommand>[]> {
  const commands = Array.from({ length: count }, () =>
    buildEnvelope({ type: PROBE_COMMAND, source: '/keel/test', data: { commandId: randomUUID() } }, registry),
  );
  const producer = topics.kafka.producer();
  await producer.connect();
  try {
    await producer.send(commands.map((command) => ({ topic: topicOf(topic), ...toKafkaRecord(command) })));
  } finally {
    await producer.disconnect();
  }
  return commands;
}

beforeAll(async () => {
  database = await createTestDatabase('shutdown');
  // One partition: commands are read in the order sent, so a chunk is a run of consecutive ones.
  topics = await createTestTopics([...COMMAND_TOPICS, 'echoes'], 1);
  // Builds and validates commands; each test sends them to its own topic.
  registry = probeRegistry(topicOf('commands-http'), topicOf('echoes'));
  dataSource = createDataSource(
    {
      url: database.url,
      applicationName: 'keel-shutdown-test',
      poolSize: 2,
      connectTimeoutMs: 5_000,
      statementTimeoutMs: 30_000,
      idleInTransactionTimeoutMs: 60_000,
    },
    [],
    [],
  );
  await dataSource.initialize();
  admin = new Kafka({
    brokers: topics.brokers,
    clientId: 'keel-shutdown-test',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
});

afterEach(async () => {
  while (cleanUps.length > 0) await cleanUps.pop()?.();
});

afterAll(async () => {
  await admin.disconnect();
  await dataSource.destroy();
  await database.drop();
  await topics.delete();
  rmSync(logDirectory, { recursive: true, force: true });
});

describe('graceful shutdown of a Keel service process on SIGTERM', () => {
  it('fails readiness at once, serves through the drain, answers the request in flight, then refuses new connections', async () => {
    const drainDelayMs = 3_000;
    const slowMs = drainDelayMs + 2_000;
    const probe = await startProbe(`shutdown-http-${run}`, 'commands-http', {
      SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs),
      SHUTDOWN_TIMEOUT_MS: '15000',
    });
    let idleClosedAt: number | undefined;
    const idle = await getOnNewConnection(`${probe.url}/health/live`, (socket) =>
      socket.once('close', () => (idleClosedAt = Date.now())),
    );
    expect(idle).toMatchObject({ kind: 'answered', status: 200, headers: { connection: 'keep-alive' } });
    const requestId = randomUUID();
    let slowAnsweredAt: number | undefined;
    const slow = getOnNewConnection(`${probe.url}/v1/slow?requestId=${requestId}&ms=${slowMs}`).then(
      (answer) => {
        slowAnsweredAt = Date.now();
        return answer;
      },
    );
    await waitFor(
      async () =>
        (await rows('SELECT 1 FROM probe_requests WHERE request_id = $1', [requestId])).length === 1,
      { description: 'the slow request to be in flight' },
    );

    const signalledAt = probe.terminate();
    const unready = await waitFor(
      async () => {
        const answer = await getOnNewConnection(`${probe.url}/health/ready`);
        return answer.kind === 'answered' && answer.status === 503 && answer;
      },
      { timeoutMs: drainDelayMs, intervalMs: 20, description: 'readiness to fail' },
    );
    expect(Date.now() - signalledAt).toBeLessThan(drainDelayMs);
    expect(unready.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(unready.body)).toEqual({
      type: 'https://keel.dev/problems/not-ready',
      title: 'Service not ready',
      status: 503,
      detail: 'The service is shutting down.',
    });
    // Still in the drain: a new connection is served, and told not to stay.
    const live = await getOnNewConnection(`${probe.url}/health/live`);
    expect(Date.now() - signalledAt).toBeLessThan(drainDelayMs);
    expect(live).toMatchObject({ kind: 'answered', status: 200, headers: { connection: 'close' } });
    expect(idleClosedAt).toBeUndefined();

    // A connection made just as the listener closes sits in the kernel's backlog and is reset
    // (ECONNRESET) rather than refused: never served either. The listener's end is ECONNREFUSED.
    const failures: unknown[] = [];
    const refused = await waitFor(
      async () => {
        const answer = await getOnNewConnection(`${probe.url}/health/live`);
        if (answer.kind !== 'failed') return false;
        failures.push(answer.code);
        return answer.code === 'ECONNREFUSED' && answer;
      },
      { timeoutMs: drainDelayMs + 5_000, intervalMs: 50, description: 'new connections to be refused' },
    );
    expect(failures.filter((code) => code !== 'ECONNRESET' && code !== 'ECONNREFUSED')).toEqual([]);
    expect(refused.code).toBe('ECONNREFUSED');
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(drainDelayMs - CLOCK_SLACK_MS);
    expect(slowAnsweredAt).toBeUndefined();
    // The kept-alive idle connection was closed when the service stopped listening, not before; its
    // close can reach this client a moment after the refusal of a new connection does.
    const idleClosed = await waitFor(() => idleClosedAt, {
      timeoutMs: 2_000,
      intervalMs: 10,
      description: 'the idle kept-alive connection to be closed',
    });
    expect(idleClosed - signalledAt).toBeGreaterThanOrEqual(drainDelayMs - CLOCK_SLACK_MS);
    expect(slowAnsweredAt === undefined || idleClosed <= slowAnsweredAt).toBe(true);

    const answer = await slow;
    expect(answer).toMatchObject({ kind: 'answered', status: 200, headers: { connection: 'close' } });
    expect(answer.kind === 'answered' && JSON.parse(answer.body)).toEqual({ requestId, sleptMs: slowMs });
    const exit = await probe.exit;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.atMs - signalledAt).toBeLessThan(15_000);
    expect(phasesLogged(probe)).toEqual(SHUTDOWN_PHASES);
  });

  describe.each(KAFKA_CLIENT_KINDS)('with a chunk in flight, over %s', (kind) => {
    it('commits the chunk and its offsets, publishes its events, leaves the group, and the next member reapplies nothing', async () => {
      const service = `shutdown-chunk-${kind}-${run}`;
      const group = `keel-${service}`;
      const commandTopic = `commands-${kind}`;
      const commands = await sendCommands(commandTopic, 20);
      const commandIds = commands.map((command) => command.data.commandId);
      const echoes = await TopicReader.start(topics.kafka, topicOf('echoes'));
      cleanUps.push(() => echoes.stop());
      const probe = await startProbe(service, commandTopic, {
        KAFKA_CLIENT: kind,
        CONSUMER_CHUNK_SIZE: '5',
        PROBE_HANDLER_DELAY_MS: '2000',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '15000',
      });
      const chunksStarted = () =>
        rows<{ command_ids: string[] }>('SELECT command_ids FROM probe_chunks WHERE consumer = $1', [group]);
      await waitFor(async () => (await chunksStarted()).length > 0, {
        timeoutMs: 30_000,
        description: 'a chunk to be in flight',
      });

      const signalledAt = probe.terminate();
      const exit = await probe.exit;
      expect(exit).toMatchObject({ code: 0, signal: null });
      expect(exit.atMs - signalledAt).toBeLessThan(15_000);
      expect(phasesLogged(probe)).toEqual(SHUTDOWN_PHASES);

      // The chunk in flight, and no later one, took effect: its rows, its inbox rows, its offsets.
      const started = await chunksStarted();
      expect(started).toHaveLength(1);
      const chunk = started[0]?.command_ids ?? [];
      expect(chunk.length).toBeGreaterThan(0);
      expect(chunk).toEqual(commandIds.slice(0, chunk.length));
      const effects = await rows<{ command_id: string }>(
        'SELECT command_id FROM probe_effects WHERE consumer = $1 ORDER BY command_id',
        [group],
      );
      expect(effects.map((effect) => effect.command_id)).toEqual([...chunk].sort());
      const inbox = await rows<{ event_id: string }>('SELECT event_id FROM inbox WHERE consumer = $1', [
        group,
      ]);
      expect(inbox.map((row) => row.event_id).sort()).toEqual(
        commands
          .slice(0, chunk.length)
          .map((command) => command.id)
          .sort(),
      );
      const [offsets] = await admin.fetchOffsets({
        groupId: group,
        topics: [topicOf(commandTopic)],
      });
      expect(offsets?.partitions).toEqual([
        expect.objectContaining({ partition: 0, offset: String(chunk.length) }),
      ]);
      // Its events were published before the producer closed: none left in the outbox.
      expect(await rows('SELECT id FROM outbox')).toEqual([]);
      const echoed = await waitFor(
        () => {
          const ids = echoes.records.map(
            (record) => JSON.parse(record.value?.toString('utf8') ?? '{}') as ProbeCommand,
          );
          const ofChunk = ids.filter((echo) => chunk.includes(echo.commandId));
          return ofChunk.length >= chunk.length && ofChunk;
        },
        { description: 'the echoes of the committed chunk' },
      );
      expect(echoed.map((echo) => echo.commandId).sort()).toEqual([...chunk].sort());

      // It left the group on its way out, rather than waiting for its session to expire.
      const { groups } = await admin.describeGroups([group]);
      expect(groups[0]?.members).toEqual([]);

      // A new member starts after the committed offset: nothing of the chunk comes again.
      const next = await startProbe(service, commandTopic, {
        KAFKA_CLIENT: kind,
        SHUTDOWN_DRAIN_DELAY_MS: '0',
      });
      await waitFor(
        async () =>
          (await rows('SELECT command_id FROM probe_effects WHERE consumer = $1', [group])).length >=
          commandIds.length,
        { timeoutMs: 30_000, description: 'every command applied by the next member' },
      );
      const counts = await rows<{ command_id: string; times: number }>(
        'SELECT command_id, count(*)::int AS times FROM probe_effects WHERE consumer = $1 GROUP BY command_id',
        [group],
      );
      expect(counts.map((count) => count.times)).toEqual(commandIds.map(() => 1));
      const metrics = await (
        await fetch(`${next.url}/metrics`, {
          headers: { authorization: operatorAuthorization('viewer', { secret: OPERATOR_TOKEN_SECRET }) },
        })
      ).text();
      expect(sumOfMetric(metrics, 'keel_inbox_applied_total')).toBe(commandIds.length - chunk.length);
      expect(sumOfMetric(metrics, 'keel_inbox_duplicates_total') ?? 0).toBe(0);
      next.terminate();
      expect(await next.exit).toMatchObject({ code: 0, signal: null });
    });
  });

  it('exits 1 within SHUTDOWN_TIMEOUT_MS when a phase hangs, naming what it waited on', async () => {
    // Room for the phases before the hanging one (an idle kafkajs consumer stops after its fetch wait, 5 s).
    const timeoutMs = 8_000;
    const probe = await startProbe(`shutdown-hang-${run}`, 'commands-hang', {
      PROBE_HANG_AT_SHUTDOWN: 'true',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: String(timeoutMs),
    });
    const signalledAt = probe.terminate();
    const exit = await probe.exit;

    expect(exit).toMatchObject({ code: 1, signal: null });
    expect(exit.atMs - signalledAt).toBeGreaterThanOrEqual(timeoutMs - CLOCK_SLACK_MS);
    expect(exit.atMs - signalledAt).toBeLessThan(timeoutMs + 5_000);
    expect(phasesLogged(probe)).toEqual(['readiness', 'drain', 'http', 'inbox consumer']);
    expect(probe.logLines().find((line) => line['msg'] === 'shutdown timed out')).toMatchObject({
      level: 'error',
      waitingOn: 'service workers',
      timeoutMs,
    });
  });
});

/** Listens on `port` and joins each connection to the broker at `broker` (host:port). */
async function forwardTo(broker: string, port: number): Promise<Server> {
  const [host, brokerPort] = broker.split(':');
  const server = createServer((client) => {
    const upstream = connect(Number(brokerPort), host);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe.each(KAFKA_CLIENT_KINDS)('a Keel service process starting while Kafka is away, over %s', (kind) => {
  it('serves and is ready at once, then consumes and publishes once the broker answers', async () => {
    const service = `start-away-${kind}-${run}`;
    const group = `keel-${service}`;
    const commandTopic = `commands-away-${kind}`;
    const commands = await sendCommands(commandTopic, 5);
    const commandIds = commands.map((command) => command.data.commandId).sort();
    const echoes = await TopicReader.start(topics.kafka, topicOf('echoes'));
    cleanUps.push(() => echoes.stop());
    // Nothing listens on the bootstrap address yet: the broker is away.
    const bootstrapPort = await freePort();

    const probe = await startProbe(service, commandTopic, {
      KAFKA_CLIENT: kind,
      KAFKA_BROKERS: `127.0.0.1:${bootstrapPort}`,
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    });
    const ready = await fetch(`${probe.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await rows('SELECT 1 FROM probe_effects WHERE consumer = $1', [group])).toEqual([]);

    const forwarder = await forwardTo(topics.brokers[0] ?? '', bootstrapPort);
    cleanUps.push(() => new Promise((resolve) => forwarder.close(() => resolve())));
    const applied = await waitFor(
      async () => {
        const effects = await rows<{ command_id: string }>(
          'SELECT command_id FROM probe_effects WHERE consumer = $1 ORDER BY command_id',
          [group],
        );
        return effects.length >= commandIds.length && effects.map((effect) => effect.command_id);
      },
      { timeoutMs: 60_000, description: 'every command applied once the broker answers' },
    );
    expect(applied).toEqual(commandIds);
    const echoed = await waitFor(
      () => {
        const ids = echoes.records
          .map((record) => (JSON.parse(record.value?.toString('utf8') ?? '{}') as ProbeCommand).commandId)
          .filter((id) => commandIds.includes(id));
        return ids.length >= commandIds.length && ids;
      },
      { timeoutMs: 30_000, description: 'the echoes published through the producer' },
    );
    expect(echoed.sort()).toEqual(commandIds);

    probe.terminate();
    expect(await probe.exit).toMatchObject({ code: 0, signal: null });
  });
});
