import { join } from 'node:path';
import { parseBrokerList } from '@keel/messaging';
import type { InfraState } from '@keel/local-infra';
import {
  kafkaBrokerLayout,
  prepareKafkaBroker,
  startKafkaBroker,
  waitForKafkaBroker,
  type KafkaBrokerLayout,
} from '@keel/local-system';
import { isPortOpen, isProcessAlive, positiveIntegerFromEnv, stopProcess } from './process.util';

function layout(stateDir: string): KafkaBrokerLayout {
  const port = positiveIntegerFromEnv('KEEL_KAFKA_PORT', 19092);
  return kafkaBrokerLayout({
    directory: join(stateDir, 'kafka'),
    port,
    controllerPort: positiveIntegerFromEnv('KEEL_KAFKA_CONTROLLER_PORT', port + 1),
  });
}

/** Kafka from KAFKA_BROKERS, or a single-node KRaft broker started from Maven Central's jars. */
export async function upKafka(
  stateDir: string,
  previous?: InfraState['kafka'],
): Promise<InfraState['kafka']> {
  const fromEnvironment = process.env['KAFKA_BROKERS'];
  if (fromEnvironment) {
    const brokers = parseBrokerList(fromEnvironment);
    await waitForKafkaBroker(brokers, 15_000);
    return { brokers, source: 'environment' };
  }
  const broker = layout(stateDir);
  const brokers = [`127.0.0.1:${broker.port}`];
  if (
    previous?.pid !== undefined &&
    isProcessAlive(previous.pid) &&
    (await isPortOpen('127.0.0.1', broker.port))
  ) {
    await waitForKafkaBroker(brokers, 15_000);
    return { ...previous, brokers };
  }
  for (const port of [broker.port, broker.controllerPort]) {
    if (await isPortOpen('127.0.0.1', port)) {
      throw new Error(
        `port ${port} is taken by another process; set KEEL_KAFKA_PORT (and KEEL_KAFKA_CONTROLLER_PORT) to free ports, or KAFKA_BROKERS to use a running Kafka`,
      );
    }
  }
  prepareKafkaBroker(broker, (line) => console.log(line));
  const { pid } = startKafkaBroker(broker, { heap: process.env['KEEL_KAFKA_HEAP'] ?? '1g', detached: true });
  if (pid === undefined) throw new Error('could not start java');
  const timeoutMs = positiveIntegerFromEnv('KEEL_KAFKA_START_TIMEOUT_MS', 90_000);
  try {
    await waitForKafkaBroker(brokers, timeoutMs, () => isProcessAlive(pid));
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
  const up = await waitForKafkaBroker(kafka.brokers, 3_000).then(
    () => true,
    () => false,
  );
  const pid = kafka.pid === undefined ? '' : `, pid ${kafka.pid}`;
  return `Kafka ${up ? 'up' : 'DOWN'} at ${kafka.brokers.join(',')} (${kafka.source}${pid})`;
}
