import { EVENT_TYPES, TOPICS } from '@keel/contracts';
import { headerAsString, namespacedTopic, type IncomingRecord, type KafkaClient } from '@keel/messaging';
import { TopicReader } from '@keel/testing';
import type { ObservedOrphan } from './drill-observations';

interface OrphanData {
  readonly paymentOrderId: string;
  readonly pspId: string;
  readonly detectedAt: string;
  readonly refundedAt?: string;
}

/** Orphan charges (detected, and refunded when they were) from the executor's events on a topic's records. */
export function orphansOf(records: readonly IncomingRecord[]): ObservedOrphan[] {
  const byOrder = new Map<string, ObservedOrphan>();
  for (const record of records) {
    const type = headerAsString(record.headers['ce_type']);
    if (type !== EVENT_TYPES.orphanChargeDetected && type !== EVENT_TYPES.orphanChargeRefunded) continue;
    const data = JSON.parse(record.value?.toString('utf8') ?? '{}') as OrphanData;
    const key = `${data.pspId}/${data.paymentOrderId}`;
    const known = byOrder.get(key);
    byOrder.set(key, {
      paymentOrderId: data.paymentOrderId,
      pspId: data.pspId,
      detectedAtMs: Date.parse(data.detectedAt),
      ...(data.refundedAt === undefined
        ? known?.refundedAtMs === undefined
          ? {}
          : { refundedAtMs: known.refundedAtMs }
        : { refundedAtMs: Date.parse(data.refundedAt) }),
    });
  }
  return [...byOrder.values()];
}

/** Reads the payment-order topic of a namespace from its start while the drill runs. */
export class OrphanChargeWatch {
  private constructor(private readonly reader: TopicReader) {}

  static async start(kafka: KafkaClient, topicNamespace: string): Promise<OrphanChargeWatch> {
    return new OrphanChargeWatch(
      await TopicReader.start(kafka, namespacedTopic(topicNamespace, TOPICS.paymentOrder)),
    );
  }

  /** Every orphan charge seen, once the reader has caught up with the topic. */
  async orphans(sinceMs: number): Promise<ObservedOrphan[]> {
    await this.reader.waitUntilCaughtUp({ timeoutMs: 30_000 }).catch(() => undefined);
    return orphansOf(this.reader.records).filter((orphan) => orphan.detectedAtMs >= sinceMs);
  }

  stop(): Promise<void> {
    return this.reader.stop();
  }
}
