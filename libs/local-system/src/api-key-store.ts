import { Client } from 'pg';
import { containsCardNumber, IDENTIFIER_PATTERN } from '@keel/contracts';
import { generateApiKey, LOCAL_API_KEY_HASH_SECRET, type ApiKeyMode } from '@keel/api-keys';
import { databaseUrlFor } from '@keel/database';
import { resolveEndpoints } from '@keel/local-infra';

export interface ApiKeyRecord {
  readonly prefix: string;
  readonly merchantId: string;
  readonly mode: ApiKeyMode;
  readonly name: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
}

export interface NewApiKeyOptions {
  readonly merchantId: string;
  readonly mode?: ApiKeyMode;
  readonly name?: string;
  readonly expiresAt?: Date;
}

interface ApiKeyRow {
  prefix: string;
  merchant_id: string;
  mode: ApiKeyMode;
  name: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'prefix, merchant_id, mode, name, created_at, expires_at, revoked_at';

const recordOf = (row: ApiKeyRow): ApiKeyRecord => ({
  prefix: row.prefix,
  merchantId: row.merchant_id,
  mode: row.mode,
  name: row.name,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

/**
 * Merchants' API keys in the payment service's database (table api_keys, made by its
 * migrations), for the keys CLI and the tests and tools that call a running Keel. Each call opens
 * and closes its own connection: keys are made rarely.
 */
export class ApiKeyStore {
  constructor(
    /** The payment service's DATABASE_URL. */
    private readonly databaseUrl: string,
    /** The payment service's API_KEY_HASH_SECRET. */
    private readonly hashSecret: string,
  ) {}

  /** A new key: the key itself (shown once, stored nowhere) and what is stored about it. */
  async create(options: NewApiKeyOptions): Promise<{ key: string; record: ApiKeyRecord }> {
    const { merchantId } = options;
    // The merchant id is stored and published with each of its payments: never a card number.
    if (!IDENTIFIER_PATTERN.test(merchantId) || containsCardNumber(merchantId)) {
      throw new Error(`merchant id ${JSON.stringify(merchantId)} is not an identifier`);
    }
    const created = generateApiKey(options.mode ?? 'test', this.hashSecret);
    const [row] = await this.query(
      `INSERT INTO api_keys (merchant_id, mode, prefix, hash, name, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [merchantId, created.mode, created.prefix, created.hash, options.name ?? '', options.expiresAt ?? null],
    );
    if (row === undefined) throw new Error('api_keys returned no row');
    return { key: created.key, record: recordOf(row) };
  }

  async list(merchantId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.query(
      `SELECT ${COLUMNS} FROM api_keys WHERE merchant_id = $1 ORDER BY created_at, id`,
      [merchantId],
    );
    return rows.map(recordOf);
  }

  /**
   * Revokes the one key with this prefix at `at` (now by default; later leaves an overlap for a
   * rotation); a revocation already scheduled may be brought forward. A prefix that names no key,
   * several keys, or a key revoked by then changes nothing.
   */
  async revoke(prefix: string, at?: Date): Promise<ApiKeyRecord> {
    const matches = await this.query(`SELECT ${COLUMNS} FROM api_keys WHERE prefix = $1`, [prefix]);
    if (matches.length !== 1) {
      throw new Error(
        matches.length === 0
          ? `no API key has the prefix ${prefix}`
          : `several API keys have the prefix ${prefix}`,
      );
    }
    const [row] = await this.query(
      `UPDATE api_keys SET revoked_at = coalesce($2, now())
        WHERE prefix = $1 AND (revoked_at IS NULL OR revoked_at > coalesce($2, now()))
        RETURNING ${COLUMNS}`,
      [prefix, at ?? null],
    );
    if (row === undefined) throw new Error(`the API key ${prefix} is already revoked by then`);
    return recordOf(row);
  }

  private async query(sql: string, values: readonly unknown[]): Promise<ApiKeyRow[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query<ApiKeyRow>(sql, [...values])).rows;
    } finally {
      await client.end();
    }
  }
}

/**
 * One test-mode key per merchant for a client of a running Keel (tests, drills, the bench, the
 * chaos runs), made on first use and reused after.
 */
export class MerchantKeys {
  private readonly keys = new Map<string, Promise<string>>();

  constructor(private readonly store: ApiKeyStore) {}

  keyFor(merchantId: string): Promise<string> {
    let key = this.keys.get(merchantId);
    if (key === undefined) {
      key = this.store.create({ merchantId, name: 'made by a tool' }).then((created) => created.key);
      key.catch(() => this.keys.delete(merchantId));
      this.keys.set(merchantId, key);
    }
    return key;
  }

  /** `Authorization` for the merchant's requests. */
  async authorizationFor(merchantId: string): Promise<string> {
    return `Bearer ${await this.keyFor(merchantId)}`;
  }
}

/**
 * The API keys of the Keel this machine runs (`npm start`): the payment database is DATABASE_URL
 * when set, else keel_payment on the local infrastructure. The hash secret is API_KEY_HASH_SECRET;
 * only against the local infrastructure or under KEEL_PROFILE=local may it be left unset, and then
 * it is the local one, which the payment service of `npm start` runs with.
 */
export function localApiKeyStore(environment: NodeJS.ProcessEnv = process.env): ApiKeyStore {
  const databaseUrl = environment['DATABASE_URL'];
  const secret = environment['API_KEY_HASH_SECRET'];
  const local = databaseUrl === undefined || environment['KEEL_PROFILE'] === 'local';
  if (secret === undefined && !local) {
    throw new Error('API_KEY_HASH_SECRET is not set: set the one the payment service runs with');
  }
  return new ApiKeyStore(
    databaseUrl ?? databaseUrlFor(resolveEndpoints().databaseUrl, 'keel_payment'),
    secret ?? LOCAL_API_KEY_HASH_SECRET,
  );
}
