import { EVENT_TYPES, parseKafkaRecord, TOPICS } from '@keel/contracts';
import type { IncomingRecord } from '@keel/messaging';
import { TopicReader, type TestNamespace } from '@keel/testing';

export interface PaymentOutcome {
  readonly type: string;
  readonly observedAtMs: number;
  readonly paymentOrderIds: readonly string[];
}

const TERMINAL_PAYMENT_TYPES: ReadonlySet<string> = new Set([
  EVENT_TYPES.paymentCompleted,
  EVENT_TYPES.paymentFailed,
  EVENT_TYPES.paymentPartiallyFailed,
]);

function orderIdsOf(data: Record<string, unknown>): string[] {
  const lists = [data['paymentOrders'], data['succeededOrders'], data['failedOrders']];
  return lists
    .filter((list): list is { paymentOrderId: string }[] => Array.isArray(list))
    .flat()
    .map((order) => order.paymentOrderId);
}

function addEventId(index: Map<string, Set<string>>, orderId: string, eventId: string): void {
  const ids = index.get(orderId) ?? new Set<string>();
  ids.add(eventId);
  index.set(orderId, ids);
}

/** How long reading the wallet and ledger topics to their end may take once the run is over. */
const EFFECTS_READ_TIMEOUT_MS = 60_000;

/**
 * Watches the run as a consumer outside Keel would: the payment topic live, for when each
 * payment's terminal event was first observed; the wallet and ledger topics once the run is over,
 * for which distinct wallet-credit and ledger events each payment order got (distinct event ids,
 * so a redelivered record is not a second effect). Reading those two only at the end keeps their
 * consumers' fetch-and-commit round trips, one per record at low rates, out of the CPU the load
 * generator spends during the steps.
 */
export class PipelineObserver {
  readonly outcomes = new Map<string, PaymentOutcome>();
  readonly walletCredits = new Map<string, Set<string>>();
  readonly ledgerTransactions = new Map<string, Set<string>>();
  rejectedRecords = 0;
  private readers: TopicReader[] = [];

  async start(namespace: TestNamespace): Promise<void> {
    this.readers = [await this.reader(namespace, TOPICS.payment)];
  }

  /** Reads the wallet and ledger topics from their start to their end (call once the run drained). */
  async readEffects(namespace: TestNamespace): Promise<void> {
    const readers = await Promise.all(
      [TOPICS.wallet, TOPICS.ledger].map((topic) => this.reader(namespace, topic)),
    );
    this.readers.push(...readers);
    await Promise.all(
      readers.map((reader) => reader.waitUntilCaughtUp({ timeoutMs: EFFECTS_READ_TIMEOUT_MS })),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.readers.map((reader) => reader.stop()));
  }

  private reader(namespace: TestNamespace, topic: string): Promise<TopicReader> {
    return TopicReader.start(namespace.kafka, namespace.topic(topic), (records) => this.observe(records));
  }

  private observe(records: readonly IncomingRecord[]): void {
    const observedAtMs = Date.now();
    for (const record of records) {
      const parsed = parseKafkaRecord(record);
      if (!parsed.ok) {
        this.rejectedRecords += 1;
        continue;
      }
      const { id, type, data } = parsed.envelope;
      const payload = data as Record<string, unknown>;
      if (TERMINAL_PAYMENT_TYPES.has(type)) {
        const paymentId = String(payload['paymentId']);
        if (!this.outcomes.has(paymentId))
          this.outcomes.set(paymentId, { type, observedAtMs, paymentOrderIds: orderIdsOf(payload) });
      } else if (type === EVENT_TYPES.walletCredited) {
        addEventId(this.walletCredits, String(payload['paymentOrderId']), id);
      } else if (type === EVENT_TYPES.ledgerTransactionRecorded) {
        addEventId(this.ledgerTransactions, String(payload['paymentOrderId']), id);
      }
    }
  }
}
