import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { startLedger, type LedgerHarness } from '../test/ledger-harness';
import { commitRaw, produce, succeededEvent, succeededPayload } from '../test/ledger.fixture';

jest.setTimeout(60_000);

let ledger: LedgerHarness;
let dataSource: DataSource;

beforeAll(async () => {
  ledger = await startLedger();
  dataSource = ledger.dataSource;
  await dataSource.query(`
    INSERT INTO accounts (id, kind, owner, merchant_id, currency, normal_side) VALUES
      ('psp_clearing:raw:KRW', 'psp_clearing', 'raw', NULL, 'KRW', 'debit'),
      ('seller_payable:raw:KRW', 'seller_payable', 'raw', 'unknown', 'KRW', 'credit')`);
});

afterAll(() => ledger.stop());

type Statement = [string, unknown[]];

function transactionRow(id: string, postingCount: number): Statement {
  return [
    `INSERT INTO ledger_transactions (id, kind, reference, payment_id, posting_count, occurred_at)
     VALUES ($1, 'payment_order_charge', $2, 'pay-raw', $3, now())`,
    [id, `po-${id}`, postingCount],
  ];
}

function postingRow(
  transactionId: string,
  accountId: string,
  amountMinor: number,
  currency = 'KRW',
): Statement {
  return [
    'INSERT INTO postings (transaction_id, account_id, currency, amount_minor) VALUES ($1, $2, $3, $4)',
    [transactionId, accountId, currency, amountMinor],
  ];
}

async function countTransactions(id: string): Promise<number> {
  const rows = (await dataSource.query('SELECT count(*)::int AS n FROM ledger_transactions WHERE id = $1', [
    id,
  ])) as {
    n: number;
  }[];
  return rows[0]?.n ?? -1;
}

/** A balanced transaction written with raw SQL, to tamper with afterwards. */
async function committedTransaction(): Promise<string> {
  const id = randomUUID();
  await commitRaw(dataSource, [
    transactionRow(id, 2),
    postingRow(id, 'psp_clearing:raw:KRW', 100),
    postingRow(id, 'seller_payable:raw:KRW', -100),
  ]);
  return id;
}

describe('the database, independently of the service', () => {
  it('accepts a balanced transaction', async () => {
    expect(await countTransactions(await committedTransaction())).toBe(1);
  });

  it('refuses at commit a transaction whose postings do not sum to zero', async () => {
    const id = randomUUID();
    await expect(
      commitRaw(dataSource, [
        transactionRow(id, 2),
        postingRow(id, 'psp_clearing:raw:KRW', 100),
        postingRow(id, 'seller_payable:raw:KRW', -90),
      ]),
    ).rejects.toThrow(/does not balance in KRW: debits minus credits is 10/);
    expect(await countTransactions(id)).toBe(0);
  });

  it('refuses a transaction with fewer than two postings, or none', async () => {
    const single = randomUUID();
    await expect(
      commitRaw(dataSource, [transactionRow(single, 2), postingRow(single, 'psp_clearing:raw:KRW', 100)]),
    ).rejects.toThrow(/has 1 postings, expected 2/);
    const empty = randomUUID();
    await expect(commitRaw(dataSource, [transactionRow(empty, 2)])).rejects.toThrow(/has 0 postings/);
    expect((await countTransactions(single)) + (await countTransactions(empty))).toBe(0);
  });

  it('refuses a zero posting', async () => {
    const id = randomUUID();
    await expect(
      commitRaw(dataSource, [
        transactionRow(id, 3),
        postingRow(id, 'psp_clearing:raw:KRW', 100),
        postingRow(id, 'seller_payable:raw:KRW', -100),
        postingRow(id, 'seller_payable:raw:KRW', 0),
      ]),
    ).rejects.toThrow(/postings_amount_minor_check/);
  });

  it('refuses a posting in another currency than its account', async () => {
    const id = randomUUID();
    await expect(
      commitRaw(dataSource, [
        transactionRow(id, 2),
        postingRow(id, 'psp_clearing:raw:KRW', 100, 'USD'),
        postingRow(id, 'seller_payable:raw:KRW', -100, 'USD'),
      ]),
    ).rejects.toThrow(/postings_account_currency/);
  });

  it('refuses postings added to a committed transaction, even balanced ones', async () => {
    const id = await committedTransaction();
    await expect(
      commitRaw(dataSource, [
        postingRow(id, 'psp_clearing:raw:KRW', 5),
        postingRow(id, 'seller_payable:raw:KRW', -5),
      ]),
    ).rejects.toThrow(/has 4 postings, expected 2/);
  });

  it('refuses to change or remove postings and transactions', async () => {
    const id = await committedTransaction();
    for (const sql of [
      'UPDATE postings SET amount_minor = amount_minor * 2 WHERE transaction_id = $1',
      'DELETE FROM postings WHERE transaction_id = $1',
      "UPDATE ledger_transactions SET payment_id = 'other' WHERE id = $1",
      'DELETE FROM ledger_transactions WHERE id = $1',
    ]) {
      await expect(dataSource.query(sql, [id])).rejects.toThrow(/is append-only: (UPDATE|DELETE) refused/);
    }
    await expect(dataSource.query('TRUNCATE postings')).rejects.toThrow(
      /postings is append-only: TRUNCATE refused/,
    );
    const rows = (await dataSource.query(
      'SELECT amount_minor FROM postings WHERE transaction_id = $1 ORDER BY id',
      [id],
    )) as { amount_minor: string }[];
    expect(rows.map((row) => row.amount_minor)).toEqual(['100', '-100']);
  });

  it('refuses a second transaction of the same kind and reference', async () => {
    const payload = succeededPayload();
    await produce(ledger.producer, ledger.paymentOrderTopic, [succeededEvent(payload)]);
    await ledger.recordedFor(payload.paymentOrderId);
    const id = randomUUID();
    await expect(
      commitRaw(dataSource, [
        [
          `INSERT INTO ledger_transactions (id, kind, reference, payment_id, posting_count, occurred_at)
           VALUES ($1, 'payment_order_charge', $2, 'pay-raw', 2, now())`,
          [id, payload.paymentOrderId],
        ],
      ]),
    ).rejects.toThrow(/ledger_transactions_once/);
  });

  it('refuses an account whose id does not say its kind, owner and currency', async () => {
    await expect(
      dataSource.query(
        `INSERT INTO accounts (id, kind, owner, merchant_id, currency, normal_side)
         VALUES ('seller_payable:someone:KRW', 'seller_payable', 'someone-else', 'unknown', 'KRW', 'credit')`,
      ),
    ).rejects.toThrow(/accounts_id_format/);
    // A merchant's seller payable is named by the digest of merchant and seller, not by the seller.
    await expect(
      dataSource.query(
        `INSERT INTO accounts (id, kind, owner, merchant_id, currency, normal_side)
         VALUES ('seller_payable:someone:KRW', 'seller_payable', 'someone', 'merchant-1', 'KRW', 'credit')`,
      ),
    ).rejects.toThrow(/accounts_id_format/);
    await expect(
      dataSource.query(
        `INSERT INTO accounts (id, kind, owner, currency, normal_side)
         VALUES ('seller_payable:someone:KRW', 'seller_payable', 'someone', 'KRW', 'credit')`,
      ),
    ).rejects.toThrow(/accounts_merchant/);
    await expect(
      dataSource.query(
        `INSERT INTO accounts (id, kind, owner, currency, normal_side)
         VALUES ('fee_revenue:KRW', 'fee_revenue', NULL, 'KRW', 'debit')`,
      ),
    ).rejects.toThrow(/accounts_normal_side/);
  });
});
