import { createTestDatabase, type TestDatabase } from '@keel/testing';
import { WALLET_MIGRATIONS } from '../wallet.module';
import { MerchantScopedWallets1764500000000 } from './1764500000000-merchant-scoped-wallets.migration';

jest.setTimeout(60_000);

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('wallet_merchant_migration');
});

afterAll(async () => {
  await database.drop();
});

describe('the merchant-scoped wallets migration', () => {
  it('keeps the wallets and entries written before under the merchant `unknown`, and lets two merchants share a seller id', async () => {
    const before = WALLET_MIGRATIONS.slice(0, WALLET_MIGRATIONS.indexOf(MerchantScopedWallets1764500000000));
    const old = await database.migrate(before);
    await old.query(
      `INSERT INTO wallets (seller_id, currency, balance_minor, version) VALUES ('seller_a', 'KRW', 9750, 1)`,
    );
    await old.query(`
      INSERT INTO wallet_entries (seller_id, currency, kind, amount_minor, gross_amount_minor, fee_amount_minor,
        fee_basis_points, fee_rounding, payment_order_id, payment_id, payment_method_type, balance_after_minor)
      VALUES ('seller_a', 'KRW', 'payment_order_credit', 9750, 10000, 250, 250, 'half_even', 'po_old', 'pay_old',
        'card', 9750)`);
    await old.destroy();

    const current = await database.migrate(WALLET_MIGRATIONS);
    try {
      expect(
        await current.query('SELECT merchant_id, seller_id, currency, balance_minor, version FROM wallets'),
      ).toEqual([
        {
          merchant_id: 'unknown',
          seller_id: 'seller_a',
          currency: 'KRW',
          balance_minor: '9750',
          version: '1',
        },
      ]);
      expect(await current.query('SELECT merchant_id, payment_order_id FROM wallet_entries')).toEqual([
        { merchant_id: 'unknown', payment_order_id: 'po_old' },
      ]);
      // The same seller id under a real merchant is another wallet; a row naming no merchant is refused.
      await current.query(
        `INSERT INTO wallets (merchant_id, seller_id, currency) VALUES ('merchant_b', 'seller_a', 'KRW')`,
      );
      await expect(
        current.query(`INSERT INTO wallets (seller_id, currency) VALUES ('seller_c', 'KRW')`),
      ).rejects.toThrow(/merchant_id/);
      // An entry must belong to a wallet of its own merchant.
      await expect(
        current.query(`
          INSERT INTO wallet_entries (merchant_id, seller_id, currency, kind, amount_minor, gross_amount_minor,
            fee_amount_minor, payment_order_id, payment_id, payment_method_type, balance_after_minor)
          VALUES ('merchant_c', 'seller_a', 'KRW', 'payment_order_credit', 1, 1, 0, 'po_new', 'pay_new', 'card', 1)`),
      ).rejects.toThrow(/wallet_entries_wallet/);
      const [index] = await current.query<{ indexdef: string }[]>(
        `SELECT indexdef FROM pg_indexes WHERE indexname = 'wallet_entries_by_merchant_seller'`,
      );
      expect(index?.indexdef).toContain('(merchant_id, seller_id, id DESC)');
    } finally {
      await current.destroy();
    }
  });
});
