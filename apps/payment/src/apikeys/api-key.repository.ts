import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ApiKeyMode, StoredApiKey } from '@keel/api-keys';

interface ApiKeyRow {
  merchant_id: string;
  mode: ApiKeyMode;
  hash: string;
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** The SQL of table api_keys the API needs: one key by its hash. Keys are made by `npm run keys`. */
@Injectable()
export class ApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findByHash(hash: string): Promise<StoredApiKey | undefined> {
    const [row] = (await this.dataSource.query(
      'SELECT merchant_id, mode, hash, expires_at, revoked_at FROM api_keys WHERE hash = $1',
      [hash],
    )) as ApiKeyRow[];
    if (row === undefined) return undefined;
    return {
      merchantId: row.merchant_id,
      mode: row.mode,
      hash: row.hash,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
  }
}
