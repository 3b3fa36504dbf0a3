import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { workspaceRoot } from '@keel/local-infra';
import { waitFor } from '@keel/testing';
import type { KafkaClientKind } from '../src/kafka/kafka-settings';

export interface ConsumerProcessOptions {
  topic: string;
  databaseUrl: string;
  brokers: readonly string[];
  group: string;
  client: KafkaClientKind;
  handlerDelayMs: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  groupInstanceId?: string;
}

/** A line the child wrote, stamped when the parent read it. */
interface ChildLine {
  text: string;
  atMs: number;
}

/**
 * counter-consumer.process.ts as a child process: the tests kill it (SIGKILL) or stop it (SIGTERM)
 * and read from its output when it started joining and how many partitions it holds.
 */
export class ConsumerProcess {
  private readonly lines: ChildLine[] = [];
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    if (child.stdout !== null)
      createInterface({ input: child.stdout }).on('line', (text) =>
        this.lines.push({ text, atMs: Date.now() }),
      );
  }

  static start(options: ConsumerProcessOptions): ConsumerProcess {
    const optional = (name: string, value: number | string | undefined) =>
      value === undefined ? {} : { [name]: String(value) };
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'counter-consumer.process.ts')],
      {
        cwd: workspaceRoot(),
        env: {
          ...process.env,
          TEST_TOPIC: options.topic,
          TEST_DATABASE_URL: options.databaseUrl,
          TEST_BROKERS: options.brokers.join(','),
          TEST_GROUP: options.group,
          TEST_KAFKA_CLIENT: options.client,
          TEST_HANDLER_DELAY_MS: String(options.handlerDelayMs),
          ...optional('TEST_SESSION_TIMEOUT_MS', options.sessionTimeoutMs),
          ...optional('TEST_HEARTBEAT_INTERVAL_MS', options.heartbeatIntervalMs),
          ...optional('TEST_GROUP_INSTANCE_ID', options.groupInstanceId),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    return new ConsumerProcess(child);
  }

  isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** When the child started joining its group: after its start-up (compilation, migrations). */
  startedJoiningAtMs(): Promise<number> {
    return this.waitForLine((text) => text === 'starting', 'the consumer process to start joining');
  }

  /** When the child first held at least one partition, and how many it held then. */
  async firstAssigned(timeoutMs = 60_000): Promise<{ atMs: number; partitions: number }> {
    let partitions = 0;
    const atMs = await this.waitForLine(
      (text) => {
        partitions = Number(/^assigned (\d+)$/.exec(text)?.[1] ?? 0);
        return partitions > 0;
      },
      'the consumer process to be assigned partitions',
      timeoutMs,
    );
    return { atMs, partitions };
  }

  /** SIGKILL, as a crash ends it: no shutdown runs, the group is not left. */
  async kill(): Promise<void> {
    if (this.isRunning()) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM: the consumer stops, commits its chunk in flight and leaves its group. */
  async stop(): Promise<void> {
    if (this.isRunning()) this.child.kill('SIGTERM');
    await this.exited;
  }

  private waitForLine(matches: (text: string) => boolean, description: string, timeoutMs = 60_000) {
    return waitFor(() => this.lines.find((line) => matches(line.text))?.atMs, {
      description,
      timeoutMs,
      giveUpIf: () =>
        this.isRunning() ? undefined : new Error(`the consumer process exited: ${description}`),
    });
  }
}
