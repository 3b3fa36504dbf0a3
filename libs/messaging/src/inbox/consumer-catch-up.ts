import { setTimeout as sleep } from 'node:timers/promises';
import type { TopicAdmin } from '../kafka/kafka-client';

/** Where a consumer group stood, once a catch-up wait ended. */
export interface CatchUpOutcome {
  /** The group had read every record its topics held when the wait began. */
  readonly caughtUp: boolean;
  readonly waitedMs: number;
  /**
   * Of the records the topics held when the wait began, those the group had yet to read when it
   * ended (0 once caught up); null when Kafka never answered.
   */
  readonly behindRecords: number | null;
}

/** How long a catch-up wait may take, and how often it asks Kafka meanwhile. */
export interface CatchUpLimits {
  readonly timeoutMs: number;
  readonly pollIntervalMs: number;
}

/**
 * Waits until a consumer group has read (committed) up to the end offsets its topics had when the
 * wait began: what was published before that instant has been applied. Records published after it
 * are not waited for, so a busy topic cannot hold the wait open. Bounded by `timeoutMs`; a broker
 * that does not answer makes the wait time out, never fail.
 */
export class ConsumerCatchUp {
  #connected = false;

  constructor(
    private readonly admin: TopicAdmin,
    private readonly groupId: string,
    private readonly topics: readonly string[],
  ) {}

  async waitForEndOffsets(limits: CatchUpLimits): Promise<CatchUpOutcome> {
    const startedMs = Date.now();
    const waitedMs = (): number => Date.now() - startedMs;
    let targets: Map<string, bigint> | undefined;
    let behind: number | null = null;
    for (;;) {
      try {
        targets ??= await this.#endOffsets();
        behind = await this.#behind(targets);
        if (behind === 0) return { caughtUp: true, waitedMs: waitedMs(), behindRecords: 0 };
      } catch {
        // Kafka away or the group rebalancing: asked again until the wait times out.
      }
      if (waitedMs() + limits.pollIntervalMs > limits.timeoutMs) {
        return { caughtUp: false, waitedMs: waitedMs(), behindRecords: behind };
      }
      await sleep(limits.pollIntervalMs);
    }
  }

  /** Closes its admin connection; Nest calls it at shutdown (MessagingModule provides one per service). */
  async onApplicationShutdown(): Promise<void> {
    if (!this.#connected) return;
    this.#connected = false;
    await this.admin.disconnect();
  }

  /** The end offset of every partition, by `topic/partition`. */
  async #endOffsets(): Promise<Map<string, bigint>> {
    const ends = new Map<string, bigint>();
    for (const topic of this.topics) {
      for (const position of await this.#positions(topic)) {
        ends.set(`${topic}/${position.partition}`, position.high);
      }
    }
    return ends;
  }

  async #behind(targets: ReadonlyMap<string, bigint>): Promise<number> {
    let behind = 0n;
    for (const topic of this.topics) {
      for (const position of await this.#positions(topic)) {
        const target = targets.get(`${topic}/${position.partition}`) ?? 0n;
        if (position.next < target) behind += target - position.next;
      }
    }
    return Number(behind);
  }

  async #positions(topic: string) {
    if (!this.#connected) {
      await this.admin.connect();
      this.#connected = true;
    }
    return this.admin.partitionPositions(this.groupId, topic);
  }
}
