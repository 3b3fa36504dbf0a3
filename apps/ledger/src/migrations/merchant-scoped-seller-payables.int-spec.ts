import type { MigrationInterface } from 'typeorm';
import { sellerPayableAccount } from '@keel/ledger-domain';
import { createTestDatabase, type TestDatabase } from '@keel/testing';
import { accountViewOf } from '../queries/ledger-views.util';
import type { AccountRow } from '../queries/account.repository';
import { LEDGER_MIGRATIONS } from './1764000000000-create-ledger-tables.migration';
import { AddOrphanChargeKinds1764100000000 } from './1764100000000-add-orphan-charge-kinds.migration';
import { MerchantScopedSellerPayables1764500000000 } from './1764500000000-merchant-scoped-seller-payables.migration';

jest.setTimeout(60_000);

type MigrationClass = new () => MigrationInterface;

const BEFORE: MigrationClass[] = [...LEDGER_MIGRATIONS, AddOrphanChargeKinds1764100000000];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('ledger_merchant_migration');
});

afterAll(async () => {
  await database.drop();
});

describe('the merchant-scoped seller payables migration', () => {
  it('keeps the accounts and postings written before, under the merchant `unknown`, and opens merchants’ accounts beside them', async () => {
    const old = await database.migrate(BEFORE);
    await old.transaction(async (manager) => {
      await manager.query(`
        INSERT INTO accounts (id, kind, owner, currency, normal_side, balance_minor, version) VALUES
          ('psp_clearing:acme:KRW', 'psp_clearing', 'acme', 'KRW', 'debit', 10000, 1),
          ('seller_payable:seller_a:KRW', 'seller_payable', 'seller_a', 'KRW', 'credit', -9750, 1),
          ('fee_revenue:KRW', 'fee_revenue', NULL, 'KRW', 'credit', -250, 1)`);
      await manager.query(`
        INSERT INTO ledger_transactions (id, kind, reference, payment_id, posting_count, occurred_at)
        VALUES ('0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70', 'payment_order_charge', 'po_old', 'pay_old', 3, now())`);
      await manager.query(`
        INSERT INTO postings (transaction_id, account_id, currency, amount_minor) VALUES
          ('0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70', 'psp_clearing:acme:KRW', 'KRW', 10000),
          ('0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70', 'seller_payable:seller_a:KRW', 'KRW', -9750),
          ('0b9e6f4c-4a8e-4c1b-9f1e-2f3c4d5e6f70', 'fee_revenue:KRW', 'KRW', -250)`);
    });
    await old.destroy();

    const current = await database.migrate([...BEFORE, MerchantScopedSellerPayables1764500000000]);
    try {
      const rows = (await current.query(
        `SELECT id, kind, owner, merchant_id, currency, normal_side, balance_minor, version, created_at, updated_at
         FROM accounts ORDER BY id`,
      )) as AccountRow[];
      expect(rows.map((row) => [row.id, row.merchant_id, row.balance_minor])).toEqual([
        ['fee_revenue:KRW', null, '-250'],
        ['psp_clearing:acme:KRW', null, '10000'],
        ['seller_payable:seller_a:KRW', 'unknown', '-9750'],
      ]);
      // The read side derives the same id for the old account under the merchant `unknown`.
      expect(rows.map((row) => accountViewOf(row).merchantId)).toEqual([null, null, 'unknown']);
      expect(await current.query('SELECT count(*)::int AS n FROM postings')).toEqual([{ n: 3 }]);

      // The same seller id of a merchant is another account, named as the domain names it.
      const ofMerchant = sellerPayableAccount('merchant_b', 'seller_a', 'KRW');
      await current.query(
        `INSERT INTO accounts (id, kind, owner, merchant_id, currency, normal_side)
         VALUES ($1, 'seller_payable', 'seller_a', 'merchant_b', 'KRW', 'credit')`,
        [ofMerchant.id],
      );
      // A seller payable without a merchant, as the previous version would open one, is refused.
      await expect(
        current.query(`
          INSERT INTO accounts (id, kind, owner, currency, normal_side)
          VALUES ('seller_payable:seller_c:KRW', 'seller_payable', 'seller_c', 'KRW', 'credit')`),
      ).rejects.toThrow(/accounts_merchant/);
      await expect(
        current.query(`
          INSERT INTO accounts (id, kind, owner, merchant_id, currency, normal_side)
          VALUES ('psp_clearing:x:KRW', 'psp_clearing', 'x', 'merchant_b', 'KRW', 'debit')`),
      ).rejects.toThrow(/accounts_merchant/);
    } finally {
      await current.destroy();
    }
  });
});
