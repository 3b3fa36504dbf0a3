// Invariant I5 (each seller's wallet balance equals their ledger payable) holds because wallet and
// ledger apply the one platform fee that succeeded.v2 carries, decided once by the payment service;
// neither has a fee setting. The ledger runs in this process and the wallet as a process of its
// own (apps never import each other), on its own database, both consuming the same topic.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import {
  TOPICS,
  toKafkaRecord,
  WALLET_EVENT_TYPES,
  type EventEnvelope,
  type WalletCreditedPayload,
} from '@keel/contracts';
import { DEAD_LETTER_HEADERS, headerAsString } from '@keel/messaging';
import { createTestDatabase, TopicReader, waitFor, type TestDatabase } from '@keel/testing';
import { startLedger, type LedgerHarness } from '../test/ledger-harness';
import {
  getJson,
  produce,
  succeededEvent,
  succeededPayload,
  uniqueId,
  sellerPayableIdOf,
} from '../test/ledger.fixture';
import type { AccountView } from './queries/account.view';

jest.setTimeout(120_000);

const WORKSPACE_ROOT = resolve(__dirname, '../../..');
/** The wallet starts from source (swc) and reads the topic from its start: allow it some seconds. */
const WALLET_TIMEOUT_MS = 60_000;

let ledger: LedgerHarness;
let walletDatabase: TestDatabase;
let wallet: ChildProcess;
let walletRows: Client;
let walletTopic: TopicReader;

beforeAll(async () => {
  ledger = await startLedger();
  walletDatabase = await createTestDatabase('wallet_fee_agreement');
  wallet = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/wallet/src/main.ts'], {
    cwd: WORKSPACE_ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: walletDatabase.url,
      // Started without KEEL_PROFILE=local, so with an operator token secret of its own.
      OPERATOR_TOKEN_SECRET: 'an-operator-token-secret-of-32-characters',
      KAFKA_BROKERS: ledger.namespace.brokers.join(','),
      KAFKA_TOPIC_NAMESPACE: ledger.namespace.namespace,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  walletTopic = await TopicReader.start(ledger.namespace.kafka, ledger.namespace.topic(TOPICS.wallet));
  walletRows = new Client({ connectionString: walletDatabase.url });
  await walletRows.connect();
});

afterAll(async () => {
  await walletRows?.end();
  await walletTopic?.stop();
  if (wallet !== undefined && wallet.exitCode === null && wallet.signalCode === null) {
    const exited = new Promise((done) => wallet.once('exit', done));
    wallet.kill('SIGTERM');
    await exited;
  }
  await walletDatabase?.drop();
  await ledger?.stop();
});

function walletCreditOf(paymentOrderId: string): WalletCreditedPayload | undefined {
  return walletTopic.records
    .filter((record) => headerAsString(record.headers['ce_type']) === WALLET_EVENT_TYPES.credited)
    .map((record) => JSON.parse(record.value?.toString('utf8') ?? 'null') as WalletCreditedPayload)
    .find((credit) => credit.paymentOrderId === paymentOrderId);
}

/** Waits until the wallet credited and the ledger posted every one of these payment orders. */
async function appliedByBoth(paymentOrderIds: readonly string[]): Promise<void> {
  await waitFor(() => paymentOrderIds.every((id) => walletCreditOf(id) !== undefined), {
    timeoutMs: WALLET_TIMEOUT_MS,
    description: `the wallet's credits of ${paymentOrderIds.length} orders`,
  });
  for (const id of paymentOrderIds) await ledger.recordedFor(id);
}

async function walletBalanceMinor(sellerId: string, currency: string): Promise<string | undefined> {
  const { rows } = await walletRows.query<{ balance_minor: string }>(
    'SELECT balance_minor FROM wallets WHERE seller_id = $1 AND currency = $2',
    [sellerId, currency],
  );
  return rows[0]?.balance_minor;
}

async function ledgerPayableMinor(sellerId: string, currency: string): Promise<string | undefined> {
  const response = await getJson<AccountView>(
    ledger.baseUrl,
    `/v1/accounts/${sellerPayableIdOf(sellerId, currency)}`,
  );
  return response.status === 200 ? response.body.balance.amountMinor : undefined;
}

describe('wallet and ledger apply the fee of the event', () => {
  it('credit the seller and post the seller payable the same amount less the event’s fee, for fees no fee table gives', async () => {
    const sellerId = uniqueId('seller');
    const charges = [
      // 1.23 % and 0 % of the same card charge, and all but one cent of a USD one.
      succeededPayload({
        sellerId,
        amountMinor: '10000',
        currency: 'KRW',
        methodType: 'card',
        feeMinor: '123',
      }),
      succeededPayload({
        sellerId,
        amountMinor: '10000',
        currency: 'KRW',
        methodType: 'card',
        feeMinor: '0',
      }),
      succeededPayload({
        sellerId,
        amountMinor: '1999',
        currency: 'USD',
        methodType: 'mobile',
        feeMinor: '1998',
      }),
    ];
    await produce(ledger.producer, ledger.paymentOrderTopic, charges.map(succeededEvent));
    await appliedByBoth(charges.map((charge) => charge.paymentOrderId));

    for (const [currency, expected] of [
      ['KRW', '19877'],
      ['USD', '1'],
    ]) {
      expect([currency, await walletBalanceMinor(sellerId, currency)]).toEqual([currency, expected]);
      expect([currency, await ledgerPayableMinor(sellerId, currency)]).toEqual([currency, expected]);
    }
    const { rows: walletFees } = await walletRows.query<{
      payment_order_id: string;
      fee_amount_minor: string;
    }>('SELECT payment_order_id, fee_amount_minor FROM wallet_entries WHERE seller_id = $1', [sellerId]);
    const eventFees = Object.fromEntries(
      charges.map((charge) => [charge.paymentOrderId, charge.platformFee.amountMinor]),
    );
    expect(Object.fromEntries(walletFees.map((row) => [row.payment_order_id, row.fee_amount_minor]))).toEqual(
      eventFees,
    );
    const ledgerFees: Record<string, string> = {};
    for (const charge of charges) {
      const { payload } = await ledger.recordedFor(charge.paymentOrderId);
      const feePosting = payload.postings.find((posting) => posting.accountId.startsWith('fee_revenue:'));
      // A zero fee has no posting.
      ledgerFees[charge.paymentOrderId] = feePosting?.amount.amountMinor ?? '0';
    }
    expect(ledgerFees).toEqual(eventFees);
  });

  it('dead-letter in both an event whose fee cannot be applied, and neither applies it', async () => {
    const sellerId = uniqueId('seller');
    const wholeAmount = succeededEvent(succeededPayload({ sellerId, amountMinor: '5000', feeMinor: '5000' }));
    const otherCurrency = succeededEvent({
      ...succeededPayload({ sellerId, amountMinor: '5000' }),
      platformFee: { amountMinor: '10', currency: 'USD' },
    });
    // A negative fee never passes the contract: the record is rejected before any handler.
    const negative = succeededEvent(succeededPayload({ sellerId, amountMinor: '5000' }));
    const negativeRecord = toKafkaRecord(negative);
    const negativeValue = { ...negative.data, platformFee: { amountMinor: '-1', currency: 'KRW' } };
    const valid = succeededPayload({ sellerId, amountMinor: '5000', feeMinor: '50' });
    await produce(ledger.producer, ledger.paymentOrderTopic, [wholeAmount, otherCurrency]);
    await ledger.producer.send([
      {
        topic: ledger.paymentOrderTopic,
        ...negativeRecord,
        value: Buffer.from(JSON.stringify(negativeValue)),
      },
    ]);
    await produce(ledger.producer, ledger.paymentOrderTopic, [succeededEvent(valid)]);

    const poison: EventEnvelope[] = [wholeAmount, otherCurrency, negative];
    const deadLetters = await waitFor(
      () => {
        const records = ledger.deadLetters.records.filter((record) =>
          poison.some((event) => headerAsString(record.headers['ce_id']) === event.id),
        );
        return records.length === poison.length * 2 && records;
      },
      { timeoutMs: WALLET_TIMEOUT_MS, description: 'each poison event dead-lettered by wallet and ledger' },
    );
    // Consumer groups are named within the test's namespace: <namespace>.keel-<service>.
    const seen = deadLetters.map((record) => [
      headerAsString(record.headers['ce_id']),
      headerAsString(record.headers[DEAD_LETTER_HEADERS.consumer])?.replace(
        `${ledger.namespace.namespace}.`,
        '',
      ),
      headerAsString(record.headers[DEAD_LETTER_HEADERS.reason]),
    ]);
    expect(seen.sort()).toEqual(
      [
        [wholeAmount.id, 'keel-ledger', 'handler_rejected'],
        [wholeAmount.id, 'keel-wallet', 'handler_rejected'],
        [otherCurrency.id, 'keel-ledger', 'handler_rejected'],
        [otherCurrency.id, 'keel-wallet', 'handler_rejected'],
        [negative.id, 'keel-ledger', 'invalid_payload'],
        [negative.id, 'keel-wallet', 'invalid_payload'],
      ].sort(),
    );

    await appliedByBoth([valid.paymentOrderId]);
    expect(await walletBalanceMinor(sellerId, 'KRW')).toBe('4950');
    expect(await ledgerPayableMinor(sellerId, 'KRW')).toBe('4950');
  });
});
