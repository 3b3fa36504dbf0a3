import { Client } from 'pg';
import {
  ApiKeyAdmin,
  LOCAL_API_KEY_HASH_SECRET,
  type ApiKeyRecord,
  type NewApiKeyOptions,
} from '@keel/api-keys';
import { databaseUrlFor } from '@keel/database';
import { resolveEndpoints } from '@keel/local-infra';

/**
 * Merchants' API keys in the payment service's database (table api_keys, made by its
 * migrations), for the keys CLI and the tests and tools that call a running Keel: @keel/api-keys'
 * ApiKeyAdmin over a connection of its own per call, since keys are made rarely.
 */
export class ApiKeyStore {
  private readonly admin: ApiKeyAdmin;

  constructor(
    /** The payment service's DATABASE_URL. */
    private readonly databaseUrl: string,
    /** The payment service's API_KEY_HASH_SECRET. */
    hashSecret: string,
  ) {
    this.admin = new ApiKeyAdmin((sql, values) => this.query(sql, values), hashSecret);
  }

  /** A new key: the key itself (shown once, stored nowhere) and what is stored about it. */
  create(options: NewApiKeyOptions): Promise<{ key: string; record: ApiKeyRecord }> {
    return this.admin.create(options);
  }

  list(merchantId: string): Promise<ApiKeyRecord[]> {
    return this.admin.list(merchantId);
  }

  /** Revokes the one key with this prefix at `at`, now by default (ApiKeyAdmin.revoke). */
  revoke(prefix: string, at?: Date): Promise<ApiKeyRecord> {
    return this.admin.revoke(prefix, at);
  }

  private async query(sql: string, values: readonly unknown[]): Promise<object[]> {
    const client = new Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return (await client.query<object>(sql, [...values])).rows;
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
  // Empty is unset, as the payment service reads it (docker-compose.yml passes `${API_KEY_HASH_SECRET:-}`).
  const secret = environment['API_KEY_HASH_SECRET'] || undefined;
  const local = databaseUrl === undefined || environment['KEEL_PROFILE'] === 'local';
  if (secret === undefined && !local) {
    throw new Error('API_KEY_HASH_SECRET is not set: set the one the payment service runs with');
  }
  return new ApiKeyStore(
    databaseUrl ?? databaseUrlFor(resolveEndpoints().databaseUrl, 'keel_payment'),
    secret ?? LOCAL_API_KEY_HASH_SECRET,
  );
}
