import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';

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

/** What a claim attempt found: the key claimed by this transaction, or the record already there. */
export interface ClaimAttempt {
  /** False while another transaction works on this key: the key is in flight. */
  readonly keyLocked: boolean;
  readonly claimed: boolean;
  /** The record the claim ran into; undefined when claimed, or when it is not visible yet. */
  readonly existing?: IdempotencyRecord;
}

/** Everything a claim needs, so that it costs one statement. */
export interface ClaimRequest {
  readonly scope: KeyScope;
  readonly requestHash: string;
  readonly claimToken: string;
  readonly ttlMs: number;
  readonly claimTimeoutMs: number;
  /** Another advisory lock to take once the key is claimed, saving its own round trip. */
  readonly lockOnClaim: string;
}

/**
 * The claim of a key in the transaction that does the request's work. The key's advisory lock is
 * only tried: a copy of a request still in flight holds it, and the copy answers 409 at once
 * instead of waiting on the first one's uncommitted row. Holding it, the INSERT claims the key,
 * and then `lockOnClaim` is taken too; otherwise the row found is returned to be judged. A row
 * committed after this statement's snapshot makes the INSERT do nothing and is not returned:
 * the caller tries again with a new statement.
 */
const CLAIM_OR_FIND = preparedStatement(
  'payment_claim_idempotency_key',
  `WITH key_lock AS (
     SELECT pg_try_advisory_xact_lock(hashtextextended($6, 0)) AS locked
   ),
   claim AS (
     INSERT INTO idempotency_keys
       (merchant_id, idempotency_key, request_hash, claim_token, claimed_at, expires_at)
     SELECT $1, $2, $3, $4, now(), now() + $5 * interval '1 millisecond' FROM key_lock WHERE locked
     ON CONFLICT (merchant_id, idempotency_key) DO NOTHING
     RETURNING claim_token
   ),
   claim_lock AS (
     SELECT pg_advisory_xact_lock(hashtextextended($7, 0)) FROM claim
   )
   SELECT key_lock.locked AS key_locked,
          claim.claim_token IS NOT NULL AS claimed,
          (SELECT count(*) FROM claim_lock)::int AS claim_locked,
          existing.request_hash, existing.claim_token, existing.response_status,
          existing.response_headers, existing.response_body,
          existing.expires_at <= now() AS expired,
          existing.completed_at IS NULL
            AND existing.claimed_at <= now() - $8 * interval '1 millisecond' AS stale
     FROM key_lock
     LEFT JOIN claim ON true
     LEFT JOIN idempotency_keys AS existing
       ON claim.claim_token IS NULL AND existing.merchant_id = $1 AND existing.idempotency_key = $2`,
);

/** The existing record's columns are null when none was found (a LEFT JOIN). */
type ClaimRow = { [Column in keyof RecordRow]: RecordRow[Column] | null } & {
  key_locked: boolean;
  claimed: boolean;
  claim_locked: number;
};

/** The advisory lock of one Idempotency-Key, held by the transaction working on it. */
export function keyLockKey(scope: KeyScope): string {
  return `payment-idempotency-key:${JSON.stringify([scope.merchantId, scope.key])}`;
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
  /** One statement: see CLAIM_OR_FIND. Needs the manager of an open transaction. */
  async claimOrFind(manager: EntityManager, request: ClaimRequest): Promise<ClaimAttempt> {
    const { scope } = request;
    const [row] = await runPrepared<ClaimRow>(manager, CLAIM_OR_FIND, [
      scope.merchantId,
      scope.key,
      request.requestHash,
      request.claimToken,
      request.ttlMs,
      keyLockKey(scope),
      request.lockOnClaim,
      request.claimTimeoutMs,
    ]);
    if (row === undefined) throw new Error('the idempotency claim returned no row');
    if (row.claimed && row.claim_locked !== 1) throw new Error('a claimed key without its lock');
    const existing = existingOf(row);
    return {
      keyLocked: row.key_locked,
      claimed: row.claimed,
      ...(existing === undefined ? {} : { existing }),
    };
  }

  /** Takes a transaction-scoped advisory lock, waiting for it. */
  async lock(manager: EntityManager, lockKey: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockKey]);
  }

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
    return row === undefined ? undefined : recordOf(row);
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

function recordOf(row: RecordRow): IdempotencyRecord {
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

function existingOf(row: ClaimRow): IdempotencyRecord | undefined {
  const { request_hash: requestHash, claim_token: claimToken } = row;
  if (requestHash === null || claimToken === null) return undefined;
  return recordOf({
    ...row,
    request_hash: requestHash,
    claim_token: claimToken,
    expired: row.expired === true,
    stale: row.stale === true,
  });
}
