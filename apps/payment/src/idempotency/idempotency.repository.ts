import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A response as it was first sent, replayed byte for byte to a repeat of the request. */
export interface StoredResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** The exact JSON text, so a replay is identical (jsonb would reorder keys). */
  readonly body: string;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly claimToken: string;
  readonly response?: StoredResponse;
  /** Past expires_at: the key is free again. */
  readonly expired: boolean;
  /** Claimed longer ago than the claim timeout and not completed: its request died. */
  readonly stale: boolean;
}

export interface KeyScope {
  readonly merchantId: string;
  readonly key: string;
}

interface RecordRow {
  request_hash: string;
  claim_token: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  expired: boolean;
  stale: boolean;
}

/** SQL of the idempotency_keys table; times are the database's, so every instance agrees. */
@Injectable()
export class IdempotencyRepository {
  /** Inserts the claim unless the key exists; true when this call created it. */
  async insertClaim(
    manager: EntityManager,
    scope: KeyScope,
    requestHash: string,
    claimToken: string,
    ttlMs: number,
  ): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO idempotency_keys
         (merchant_id, idempotency_key, request_hash, claim_token, claimed_at, expires_at)
       VALUES ($1, $2, $3, $4, now(), now() + $5 * interval '1 millisecond')
       ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
       RETURNING claim_token`,
      [scope.merchantId, scope.key, requestHash, claimToken, ttlMs],
    )) as unknown[];
    return rows.length === 1;
  }

  async find(
    manager: EntityManager,
    scope: KeyScope,
    claimTimeoutMs: number,
  ): Promise<IdempotencyRecord | undefined> {
    const rows = (await manager.query(
      `SELECT request_hash, claim_token, response_status, response_headers, response_body,
              expires_at <= now() AS expired,
              completed_at IS NULL AND claimed_at <= now() - $3 * interval '1 millisecond' AS stale
         FROM idempotency_keys
        WHERE merchant_id = $1 AND idempotency_key = $2`,
      [scope.merchantId, scope.key, claimTimeoutMs],
    )) as RecordRow[];
    const row = rows[0];
    if (row === undefined) return undefined;
    const response =
      row.response_status === null || row.response_body === null
        ? undefined
        : { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body };
    return {
      requestHash: row.request_hash,
      claimToken: row.claim_token,
      expired: row.expired,
      stale: row.stale,
      ...(response === undefined ? {} : { response }),
    };
  }

  async deleteIfExpired(manager: EntityManager, scope: KeyScope): Promise<void> {
    await manager.query(
      'DELETE FROM idempotency_keys WHERE merchant_id = $1 AND idempotency_key = $2 AND expires_at <= now()',
      [scope.merchantId, scope.key],
    );
  }

  /** Moves a dead request's claim to a new one; false when someone else moved or finished it first. */
  async takeOver(
    manager: EntityManager,
    scope: KeyScope,
    staleToken: string,
    claimToken: string,
  ): Promise<boolean> {
    const [, affected] = (await manager.query(
      `UPDATE idempotency_keys SET claim_token = $4, claimed_at = now()
        WHERE merchant_id = $1 AND idempotency_key = $2 AND claim_token = $3 AND completed_at IS NULL`,
      [scope.merchantId, scope.key, staleToken, claimToken],
    )) as [unknown, number];
    return affected === 1;
  }

  /** Stores the response; false when the claim is no longer ours (expired, purged or taken over). */
  async complete(
    manager: EntityManager,
    scope: KeyScope,
    claimToken: string,
    response: StoredResponse,
  ): Promise<boolean> {
    const [, affected] = (await manager.query(
      `UPDATE idempotency_keys
          SET response_status = $4, response_headers = $5, response_body = $6, completed_at = now()
        WHERE merchant_id = $1 AND idempotency_key = $2 AND claim_token = $3 AND completed_at IS NULL`,
      [
        scope.merchantId,
        scope.key,
        claimToken,
        response.status,
        JSON.stringify(response.headers),
        response.body,
      ],
    )) as [unknown, number];
    return affected === 1;
  }

  async release(manager: EntityManager, scope: KeyScope, claimToken: string): Promise<void> {
    await manager.query(
      `DELETE FROM idempotency_keys
        WHERE merchant_id = $1 AND idempotency_key = $2 AND claim_token = $3 AND completed_at IS NULL`,
      [scope.merchantId, scope.key, claimToken],
    );
  }

  /** Deletes up to `batchSize` expired keys; returns how many went. */
  async purgeExpired(manager: EntityManager, batchSize: number): Promise<number> {
    const [, affected] = (await manager.query(
      `DELETE FROM idempotency_keys
        WHERE ctid = ANY (ARRAY(SELECT ctid FROM idempotency_keys WHERE expires_at <= now() LIMIT $1))`,
      [batchSize],
    )) as [unknown, number];
    return affected;
  }
}
