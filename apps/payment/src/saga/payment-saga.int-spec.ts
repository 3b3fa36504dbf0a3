// The payment saga a chunk at a time, on real PostgreSQL and Kafka: many payments and several
// events of one payment in one chunk, duplicates inside a chunk and across chunks, a poison
// event among good ones, and order outcomes of several types in one chunk.
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  LEDGER_EVENT_TYPES,
  PAYMENT_EVENT_TYPES,
  PAYMENT_ORDER_EVENT_TYPES,
  TOPICS,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
} from '@keel/contracts';
import { headerAsString, PermanentEventError } from '@keel/messaging';
import type { SagaCommand } from '@keel/payment-domain';
import { waitFor } from '@keel/testing';
import { newMerchant, type OrderView, type PaymentView } from '../../test/payment-fixtures';
import { PaymentHarness } from '../../test/payment-harness';
import {
  ledgerRecordedPayload,
  orderDeclinedPayload,
  orderFailedPayload,
  orderSucceededPayload,
  walletCreditedPayload,
} from '../../test/peer-events';
import { PaymentSagaService } from './payment-saga.service';

jest.setTimeout(60_000);

let harness: PaymentHarness;

beforeAll(async () => {
  // One partition per topic: the events a case sends together are read as one chunk.
  harness = await PaymentHarness.start({}, 1);
});

afterAll(async () => {
  await harness.stop();
});

interface Accepted {
  merchantId: string;
  payment: PaymentView;
}

async function acceptedPayments(count: number): Promise<Accepted[]> {
  const accepted: Accepted[] = [];
  for (let index = 0; index < count; index += 1) {
    const merchantId = newMerchant();
    accepted.push({ merchantId, payment: await harness.accepted(merchantId) });
  }
  return accepted;
}

function envelope(type: string, data: object): EventEnvelope {
  return buildEnvelope({ type, source: '/keel/test', data });
}

function succeeded({ merchantId, payment }: Accepted, order: OrderView, amountMinor?: string): EventEnvelope {
  const data = orderSucceededPayload(payment, order, merchantId);
  return envelope(
    PAYMENT_ORDER_EVENT_TYPES.succeeded,
    amountMinor === undefined ? data : { ...data, amount: { ...order.amount, amountMinor } },
  );
}

function credited({ payment }: Accepted, order: OrderView): EventEnvelope {
  return envelope(WALLET_EVENT_TYPES.credited, walletCreditedPayload(payment, order));
}

function recorded({ payment }: Accepted, order: OrderView): EventEnvelope {
  return envelope(
    LEDGER_EVENT_TYPES.transactionRecorded,
    ledgerRecordedPayload(payment, order, `ltx-${order.id}`),
  );
}

function declined({ payment }: Accepted, order: OrderView): EventEnvelope {
  return envelope(PAYMENT_ORDER_EVENT_TYPES.declined, orderDeclinedPayload(payment, order));
}

function failed({ payment }: Accepted, order: OrderView): EventEnvelope {
  return envelope(PAYMENT_ORDER_EVENT_TYPES.failed, orderFailedPayload(payment, order));
}

/** The same fact under a new event id, as a republishing producer would send it. */
function republished(original: EventEnvelope): EventEnvelope {
  return envelope(original.type, original.data);
}

/** The commands the consumer makes of each kind of peer event, for driving the saga directly. */
function commandOf(event: EventEnvelope): SagaCommand {
  const data = event.data as Record<string, string> & { amount: { amountMinor: string; currency: string } };
  const base = { eventId: event.id, paymentId: data['paymentId'] ?? '' };
  const occurredAt = new Date().toISOString();
  const paymentOrderId = data['paymentOrderId'] ?? '';
  if (event.type === PAYMENT_ORDER_EVENT_TYPES.succeeded) {
    return {
      ...base,
      expectedMerchantId: data['merchantId'] ?? '',
      command: {
        kind: 'RecordOrderSucceeded',
        occurredAt,
        paymentOrderId,
        sellerId: data['sellerId'] ?? '',
        amountMinor: BigInt(data.amount.amountMinor),
        currency: data.amount.currency,
        pspId: data['pspId'] ?? '',
        pspReference: data['pspReference'] ?? '',
      },
    };
  }
  if (event.type === WALLET_EVENT_TYPES.credited) {
    const { amountMinor, currency } = data.amount;
    const sellerId = data['sellerId'] ?? '';
    return {
      ...base,
      command: {
        kind: 'RecordWalletCredit',
        occurredAt,
        paymentOrderId,
        sellerId,
        amountMinor: BigInt(amountMinor),
        currency,
      },
    };
  }
  const ledgerTransactionId = data['transactionId'] ?? '';
  return {
    ...base,
    command: { kind: 'RecordLedgerTransaction', occurredAt, paymentOrderId, ledgerTransactionId },
  };
}

/** Every statement the transaction's connection runs while `work` runs. */
async function countingStatements(work: (manager: EntityManager) => Promise<void>): Promise<string[]> {
  const statements: string[] = [];
  await harness.dataSource.transaction(async (manager) => {
    const client = (
      manager.queryRunner as unknown as { databaseConnection: { query: (...args: unknown[]) => unknown } }
    ).databaseConnection;
    const query = client.query;
    client.query = (...args: unknown[]) => {
      const first = args[0] as string | { text: string };
      statements.push(typeof first === 'string' ? first : first.text);
      return query.apply(client, args);
    };
    try {
      await work(manager);
    } finally {
      client.query = query;
    }
  });
  return statements;
}

async function storedEvents(paymentId: string): Promise<{ version: number; type: string }[]> {
  return (await harness.dataSource.query(
    'SELECT version, type FROM payment_events WHERE payment_id = $1 ORDER BY version',
    [paymentId],
  )) as { version: number; type: string }[];
}

async function expectCompletedOnce(accepted: readonly Accepted[]): Promise<void> {
  for (const { merchantId, payment } of accepted) {
    const view = await harness.untilStatus(merchantId, payment.id, 'completed');
    expect(view.orders.map((order) => order.status)).toEqual(['succeeded', 'succeeded']);
    const events = await storedEvents(payment.id);
    expect(events.map((event) => event.version)).toEqual(events.map((_event, index) => index + 1));
    // requested, 2 × execution requested, then per order: succeeded, credited, recorded; completed.
    expect(events).toHaveLength(10);
    expect(events.filter((event) => event.type === 'PaymentCompleted')).toHaveLength(1);
    await harness.untilPublished(payment.id, PAYMENT_EVENT_TYPES.completed);
  }
  // The relay has sent every completion; none was published twice.
  await waitFor(async () => (await harness.counts()).outbox === 0, { description: 'an empty outbox' });
  for (const { payment } of accepted) {
    expect(
      harness.publishedTypes(payment.id).filter((type) => type === PAYMENT_EVENT_TYPES.completed),
    ).toHaveLength(1);
  }
}

describe('the saga, a chunk at a time', () => {
  it('folds succeeded + credited + recorded for many payments in one chunk to completed once each, in 3 statements: lock, load, write', async () => {
    const accepted = await acceptedPayments(4);
    const events = accepted.flatMap((one) =>
      one.payment.orders.flatMap((order) => [
        succeeded(one, order),
        credited(one, order),
        recorded(one, order),
      ]),
    );
    // Interleaved across payments, and each fact a second time under a new id.
    const chunk = [...events, ...events.map(republished)].sort((left, right) =>
      left.id.localeCompare(right.id),
    );
    const saga = harness.app.get(PaymentSagaService);
    const statements = await countingStatements((manager) => saga.apply(manager, chunk.map(commandOf)));
    expect(statements.map((text) => text.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'SELECT id',
      'SELECT payment_id,',
      'WITH appended',
    ]);
    await expectCompletedOnce(accepted);
  });

  it('completes many payments from Kafka chunks with duplicates inside a chunk and across chunks', async () => {
    const accepted = await acceptedPayments(5);
    const outcomes = accepted.flatMap((one) => one.payment.orders.map((order) => succeeded(one, order)));
    const credits = accepted.flatMap((one) => one.payment.orders.map((order) => credited(one, order)));
    const records = accepted.flatMap((one) => one.payment.orders.map((order) => recorded(one, order)));
    // The same record twice in one chunk, and a fact again under a new id.
    await harness.sendTogether(TOPICS.paymentOrder, [...outcomes, ...outcomes.slice(0, 3)]);
    await harness.sendTogether(TOPICS.wallet, [...credits, republished(credits[0] as EventEnvelope)]);
    await harness.sendTogether(TOPICS.ledger, records);
    await expectCompletedOnce(accepted);
    // Redelivered in later chunks: the inbox and the aggregate both see them as known.
    const readBeforeRedelivery = harness.totalRecords();
    await harness.sendTogether(TOPICS.paymentOrder, outcomes);
    await harness.sendTogether(TOPICS.ledger, records.map(republished));
    // The harness reads the payment-order topic too: count from after the redelivered outcomes.
    await waitFor(() => harness.totalRecords() >= readBeforeRedelivery + outcomes.length, {
      description: 'the redelivered outcomes read back',
    });
    const recordsBefore = harness.totalRecords();
    await harness.expectNothingPublishedSince(recordsBefore);
    for (const { payment } of accepted) expect(await storedEvents(payment.id)).toHaveLength(10);
  });

  it('dead-letters the poison events of a chunk and applies the others', async () => {
    const [one, two] = await acceptedPayments(2);
    if (one === undefined || two === undefined) throw new Error('two payments expected');
    const [oneFirst, oneSecond] = one.payment.orders;
    const [twoFirst, twoSecond] = two.payment.orders;
    if (!oneFirst || !oneSecond || !twoFirst || !twoSecond) throw new Error('two orders each expected');
    const unknownOrder = succeeded(one, { ...oneFirst, id: 'po_unknown' });
    const wrongAmount = succeeded(two, twoFirst, '1');
    const unknownPayment = succeeded(
      { merchantId: one.merchantId, payment: { ...one.payment, id: 'pay_unknown' } },
      oneFirst,
    );
    const otherMerchant = succeeded({ ...two, merchantId: 'merchant-other' }, twoSecond);
    const good = [succeeded(one, oneFirst), succeeded(one, oneSecond), succeeded(two, twoSecond)];
    const poison = [unknownOrder, wrongAmount, unknownPayment, otherMerchant];
    const [oneFirstSucceeded, oneSecondSucceeded, twoSecondSucceeded] = good;
    await harness.sendTogether(TOPICS.paymentOrder, [
      oneFirstSucceeded,
      unknownOrder,
      wrongAmount,
      oneSecondSucceeded,
      unknownPayment,
      otherMerchant,
      twoSecondSucceeded,
    ] as EventEnvelope[]);

    const deadIds = await waitFor(
      () => {
        const ids = harness.readers.paymentOrderDlq.records.map((record) =>
          headerAsString(record.headers['ce_id']),
        );
        return poison.every((event) => ids.includes(event.id)) && ids;
      },
      { description: 'the poison events dead-lettered' },
    );
    expect(deadIds.filter((id) => good.some((event) => event.id === id))).toEqual([]);
    const oneView = await waitFor(async () => {
      const view = await harness.paymentOf(one.merchantId, one.payment.id);
      return view.orders.every((order) => order.status === 'succeeded') && view;
    });
    expect(oneView.status).toBe('processing');
    const twoView = await waitFor(async () => {
      const view = await harness.paymentOf(two.merchantId, two.payment.id);
      return view.orders[1]?.status === 'succeeded' && view;
    });
    expect(twoView.orders[0]?.status).toBe('executing');
  });

  it('names the one event a payment can never accept, and writes nothing of the chunk', async () => {
    const [one] = await acceptedPayments(1);
    if (one === undefined) throw new Error('a payment expected');
    const [first, second] = one.payment.orders;
    if (!first || !second) throw new Error('two orders expected');
    const poison = succeeded(one, first, '1');
    const chunk = [succeeded(one, second), poison].map(commandOf);
    const saga = harness.app.get(PaymentSagaService);
    const attempt = harness.dataSource.transaction((manager) => saga.apply(manager, chunk));
    await expect(attempt).rejects.toBeInstanceOf(PermanentEventError);
    await expect(attempt).rejects.toMatchObject({ eventId: poison.id });
    expect(await storedEvents(one.payment.id)).toHaveLength(3);
  });

  it('makes a chunk wait for another that holds the same payment, so both facts are kept in order', async () => {
    const [one] = await acceptedPayments(1);
    if (one === undefined) throw new Error('a payment expected');
    const [first] = one.payment.orders;
    if (first === undefined) throw new Error('an order expected');
    const saga = harness.app.get(PaymentSagaService);
    let releaseFirst: () => void = () => undefined;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstApplied: () => void = () => undefined;
    const firstHasApplied = new Promise<void>((resolve) => (firstApplied = resolve));
    const winner = harness.dataSource.transaction(async (manager) => {
      await saga.apply(manager, [commandOf(credited(one, first))]);
      firstApplied();
      await firstHolds;
    });
    await firstHasApplied;
    const loser = harness.dataSource.transaction((manager) =>
      saga.apply(manager, [commandOf(recorded(one, first))]),
    );
    await waitFor(
      async () => {
        const [row] = (await harness.dataSource.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'
              AND query LIKE 'SELECT id FROM payments WHERE id = ANY%FOR UPDATE'`,
        )) as { n: number }[];
        return (row?.n ?? 0) > 0;
      },
      { description: "the second chunk waiting on the payment's row lock" },
    );
    releaseFirst();
    await winner;
    await loser;
    const events = await storedEvents(one.payment.id);
    expect(events.map((event) => event.version)).toEqual([1, 2, 3, 4, 5]);
    expect(events.slice(3).map((event) => event.type)).toEqual([
      'OrderCreditedToWallet',
      'OrderRecordedInLedger',
    ]);
  });
  it('applies a chunk that mixes succeeded, declined and failed orders in one saga call', async () => {
    const [one, two] = await acceptedPayments(2);
    if (one === undefined || two === undefined) throw new Error('two payments expected');
    const [oneFirst, oneSecond] = one.payment.orders;
    const [twoFirst, twoSecond] = two.payment.orders;
    if (!oneFirst || !oneSecond || !twoFirst || !twoSecond) throw new Error('two orders each expected');
    const saga = harness.app.get(PaymentSagaService);
    const applied = jest.spyOn(saga, 'apply');
    try {
      await harness.sendTogether(TOPICS.paymentOrder, [
        succeeded(one, oneFirst),
        failed(two, twoFirst),
        declined(one, oneSecond),
        declined(two, twoSecond),
      ]);
      const twoView = await harness.untilStatus(two.merchantId, two.payment.id, 'failed');
      expect(twoView.orders.map((order) => order.status)).toEqual(['failed', 'declined']);
      const oneView = await harness.paymentOf(one.merchantId, one.payment.id);
      expect(oneView.orders.map((order) => order.status)).toEqual(['succeeded', 'declined']);
      const kindsPerCall = applied.mock.calls.map(([, commands]) =>
        commands.map((command) => command.command.kind),
      );
      expect(kindsPerCall).toContainEqual([
        'RecordOrderSucceeded',
        'RecordOrderFailed',
        'RecordOrderDeclined',
        'RecordOrderDeclined',
      ]);
    } finally {
      applied.mockRestore();
    }
  });
});
