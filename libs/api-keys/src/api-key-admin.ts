import { containsCardNumber, IDENTIFIER_PATTERN } from '@keel/contracts';
import { generateApiKey, type ApiKeyMode } from './api-key';

/** The longest expiry, or delay before a revocation, a key may be given: ten years. */
export const API_KEY_DAYS_MAX = 3_650;

/** What is kept about a key and may be shown: never the key nor its hash. */
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

/** Runs one statement of the payment database and answers its rows. */
export type ApiKeySql = (sql: string, values: readonly unknown[]) => Promise<readonly object[]>;

export type ApiKeyAdminRefusal =
  'invalid_merchant' | 'unknown_prefix' | 'ambiguous_prefix' | 'already_revoked';

/** A key operation refused for a reason its caller can name (the CLI prints it, the API answers it). */
export class ApiKeyAdminError extends Error {
  override readonly name = 'ApiKeyAdminError';

  constructor(
    readonly reason: ApiKeyAdminRefusal,
    message: string,
  ) {
    super(message);
  }
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
 * Creates, lists and revokes merchants' API keys in table api_keys of the payment database, for
 * every way keys are managed: the payment service's admin endpoints and `npm run keys`. It runs
 * its statements through `sql`, so each caller keeps its own connection.
 */
export class ApiKeyAdmin {
  constructor(
    private readonly sql: ApiKeySql,
    /** The payment service's API_KEY_HASH_SECRET. */
    private readonly hashSecret: string,
  ) {}

  /** A new key: the key itself (shown once, stored nowhere) and what is stored about it. */
  async create(options: NewApiKeyOptions): Promise<{ key: string; record: ApiKeyRecord }> {
    const { merchantId } = options;
    // The merchant id is stored and published with each of its payments: never a card number.
    if (!IDENTIFIER_PATTERN.test(merchantId) || containsCardNumber(merchantId)) {
      throw new ApiKeyAdminError(
        'invalid_merchant',
        `merchant id ${JSON.stringify(merchantId)} is not an identifier`,
      );
    }
    const created = generateApiKey(options.mode ?? 'test', this.hashSecret);
    const [row] = await this.rows(
      `INSERT INTO api_keys (merchant_id, mode, prefix, hash, name, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${COLUMNS}`,
      [merchantId, created.mode, created.prefix, created.hash, options.name ?? '', options.expiresAt ?? null],
    );
    if (row === undefined) throw new Error('api_keys returned no row');
    return { key: created.key, record: recordOf(row) };
  }

  /** The merchant's keys, oldest first, revoked and expired ones included. */
  async list(merchantId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.rows(
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
    const matches = await this.rows(`SELECT ${COLUMNS} FROM api_keys WHERE prefix = $1`, [prefix]);
    if (matches.length !== 1) {
      throw matches.length === 0
        ? new ApiKeyAdminError('unknown_prefix', `no API key has the prefix ${prefix}`)
        : new ApiKeyAdminError('ambiguous_prefix', `several API keys have the prefix ${prefix}`);
    }
    const [row] = await this.rows(
      `UPDATE api_keys SET revoked_at = coalesce($2, now())
        WHERE prefix = $1 AND (revoked_at IS NULL OR revoked_at > coalesce($2, now()))
        RETURNING ${COLUMNS}`,
      [prefix, at ?? null],
    );
    if (row === undefined) {
      throw new ApiKeyAdminError('already_revoked', `the API key ${prefix} is already revoked by then`);
    }
    return recordOf(row);
  }

  private async rows(sql: string, values: readonly unknown[]): Promise<ApiKeyRow[]> {
    return (await this.sql(sql, values)) as ApiKeyRow[];
  }
}
