import type { ChildProcess } from 'node:child_process';
import {
  freePort,
  kafkaBrokerLayout,
  prepareKafkaBroker,
  startKafkaBroker,
  waitForKafkaBroker,
  type KafkaBrokerLayout,
} from '@keel/local-system';
import type { RestartableBroker } from '../faults/fault-context';

export interface ChaosBrokerSettings {
  readonly directory: string;
  /** Outside `directory`, which the run deletes at the end, so a failed restart can be read later. */
  readonly logPath: string;
  /** Where clients are sent by the broker's metadata: the proxy in front of it. */
  readonly advertisedPort: number;
  readonly heap: string;
  readonly startTimeoutMs: number;
  readonly stopTimeoutMs: number;
}

/**
 * The chaos run's own single-node KRaft broker (never the shared dev broker: other tests use it),
 * on free ports, with its data under the run's directory so that a restart finds it again.
 */
export class ChaosBroker implements RestartableBroker {
  private child: ChildProcess | undefined;
  private closed = false;

  private constructor(
    private readonly layout: KafkaBrokerLayout,
    private readonly settings: ChaosBrokerSettings,
  ) {}

  static async create(settings: ChaosBrokerSettings): Promise<ChaosBroker> {
    const layout = kafkaBrokerLayout({
      directory: settings.directory,
      logPath: settings.logPath,
      port: await freePort(),
      controllerPort: await freePort(),
      advertisedPort: settings.advertisedPort,
    });
    prepareKafkaBroker(layout, (line) => console.log(line));
    return new ChaosBroker(layout, settings);
  }

  /** The broker's own port, which the proxy forwards to. */
  get port(): number {
    return this.layout.port;
  }

  get logPath(): string {
    return this.layout.logPath;
  }

  isRunning(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.closed) throw new Error('the chaos Kafka broker is closed: the run is stopping');
    if (this.isRunning()) return;
    const child = startKafkaBroker(this.layout, { heap: this.settings.heap, detached: false });
    this.child = child;
    try {
      await waitForKafkaBroker([`127.0.0.1:${this.layout.port}`], this.settings.startTimeoutMs, () =>
        this.isRunning(),
      );
    } catch (error) {
      const exit = this.isRunning() ? '' : `, exit code ${child.exitCode}, signal ${child.signalCode}`;
      throw new Error(
        `the chaos Kafka broker did not come up (${(error as Error).message}${exit}); log ${this.logPath}`,
      );
    }
  }

  /**
   * Stops it for good: a start still under way is ended with it, and a later one (a fault's undo
   * racing the run's stop) is refused instead of leaving a broker behind.
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.stop('SIGTERM');
  }

  /** SIGTERM waits for a clean shutdown (SIGKILL after the stop timeout); SIGKILL is a crash. */
  async stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === undefined || !this.isRunning()) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), this.settings.stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
