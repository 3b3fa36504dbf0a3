import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The double-entry journal. Postings are signed minor units, debits positive and credits
 * negative, so a transaction balances when its postings sum to zero per currency and an
 * account's balance_minor is the plain sum of its postings. The database asserts what the
 * domain already asserted: balance at commit, currency per account, and that nothing written
 * is ever changed.
 */
export class CreateLedgerTables1764000000000 implements MigrationInterface {
  name = 'CreateLedgerTables1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await createAccounts(queryRunner);
    await createJournal(queryRunner);
    await createImmutability(queryRunner);
    await createBalanceCheck(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Dropping the tables drops their triggers; DROP TABLE fires no row triggers.
    await queryRunner.query('DROP TABLE postings');
    await queryRunner.query('DROP TABLE ledger_transactions');
    await queryRunner.query('DROP TABLE accounts');
    await queryRunner.query('DROP FUNCTION ledger_assert_transaction_balanced()');
    await queryRunner.query('DROP FUNCTION ledger_refuse_change()');
  }
}

async function createAccounts(queryRunner: QueryRunner): Promise<void> {
  // The id is derived from kind, owner and currency (checked), so it is stable and readable.
  // balance_minor is debits minus credits; version counts the transactions that touched it.
  await queryRunner.query(`
    CREATE TABLE accounts (
      id text PRIMARY KEY CHECK (char_length(id) <= 64),
      kind text NOT NULL CHECK (kind IN ('psp_clearing', 'seller_payable', 'fee_revenue')),
      owner text,
      currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
      normal_side text NOT NULL CHECK (normal_side IN ('debit', 'credit')),
      balance_minor bigint NOT NULL DEFAULT 0,
      version bigint NOT NULL DEFAULT 0 CHECK (version >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT accounts_id_currency UNIQUE (id, currency),
      CONSTRAINT accounts_id_format CHECK (id = kind || ':' || coalesce(owner || ':', '') || currency),
      CONSTRAINT accounts_owner CHECK ((owner IS NULL) = (kind = 'fee_revenue')),
      CONSTRAINT accounts_normal_side CHECK (
        normal_side = CASE kind WHEN 'psp_clearing' THEN 'debit' ELSE 'credit' END
      )
    )`);
  await queryRunner.query('CREATE INDEX accounts_by_owner ON accounts (owner, id) WHERE owner IS NOT NULL');
  await queryRunner.query('CREATE INDEX accounts_by_kind ON accounts (kind, id)');
}

async function createJournal(queryRunner: QueryRunner): Promise<void> {
  // UNIQUE (kind, reference): a movement (a payment order's charge) is recorded at most once.
  // posting_count lets the commit-time check refuse postings added to a committed transaction.
  await queryRunner.query(`
    CREATE TABLE ledger_transactions (
      id uuid PRIMARY KEY,
      kind text NOT NULL CHECK (kind IN ('payment_order_charge', 'reversal')),
      reference text NOT NULL CHECK (char_length(reference) BETWEEN 1 AND 64),
      payment_id text NOT NULL CHECK (char_length(payment_id) BETWEEN 1 AND 64),
      posting_count smallint NOT NULL CHECK (posting_count BETWEEN 2 AND 50),
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT ledger_transactions_once UNIQUE (kind, reference)
    )`);
  await queryRunner.query('CREATE INDEX ledger_transactions_by_reference ON ledger_transactions (reference)');
  // The foreign key on (account_id, currency) makes a posting in another currency than its
  // account impossible.
  await queryRunner.query(`
    CREATE TABLE postings (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
      account_id text NOT NULL,
      currency text NOT NULL,
      amount_minor bigint NOT NULL CHECK (amount_minor <> 0),
      CONSTRAINT postings_account_currency FOREIGN KEY (account_id, currency)
        REFERENCES accounts (id, currency)
    )`);
  await queryRunner.query('CREATE INDEX postings_by_transaction ON postings (transaction_id)');
  await queryRunner.query('CREATE INDEX postings_by_account ON postings (account_id, id)');
}

async function createImmutability(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
    CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused; correct with a reversing transaction',
        TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
    END $$`);
  for (const table of ['ledger_transactions', 'postings']) {
    await queryRunner.query(`
      CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()`);
    await queryRunner.query(`
      CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()`);
  }
}

async function createBalanceCheck(queryRunner: QueryRunner): Promise<void> {
  // Runs at commit, once per inserted row, over the whole transaction the row belongs to: the
  // postings must be exactly posting_count (at least two) and sum to zero in every currency.
  await queryRunner.query(`
    CREATE FUNCTION ledger_assert_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      checked_id uuid;
      expected_count integer;
      actual_count integer;
      unbalanced record;
    BEGIN
      IF TG_TABLE_NAME = 'postings' THEN
        checked_id := NEW.transaction_id;
      ELSE
        checked_id := NEW.id;
      END IF;
      SELECT posting_count INTO expected_count FROM ledger_transactions WHERE id = checked_id;
      SELECT count(*) INTO actual_count FROM postings WHERE transaction_id = checked_id;
      IF actual_count < 2 OR actual_count <> expected_count THEN
        RAISE EXCEPTION 'ledger transaction % has % postings, expected % (at least 2)',
          checked_id, actual_count, expected_count USING ERRCODE = 'check_violation';
      END IF;
      SELECT currency, sum(amount_minor) AS sum_minor INTO unbalanced
        FROM postings WHERE transaction_id = checked_id
        GROUP BY currency HAVING sum(amount_minor) <> 0 LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %: debits minus credits is %',
          checked_id, unbalanced.currency, unbalanced.sum_minor USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$`);
  await queryRunner.query(`
    CREATE CONSTRAINT TRIGGER postings_balanced AFTER INSERT ON postings
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_assert_transaction_balanced()`);
  await queryRunner.query(`
    CREATE CONSTRAINT TRIGGER ledger_transactions_balanced AFTER INSERT ON ledger_transactions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_assert_transaction_balanced()`);
}

export const LEDGER_MIGRATIONS = [CreateLedgerTables1764000000000];
