/**
 * The Kafka client libraries compared through libs/messaging's own interface: produce N records of
 * 1 KiB in batches while a consumer reads them through RecordConsumer (commitThrough per batch),
 * then let a fresh consumer group drain the topic from the beginning.
 *
 *   node -r @swc-node/register tools/bench/src/kafka-client-pipeline.ts
 *
 * Environment: KAFKA_BENCH_RECORDS (20000), KAFKA_BENCH_BATCH_RECORDS (500), KAFKA_BENCH_PARTITIONS
 * (3), KAFKA_BENCH_CLIENTS (every client, comma-separated), KAFKA_BENCH_ROUNDS (3),
 * KAFKA_BENCH_TIMEOUT_MS (120000). Rounds interleave the clients (in turn, reversed every other
 * round) so load from elsewhere on the machine falls on each alike; the table shows each median.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { resolveEndpoints } from '@keel/local-infra';
import {
  createKafkaClient,
  DEFAULT_INBOX_SETTINGS,
  DEFAULT_KAFKA_TIMEOUTS,
  headerAsString,
  KAFKA_CLIENT_KINDS,
  parseKafkaClientKind,
  silentLogger,
  type ConsumerSettings,
  type KafkaClient,
  type KafkaClientKind,
  type RecordConsumer,
} from '@keel/messaging';
import { waitFor } from '@keel/testing';
import { percentile } from '@keel/traffic';

const RECORD_SIZE_BYTES = 1_024;
const SENT_AT_HEADER = 'bench-sent-at-ms';

interface PipelinePlan {
  readonly records: number;
  readonly batchRecords: number;
  readonly partitions: number;
  readonly clients: readonly KafkaClientKind[];
  readonly rounds: number;
  readonly timeoutMs: number;
}

interface PipelineFigures {
  readonly client: KafkaClientKind;
  readonly produceRecordsPerS: number;
  readonly consumeRecordsPerS: number;
  readonly endToEndP50Ms: number;
  readonly endToEndP99Ms: number;
}

function positiveInteger(name: string, fallback: number, max: number): number {
  const text = process.env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be an integer from 1 to ${max}, got "${text}"`);
  return value;
}

function planFromEnvironment(): PipelinePlan {
  const clients = process.env['KAFKA_BENCH_CLIENTS'];
  return {
    records: positiveInteger('KAFKA_BENCH_RECORDS', 20_000, 1_000_000),
    batchRecords: positiveInteger('KAFKA_BENCH_BATCH_RECORDS', 500, 10_000),
    partitions: positiveInteger('KAFKA_BENCH_PARTITIONS', 3, 64),
    rounds: positiveInteger('KAFKA_BENCH_ROUNDS', 3, 20),
    timeoutMs: positiveInteger('KAFKA_BENCH_TIMEOUT_MS', 120_000, 3_600_000),
    clients:
      clients === undefined
        ? KAFKA_CLIENT_KINDS
        : clients.split(',').map((name) => parseKafkaClientKind(name.trim())),
  };
}

const CONSUMER_SETTINGS: Omit<ConsumerSettings, 'groupId'> = {
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 10_000,
  heartbeatIntervalMs: 1_000,
  fetchMaxWaitMs: 1_000,
  fetchMinBytes: DEFAULT_INBOX_SETTINGS.fetchMinBytes,
  maxBytesPerPartition: 1_048_576,
  partitionsConsumedConcurrently: 3,
  offsetCommitIntervalMs: DEFAULT_INBOX_SETTINGS.offsetCommitIntervalMs,
  restartBackoff: { initialDelayMs: 250, maxDelayMs: 5_000 },
};

const nowMs = () => performance.timeOrigin + performance.now();

/** A consumer in its own group that notes when each record arrived and how old it was then. */
async function startTimedConsumer(kafka: KafkaClient, topic: string) {
  const consumer: RecordConsumer = kafka.consumer({
    ...CONSUMER_SETTINGS,
    groupId: `bench-${randomBytes(4).toString('hex')}`,
  });
  const seen = { count: 0, firstAtMs: 0, lastAtMs: 0, ageMs: [] as number[] };
  await consumer.connect();
  await consumer.subscribe([topic], true);
  await consumer.run(async (batch) => {
    const arrivedAtMs = nowMs();
    if (seen.count === 0) seen.firstAtMs = arrivedAtMs;
    for (const record of batch.records) {
      const sentAt = headerAsString(record.headers[SENT_AT_HEADER]);
      if (sentAt !== undefined) seen.ageMs.push(arrivedAtMs - Number(sentAt));
    }
    seen.count += batch.records.length;
    seen.lastAtMs = arrivedAtMs;
    const last = batch.records[batch.records.length - 1];
    if (last !== undefined) await batch.commitThrough(last.offset);
  });
  return { consumer, seen };
}

async function measureClient(client: KafkaClientKind, plan: PipelinePlan): Promise<PipelineFigures> {
  const kafka = createKafkaClient(
    {
      brokers: resolveEndpoints().kafkaBrokers,
      clientId: `keel-bench-${client}`,
      ...DEFAULT_KAFKA_TIMEOUTS,
      client,
    },
    silentLogger,
  );
  const topic = `bench.${randomBytes(4).toString('hex')}.pipeline-${client}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.ensureTopics([{ name: topic, partitions: plan.partitions }]);
  const producer = kafka.producer();
  await producer.connect();
  const value = randomBytes(RECORD_SIZE_BYTES);
  const send = (count: number, timed: boolean) =>
    producer.send(
      Array.from({ length: count }, (_, index) => ({
        topic,
        key: `key-${index % 64}`,
        value,
        headers: timed ? { [SENT_AT_HEADER]: String(nowMs()) } : ({} as Record<string, string>),
      })),
    );
  try {
    const pipeline = await startTimedConsumer(kafka, topic);
    // One untimed record first: the consumer has joined its group once it has read it.
    await send(1, false);
    await waitFor(() => pipeline.seen.count >= 1, {
      description: 'the warm-up record',
      timeoutMs: plan.timeoutMs,
    });
    const produceStartMs = nowMs();
    for (let sent = 0; sent < plan.records; sent += plan.batchRecords) {
      await send(Math.min(plan.batchRecords, plan.records - sent), true);
    }
    const produceMs = nowMs() - produceStartMs;
    const total = plan.records + 1;
    await waitFor(() => pipeline.seen.count >= total, {
      description: `${total} records through the pipeline`,
      timeoutMs: plan.timeoutMs,
    });
    await pipeline.consumer.stop();
    await pipeline.consumer.disconnect();

    const drain = await startTimedConsumer(kafka, topic);
    await waitFor(() => drain.seen.count >= total, {
      description: `${total} records drained`,
      timeoutMs: plan.timeoutMs,
    });
    await drain.consumer.stop();
    await drain.consumer.disconnect();
    return {
      client,
      produceRecordsPerS: plan.records / (produceMs / 1_000),
      consumeRecordsPerS: total / (Math.max(drain.seen.lastAtMs - drain.seen.firstAtMs, 1) / 1_000),
      endToEndP50Ms: percentile(pipeline.seen.ageMs, 50) ?? Number.NaN,
      endToEndP99Ms: percentile(pipeline.seen.ageMs, 99) ?? Number.NaN,
    };
  } finally {
    await producer.disconnect();
    await admin.deleteTopics([topic]);
    await admin.disconnect();
  }
}

function median(values: readonly number[]): number {
  return percentile(values, 50) ?? Number.NaN;
}

function medianFigures(client: KafkaClientKind, rounds: readonly PipelineFigures[]): PipelineFigures {
  return {
    client,
    produceRecordsPerS: median(rounds.map((round) => round.produceRecordsPerS)),
    consumeRecordsPerS: median(rounds.map((round) => round.consumeRecordsPerS)),
    endToEndP50Ms: median(rounds.map((round) => round.endToEndP50Ms)),
    endToEndP99Ms: median(rounds.map((round) => round.endToEndP99Ms)),
  };
}

function row(figure: PipelineFigures): string {
  const cells = [
    figure.client,
    figure.produceRecordsPerS.toFixed(0),
    figure.consumeRecordsPerS.toFixed(0),
    figure.endToEndP50Ms.toFixed(1),
    figure.endToEndP99Ms.toFixed(1),
  ];
  return `| ${cells.join(' | ')} |`;
}

const TABLE_HEAD = [
  '| client | produce records/s | consume records/s | end-to-end p50 ms | end-to-end p99 ms |',
  '|---|---|---|---|---|',
];

async function main(): Promise<void> {
  const plan = planFromEnvironment();
  console.log(
    `${plan.records} records of ${RECORD_SIZE_BYTES} B in batches of ${plan.batchRecords}, ` +
      `${plan.partitions} partitions, ${plan.rounds} rounds, ${new Date().toISOString()}`,
  );
  const byClient = new Map<KafkaClientKind, PipelineFigures[]>(plan.clients.map((client) => [client, []]));
  for (let round = 1; round <= plan.rounds; round += 1) {
    const order = round % 2 === 1 ? plan.clients : [...plan.clients].reverse();
    for (const client of order) {
      const figures = await measureClient(client, plan);
      byClient.get(client)?.push(figures);
      console.log(`round ${round}: ${row(figures)}`);
    }
  }
  console.log(
    [
      'medians:',
      ...TABLE_HEAD,
      ...[...byClient].map(([client, rounds]) => row(medianFigures(client, rounds))),
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
