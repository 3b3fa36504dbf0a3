import type { INestApplication } from '@nestjs/common';
import type { Counter } from 'prom-client';
import type { EventEnvelope, PaymentOrderSucceededV2Payload } from '@keel/contracts';
import type { CurrencyCode } from '@keel/money';
import { Registry } from '@keel/observability';
import { waitFor } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../test/ledger-harness';
import {
  accountDrift,
  getJson,
  orphanDetectedEvent,
  orphanRefundedEvent,
  produce,
  recordedEventOf,
  sellerNetMinorOf,
  succeededEvent,
  succeededPayload,
  uniqueId,
  sellerPayableIdOf,
} from '../test/ledger.fixture';
import type { AccountView } from './queries/account.view';
import type { TrialBalanceView } from './queries/trial-balance.view';

jest.setTimeout(180_000);

const CHARGES_PER_WAVE = 40;
const WAVES_AT_ONCE = 6;
const WAVES_UNTIL_BOTH_CONSUME_MAX = 40;

let ledger: LedgerHarness;
let second: INestApplication;

beforeAll(async () => {
  ledger = await startLedger();
  second = await ledger.startAnotherInstance();
});

afterAll(() => ledger.stop());

async function transactionsRecordedBy(app: INestApplication): Promise<number> {
  const counter = app.get(Registry).getSingleMetric('keel_ledger_transactions_recorded_total') as
    Counter | undefined;
  const values = counter === undefined ? [] : (await counter.get()).values;
  return values.reduce((total, value) => total + value.value, 0);
}

/** Few sellers and PSPs, so every chunk of either instance touches the same hot accounts. */
class Traffic {
  readonly sellers = [uniqueId('seller'), uniqueId('seller'), uniqueId('seller')];
  readonly psps = [uniqueId('psp'), uniqueId('psp')];
  readonly charges: PaymentOrderSucceededV2Payload[] = [];
  readonly orphanOrderIds: string[] = [];

  /** Charges with an orphan charge and its refund per PSP among them, so chunks mix event types. */
  async sendWave(): Promise<void> {
    const charges = Array.from({ length: CHARGES_PER_WAVE }, (_, index) =>
      succeededPayload({
        sellerId: this.sellers[index % this.sellers.length],
        pspId: this.psps[index % this.psps.length],
        currency: index % 8 === 0 ? 'USD' : 'KRW',
        amountMinor: String(1_000 + this.charges.length * 7 + index),
      }),
    );
    const detected = this.psps.map((pspId) => orphanDetectedEvent(pspId, '777'));
    const half = CHARGES_PER_WAVE / 2;
    const events: EventEnvelope[] = [
      ...charges.slice(0, half).map(succeededEvent),
      ...detected,
      ...charges.slice(half).map(succeededEvent),
      ...detected.map(orphanRefundedEvent),
    ];
    this.charges.push(...charges);
    this.orphanOrderIds.push(...detected.map((event) => event.data.paymentOrderId));
    await produce(ledger.producer, ledger.paymentOrderTopic, events);
  }

  get transactionCount(): number {
    return this.charges.length + this.orphanOrderIds.length * 2;
  }

  get references(): string[] {
    return [...this.charges.map((charge) => charge.paymentOrderId), ...this.orphanOrderIds];
  }

  expectedSellerPayableMinor(sellerId: string, currency: CurrencyCode): bigint {
    return this.charges
      .filter((charge) => charge.sellerId === sellerId && charge.amount.currency === currency)
      .map(sellerNetMinorOf)
      .reduce((total, amountMinor) => total + amountMinor, 0n);
  }
}

async function countTransactions(references: readonly string[]): Promise<number> {
  const rows = (await ledger.dataSource.query(
    'SELECT count(*)::int AS n FROM ledger_transactions WHERE reference = ANY($1)',
    [references],
  )) as { n: number }[];
  return rows[0]?.n ?? -1;
}

function allRecorded(traffic: Traffic): Promise<true> {
  return waitFor(async () => (await countTransactions(traffic.references)) === traffic.transactionCount, {
    description: `${traffic.transactionCount} transactions recorded`,
    timeoutMs: 120_000,
  });
}

describe('two ledger instances sharing hot accounts', () => {
  it('post every movement once, keep every balance equal to its postings, and never deadlock', async () => {
    const traffic = new Traffic();
    // The second instance joins the group after the first: send until both have partitions.
    for (let wave = 0; wave < WAVES_UNTIL_BOTH_CONSUME_MAX; wave += 1) {
      await traffic.sendWave();
      await allRecorded(traffic);
      if ((await transactionsRecordedBy(ledger.app)) > 0 && (await transactionsRecordedBy(second)) > 0) break;
    }
    expect(await transactionsRecordedBy(second)).toBeGreaterThan(0);
    for (let wave = 0; wave < WAVES_AT_ONCE; wave += 1) await traffic.sendWave();
    await allRecorded(traffic);

    const announced = await waitFor(
      async () => {
        const outbox = (await ledger.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as {
          n: number;
        }[];
        const records = ledger.ledgerTopic.records.map(recordedEventOf);
        return outbox[0]?.n === 0 && records.length >= traffic.transactionCount && records;
      },
      { description: 'every transaction announced' },
    );
    const announcedMovements = announced.map(
      (event) => `${event.payload.kind} ${event.payload.paymentOrderId}`,
    );
    expect(new Set(announcedMovements).size).toBe(traffic.transactionCount);
    expect(announcedMovements).toHaveLength(traffic.transactionCount);
    expect(ledger.deadLetters.records).toEqual([]);
    expect(await accountDrift(ledger.dataSource)).toEqual([]);

    const trialBalance = await getJson<TrialBalanceView>(ledger.baseUrl, '/v1/trial-balance');
    expect(trialBalance.body.balanced).toBe(true);
    for (const line of trialBalance.body.currencies) expect(line.totalDebits).toEqual(line.totalCredits);
    for (const sellerId of traffic.sellers) {
      for (const currency of ['KRW', 'USD'] as const) {
        const response = await getJson<AccountView>(
          ledger.baseUrl,
          `/v1/accounts/${sellerPayableIdOf(sellerId, currency)}`,
        );
        expect(response.body.balance.amountMinor).toBe(
          String(traffic.expectedSellerPayableMinor(sellerId, currency)),
        );
      }
    }

    expect(await ledger.stopInstancesAndCountDeadlocks()).toBe(0);
  });
});
