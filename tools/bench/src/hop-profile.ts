/**
 * Where a payment's end-to-end time goes, hop by hop: card payments at a low open-loop rate through
 * an isolated system, then every event of each payment read back from the topics. Each event
 * carries the time its service wrote it (ce_time) and the time its outbox relay sent it (the Kafka
 * record's timestamp), so each hop splits into "the service's work, including its consumer's wait"
 * and "its relay's delay".
 *
 *   npm run bench:hops
 *
 * Prints the table and writes docs/benchmarks/hop-profile.md.
 * Environment: HOP_PROFILE_PAYMENTS (60), HOP_PROFILE_RATE (2 payments/s), HOP_PROFILE_WARMUP (10
 * payments sent first and left out of the table: cold code paths and connection pools),
 * HOP_PROFILE_TIMEOUT_MS (120000).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { EVENT_TYPES, parseKafkaRecord, TOPICS } from '@keel/contracts';
import { workspaceRoot } from '@keel/local-infra';
import { startIsolatedSystem } from '@keel/local-system';
import type { IncomingRecord } from '@keel/messaging';
import { TopicReader, waitFor } from '@keel/testing';
import { percentile, postCardPayment, runOpenLoop } from '@keel/traffic';
import { machineFacts } from './machine-facts';
import { kafkaLibDirectory } from './producer-perf';
import { formatMs } from './statistics';

const REPORT_PATH = join('docs', 'benchmarks', 'hop-profile.md');

interface Plan {
  readonly payments: number;
  readonly warmup: number;
  readonly ratePerSecond: number;
  readonly timeoutMs: number;
}

/** When an event was written by its service and when its relay sent it, in epoch ms. */
interface EventTimes {
  readonly writtenAtMs: number;
  readonly sentAtMs: number;
}

interface PaymentTrace {
  postedAtMs?: number;
  answeredAtMs?: number;
  paymentOrderId?: string;
  executionRequested?: EventTimes;
  orderSucceeded?: EventTimes;
  walletCredited?: EventTimes;
  ledgerRecorded?: EventTimes;
  completed?: EventTimes;
}

interface Hop {
  readonly name: string;
  readonly durationMs: (trace: Required<PaymentTrace>) => number;
}

/** How long the outbox relay took to send an event after its service wrote it. */
function relayHop(written: string, event: (trace: Required<PaymentTrace>) => EventTimes): Hop {
  return {
    name: `${written} written → relayed`,
    durationMs: (trace) => event(trace).sentAtMs - event(trace).writtenAtMs,
  };
}

const HOPS: readonly Hop[] = [
  { name: 'POST sent → 202 answered', durationMs: (t) => t.answeredAtMs - t.postedAtMs },
  relayHop('payment: order request', (t) => t.executionRequested),
  {
    name: 'executor: request relayed → charge outcome written',
    durationMs: (t) => t.orderSucceeded.writtenAtMs - t.executionRequested.sentAtMs,
  },
  relayHop('executor: outcome', (t) => t.orderSucceeded),
  {
    name: 'wallet: outcome relayed → credit written',
    durationMs: (t) => t.walletCredited.writtenAtMs - t.orderSucceeded.sentAtMs,
  },
  relayHop('wallet: credit', (t) => t.walletCredited),
  {
    name: 'ledger: outcome relayed → transaction written',
    durationMs: (t) => t.ledgerRecorded.writtenAtMs - t.orderSucceeded.sentAtMs,
  },
  relayHop('ledger: transaction', (t) => t.ledgerRecorded),
  {
    name: 'payment: later confirmation relayed → completed written',
    durationMs: (t) =>
      t.completed.writtenAtMs - Math.max(t.walletCredited.sentAtMs, t.ledgerRecorded.sentAtMs),
  },
  relayHop('payment: completed', (t) => t.completed),
  {
    name: 'end to end: POST sent → completed relayed',
    durationMs: (t) => t.completed.sentAtMs - t.postedAtMs,
  },
];

function positiveNumber(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${text}"`);
  return value;
}

function timesOf(record: IncomingRecord, writtenAt: string): EventTimes {
  return { writtenAtMs: Date.parse(writtenAt), sentAtMs: Number(record.timestamp) };
}

/** Files each record's times under its payment; the first copy of an event counts. */
class TraceBook {
  readonly byPayment = new Map<string, PaymentTrace>();
  private readonly paymentOfOrder = new Map<string, string>();

  trace(paymentId: string): PaymentTrace {
    const existing = this.byPayment.get(paymentId);
    if (existing !== undefined) return existing;
    const created: PaymentTrace = {};
    this.byPayment.set(paymentId, created);
    return created;
  }

  file(records: readonly IncomingRecord[]): void {
    for (const record of records) {
      const parsed = parseKafkaRecord(record);
      if (!parsed.ok) continue;
      const { type, time } = parsed.envelope;
      const data = parsed.envelope.data as Record<string, unknown>;
      const orderId = typeof data['paymentOrderId'] === 'string' ? data['paymentOrderId'] : undefined;
      if (type === EVENT_TYPES.paymentOrderExecutionRequested && orderId !== undefined) {
        const paymentId = String(data['paymentId']);
        this.paymentOfOrder.set(orderId, paymentId);
        const trace = this.trace(paymentId);
        trace.paymentOrderId = orderId;
        trace.executionRequested ??= timesOf(record, time);
        continue;
      }
      if (type === EVENT_TYPES.paymentCompleted) {
        this.trace(String(data['paymentId'])).completed ??= timesOf(record, time);
        continue;
      }
      const paymentId = orderId === undefined ? undefined : this.paymentOfOrder.get(orderId);
      if (paymentId === undefined) continue;
      const trace = this.trace(paymentId);
      if (type === EVENT_TYPES.paymentOrderSucceeded) trace.orderSucceeded ??= timesOf(record, time);
      if (type === EVENT_TYPES.walletCredited) trace.walletCredited ??= timesOf(record, time);
      if (type === EVENT_TYPES.ledgerTransactionRecorded) trace.ledgerRecorded ??= timesOf(record, time);
    }
  }

  complete(): Required<PaymentTrace>[] {
    return [...this.byPayment.values()].filter(
      (trace): trace is Required<PaymentTrace> =>
        trace.postedAtMs !== undefined &&
        trace.answeredAtMs !== undefined &&
        trace.executionRequested !== undefined &&
        trace.orderSucceeded !== undefined &&
        trace.walletCredited !== undefined &&
        trace.ledgerRecorded !== undefined &&
        trace.completed !== undefined,
    );
  }
}

function table(traces: readonly Required<PaymentTrace>[]): string {
  const lines = ['| hop | p50 ms | p90 ms | p99 ms | max ms |', '| --- | --: | --: | --: | --: |'];
  for (const hop of HOPS) {
    const values = traces.map(hop.durationMs);
    const cells = [50, 90, 99, 100].map((p) => formatMs(percentile(values, p)));
    lines.push(`| ${hop.name} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

async function writeReport(startedAt: string, heading: string, hopTable: string): Promise<void> {
  const machine = await machineFacts(kafkaLibDirectory());
  const text = [
    '# Hop profile',
    '',
    'Command: `npm run bench:hops`',
    '',
    `Date: ${startedAt}`,
    '',
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, PostgreSQL ${machine.postgres}, Kafka ${machine.kafka} (single broker); git ${machine.gitCommit}.`,
    '',
    heading,
    '',
    '"Written" is the event\'s own time (ce_time, set by the service inside its transaction); "relayed" is the Kafka record\'s timestamp, set when the outbox relay sent it. A service\'s hop therefore includes its consumer\'s wait for the record.',
    '',
    hopTable,
    '',
  ].join('\n');
  await mkdir(join(workspaceRoot(), 'docs', 'benchmarks'), { recursive: true });
  await writeFile(join(workspaceRoot(), REPORT_PATH), text);
  console.log(`\nreport: ${REPORT_PATH}`);
}

async function main(): Promise<void> {
  const plan: Plan = {
    payments: positiveNumber('HOP_PROFILE_PAYMENTS', 60),
    warmup: positiveNumber('HOP_PROFILE_WARMUP', 10),
    ratePerSecond: positiveNumber('HOP_PROFILE_RATE', 2),
    timeoutMs: positiveNumber('HOP_PROFILE_TIMEOUT_MS', 120_000),
  };
  const startedAt = new Date().toISOString();
  const isolated = await startIsolatedSystem({ label: 'hops' });
  const book = new TraceBook();
  const readers: TopicReader[] = [];
  try {
    for (const topic of [TOPICS.payment, TOPICS.paymentOrder, TOPICS.wallet, TOPICS.ledger]) {
      const name = isolated.namespace.topic(topic);
      readers.push(await TopicReader.start(isolated.namespace.kafka, name, (records) => book.file(records)));
    }
    const paymentUrl = isolated.system.url('payment');
    const apiKey = await isolated.system.keys().keyFor('merchant_hops');
    await runOpenLoop(
      {
        ratePerSecond: plan.ratePerSecond,
        durationS: (plan.warmup + plan.payments) / plan.ratePerSecond,
        startMs: Date.now(),
      },
      async (index) => {
        const postedAtMs = Date.now();
        const answer = await postCardPayment(paymentUrl, {
          apiKey,
          sellerId: `seller_hops_${(index % 4) + 1}`,
          amountMinor: 10_000n,
          checkoutPrefix: 'hops',
        });
        if (answer.paymentId === undefined || index < plan.warmup) return;
        const trace = book.trace(answer.paymentId);
        trace.postedAtMs = postedAtMs;
        trace.answeredAtMs = answer.answeredAtMs;
      },
    );
    const traces = await waitFor(
      () => {
        const complete = book.complete();
        return complete.length >= Math.round(plan.payments) && complete;
      },
      { description: `${plan.payments} payments traced to completion`, timeoutMs: plan.timeoutMs },
    );
    const heading = `${traces.length} card payments at ${plan.ratePerSecond}/s, tok_approve, one order each, four sellers; 1-minute load average ${loadavg()[0].toFixed(1)} at the end.`;
    console.log(`${heading}\n\n${table(traces)}`);
    await writeReport(startedAt, heading, table(traces));
  } finally {
    await Promise.all(readers.map((reader) => reader.stop()));
    await isolated.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
