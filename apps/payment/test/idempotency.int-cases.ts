// The Idempotency-Key protocol. Run by src/payment.int-spec.ts, on its one running service.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE, type PaymentView } from './payment-fixtures';
import { PaymentHarness, RETRY_AFTER_S } from './payment-harness';
import { IdempotencyPurger } from '../src/idempotency/idempotency-purger.service';
import { requestHashOf } from '../src/idempotency/request-hash.util';
import { PaymentProjectionRepository } from '../src/payments/payment-projection.repository';

export function idempotencyCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  describe('idempotency', () => {
    it('replays the stored answer for the same key and body, and creates nothing', async () => {
      const merchantId = newMerchant();
      const body = paymentBody();
      const key = randomUUID();
      const first = await harness.post(merchantId, body, key);
      expect(first.status).toBe(202);
      const payment = first.json as unknown as PaymentView;
      await waitFor(() => harness.publishedTypes(payment.id).length === 3, {
        description: 'the first events',
      });
      const countsBefore = await harness.settledCounts();
      const recordsBefore = harness.totalRecords();

      // Same body with keys in another order and the key as a Structured Field string.
      const reordered = Object.fromEntries(Object.entries(body).reverse());
      const replay = await harness.post(merchantId, reordered, `"${key}"`);
      expect(replay.status).toBe(202);
      expect(replay.text).toBe(first.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(replay.headers.get('location')).toBe(first.headers.get('location'));
      expect(await harness.settledCounts()).toEqual(countsBefore);
      await harness.expectNothingPublishedSince(recordsBefore);
      expect(harness.publishedTypes(payment.id)).toHaveLength(3);
    });

    it('refuses the same key with another body with 422 idempotency_key_reused', async () => {
      const merchantId = newMerchant();
      const key = randomUUID();
      expect((await harness.post(merchantId, paymentBody(), key)).status).toBe(202);
      const countsBefore = await harness.settledCounts();
      const reused = await harness.post(merchantId, paymentBody(), key);
      expect(reused.status).toBe(422);
      expect(reused.headers.get('content-type')).toContain('application/problem+json');
      expect(reused.json['type']).toBe(`${PROBLEM_TYPE_BASE}idempotency_key_reused`);
      expect(await harness.settledCounts()).toEqual(countsBefore);
    });

    it('scopes keys per merchant', async () => {
      const key = randomUUID();
      const body = paymentBody();
      const first = await harness.post(newMerchant(), body, key);
      const second = await harness.post(newMerchant(), body, key);
      expect([first.status, second.status]).toEqual([202, 202]);
      expect(second.json['id']).not.toBe(first.json['id']);
    });

    it('creates exactly one payment from 10 concurrent identical requests', async () => {
      const merchantId = newMerchant();
      const body = paymentBody();
      const key = randomUUID();
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => harness.post(merchantId, body, key)),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.every((status) => status === 202 || status === 409)).toBe(true);
      const created = responses.filter((response) => response.status === 202);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((response) => response.text)).size).toBe(1);
      expect(created.filter((response) => response.headers.get('idempotent-replayed') === null)).toHaveLength(
        1,
      );
      for (const conflict of responses.filter((response) => response.status === 409)) {
        expect(conflict.json['type']).toBe(`${PROBLEM_TYPE_BASE}idempotency_key_in_flight`);
        expect(conflict.headers.get('retry-after')).toBe(String(RETRY_AFTER_S));
      }
      const [row] = (await harness.dataSource.query(
        'SELECT count(*)::int AS n FROM payments WHERE merchant_id = $1',
        [merchantId],
      )) as { n: number }[];
      expect(row?.n).toBe(1);
      const paymentId = String(created[0]?.json['id']);
      await waitFor(() => harness.publishedTypes(paymentId).length === 3, {
        description: 'one set of events',
      });
      const replay = await harness.post(merchantId, body, key);
      expect(replay.status).toBe(202);
      expect(replay.text).toBe(created[0]?.text);
    });

    it('answers 409 with Retry-After while the first request runs, and takes over a claim whose request died', async () => {
      const merchantId = newMerchant();
      const body = paymentBody();
      const key = randomUUID();
      // A claim as a request that is still running (or crashed) leaves it.
      await harness.dataSource.query(
        `INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, claim_token, claimed_at, expires_at)
         VALUES ($1, $2, $3, gen_random_uuid(), now(), now() + interval '1 day')`,
        [merchantId, key, requestHashOf(body)],
      );
      const inFlight = await harness.post(merchantId, body, key);
      expect(inFlight.status).toBe(409);
      expect(inFlight.headers.get('retry-after')).toBe(String(RETRY_AFTER_S));
      expect(inFlight.json['type']).toBe(`${PROBLEM_TYPE_BASE}idempotency_key_in_flight`);

      await harness.dataSource.query(
        `UPDATE idempotency_keys SET claimed_at = now() - interval '10 minutes'
          WHERE merchant_id = $1 AND idempotency_key = $2`,
        [merchantId, key],
      );
      expect((await harness.post(merchantId, body, key)).status).toBe(202);
    });

    it('forgets an expired key and purges expired keys in bounded batches', async () => {
      const merchantId = newMerchant();
      const key = randomUUID();
      const first = await harness.post(merchantId, paymentBody(), key);
      expect(first.status).toBe(202);
      await harness.dataSource.query(
        `UPDATE idempotency_keys SET expires_at = now() - interval '1 second'
          WHERE merchant_id = $1 AND idempotency_key = $2`,
        [merchantId, key],
      );
      const reusedAfterExpiry = await harness.post(merchantId, paymentBody(), key);
      expect(reusedAfterExpiry.status).toBe(202);
      expect(reusedAfterExpiry.json['id']).not.toBe(first.json['id']);

      await harness.dataSource.query(
        `INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, claim_token, claimed_at,
           response_status, response_headers, response_body, completed_at, expires_at)
         SELECT 'merchant-purge', 'key-' || n, 'h', gen_random_uuid(), now() - interval '2 days',
                202, '{}'::jsonb, '{}', now() - interval '2 days', now() - interval '1 day'
           FROM generate_series(1, 25) AS n`,
      );
      const deleted = await harness.app.get(IdempotencyPurger).purgeExpired();
      expect(deleted).toBe(25);
      const [row] = (await harness.dataSource.query(
        'SELECT count(*)::int AS n FROM idempotency_keys WHERE merchant_id = $1',
        [merchantId],
      )) as { n: number }[];
      expect(row?.n).toBe(1);
    });

    it('answers 409 checkout_already_exists for the same checkout under another key, storing nothing', async () => {
      const merchantId = newMerchant();
      const body = paymentBody();
      expect((await harness.post(merchantId, body)).status).toBe(202);
      const countsBefore = await harness.settledCounts();
      const key = randomUUID();
      const duplicate = await harness.post(merchantId, { ...body, currency: 'USD' }, key);
      expect(duplicate.status).toBe(409);
      expect(duplicate.json['type']).toBe(`${PROBLEM_TYPE_BASE}checkout_already_exists`);
      expect(await harness.settledCounts()).toEqual(countsBefore);
      // The refused request released its key, so the key is free for another request.
      expect((await harness.post(merchantId, paymentBody(), key)).status).toBe(202);
    });

    it('answers 503 storage_unavailable with Retry-After when its database connection drops, and the retry with its key creates the payment once', async () => {
      const merchantId = newMerchant();
      const body = paymentBody();
      const buyerId = (body['buyer'] as { id: string }).id;
      const key = randomUUID();
      const countsBefore = await harness.settledCounts();
      // Hold the buyer's lock, so the request waits inside its transaction where we can cut it off.
      let releaseLock: () => void = () => undefined;
      const lockReleased = new Promise<void>((resolve) => (releaseLock = resolve));
      let lockHeld: () => void = () => undefined;
      const lockIsHeld = new Promise<void>((resolve) => (lockHeld = resolve));
      const holder = harness.dataSource.transaction(async (manager) => {
        await harness.app.get(PaymentProjectionRepository).lockBuyer(manager, merchantId, buyerId);
        lockHeld();
        await lockReleased;
      });
      await lockIsHeld;
      const cutOff = harness.post(merchantId, body, key);
      await waitFor(
        async () => {
          const terminated = (await harness.dataSource.query(
            `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
          )) as { done: boolean }[];
          return terminated.length === 1 && terminated[0]?.done === true;
        },
        { description: "the request's connection, waiting on the buyer's lock, terminated" },
      );
      const refused = await cutOff;
      releaseLock();
      await holder;
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.json['type']).toBe(`${PROBLEM_TYPE_BASE}storage_unavailable`);
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(await harness.settledCounts()).toEqual(countsBefore);

      const retried = await harness.post(merchantId, body, key);
      expect(retried.status).toBe(202);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      const [row] = (await harness.dataSource.query(
        'SELECT count(*)::int AS n FROM payments WHERE merchant_id = $1',
        [merchantId],
      )) as { n: number }[];
      expect(row?.n).toBe(1);
    });
  });
}
