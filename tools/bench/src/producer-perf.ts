import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stateDirectory } from '@keel/local-infra';
import { createTestTopics } from '@keel/testing';

const run = promisify(execFile);

export interface ProducerPerfResult {
  readonly records: number;
  readonly recordsPerS: number;
  readonly mbPerS: number;
  readonly latencyAverageMs: number;
  readonly latencyP99Ms: number;
  readonly recordSizeBytes: number;
}

const SUMMARY =
  /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, [\d.]+ ms max latency, [\d.]+ ms 50th, [\d.]+ ms 95th, ([\d.]+) ms 99th/;

/** The final summary line of kafka's ProducerPerformance (the one with percentiles). */
export function parseProducerPerfOutput(output: string): Omit<ProducerPerfResult, 'recordSizeBytes'> {
  const match = SUMMARY.exec(output);
  if (match === null) throw new Error(`ProducerPerformance printed no summary line:\n${output}`);
  return {
    records: Number(match[1]),
    recordsPerS: Number(match[2]),
    mbPerS: Number(match[3]),
    latencyAverageMs: Number(match[4]),
    latencyP99Ms: Number(match[5]),
  };
}

/** The jars `npm run infra:up` resolved (`.keel/kafka/lib-<pom hash>`), the newest complete one. */
export function kafkaLibDirectory(): string {
  const root = join(stateDirectory(), 'kafka');
  const candidates = existsSync(root)
    ? readdirSync(root)
        .filter((name) => name.startsWith('lib-') && existsSync(join(root, name, '.complete')))
        .map((name) => join(root, name))
        .sort((left, right) => statSync(right).mtimeMs - statSync(left).mtimeMs)
    : [];
  if (candidates[0] === undefined) throw new Error(`no Kafka jars under ${root}; run npm run infra:up first`);
  return candidates[0];
}

export interface ProducerPerfPlan {
  readonly brokers: readonly string[];
  readonly records: number;
  readonly recordSizeBytes: number;
}

/** The broker's own ceiling: kafka's producer perf test (acks=all) into a temporary topic, deleted after. */
export async function runProducerPerf(plan: ProducerPerfPlan): Promise<ProducerPerfResult> {
  const created = await createTestTopics(['producer-perf'], 1);
  const topic = created.names['producer-perf'];
  try {
    const { stdout } = await run(
      'java',
      [
        '-cp',
        join(kafkaLibDirectory(), '*'),
        'org.apache.kafka.tools.ProducerPerformance',
        '--topic',
        topic,
        '--num-records',
        String(plan.records),
        '--record-size',
        String(plan.recordSizeBytes),
        '--throughput',
        '-1',
        '--producer-props',
        `bootstrap.servers=${plan.brokers.join(',')}`,
        'acks=all',
      ],
      { maxBuffer: 16 * 1_024 * 1_024 },
    );
    return { ...parseProducerPerfOutput(stdout), recordSizeBytes: plan.recordSizeBytes };
  } finally {
    await created.delete();
  }
}
