// Callers authenticate with API keys and act only as the key's merchant. Run by
// src/payment.int-spec.ts, on its one running service (API_KEY_CACHE_TTL_MS from the harness).
import { randomUUID } from 'node:crypto';
import { generateApiKey, LOCAL_API_KEY_HASH_SECRET } from '@keel/api-keys';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from './payment-fixtures';
import { API_KEY_CACHE_TTL_MS, PaymentHarness, type HttpResult } from './payment-harness';

export function authenticationCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  const postWith = (authorization: string | undefined): Promise<HttpResult> =>
    harness.request('POST', '/v1/payments', {
      headers: {
        'Idempotency-Key': randomUUID(),
        ...(authorization === undefined ? {} : { Authorization: authorization }),
      },
      body: JSON.stringify(paymentBody()),
    });

  // A read: a payment made here would wait for a charge no executor makes, and count toward the
  // charge backlog admission control sheds at.
  const listWith = (key: string): Promise<HttpResult> =>
    harness.request('GET', '/v1/payments', { headers: { Authorization: `Bearer ${key}` } });

  function expectRefused(response: HttpResult, detail: string): void {
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="keel"');
    expect(response.json).toMatchObject({ type: `${PROBLEM_TYPE_BASE}api_key_invalid`, status: 401, detail });
  }

  describe('authentication', () => {
    it('refuses a request without a key, or with an unknown, revoked or expired one, storing nothing', async () => {
      const merchantId = newMerchant();
      const revoked = await harness.apiKeys.create({ merchantId });
      await harness.apiKeys.revoke(revoked.record.prefix);
      const expired = await harness.apiKeys.create({ merchantId, expiresAt: new Date(Date.now() - 1_000) });
      const countsBefore = await harness.settledCounts();

      expectRefused(await postWith(undefined), 'An `Authorization: Bearer <API key>` header is required.');
      expectRefused(
        await postWith(`Basic ${Buffer.from('merchant_1:').toString('base64')}`),
        'An `Authorization: Bearer <API key>` header is required.',
      );
      expectRefused(await postWith('Bearer not-a-key'), 'The API key is not known.');
      // Well formed, never stored; and a stored key's hash made with another secret.
      expectRefused(
        await postWith(`Bearer ${generateApiKey('test', LOCAL_API_KEY_HASH_SECRET).key}`),
        'The API key is not known.',
      );
      expectRefused(await postWith(`Bearer ${revoked.key}`), 'The API key was revoked.');
      expectRefused(await postWith(`Bearer ${expired.key}`), 'The API key has expired.');
      const read = await harness.request('GET', '/v1/payments', {
        headers: { Authorization: `Bearer ${revoked.key}` },
      });
      expectRefused(read, 'The API key was revoked.');

      expect(await harness.settledCounts()).toEqual(countsBefore);
      expect(
        await harness.dataSource.query('SELECT 1 FROM payments WHERE merchant_id = $1', [merchantId]),
      ).toEqual([]);
    });

    it('ignores Keel-Merchant-Id: the payment belongs to the merchant of the key', async () => {
      const merchantId = newMerchant();
      const { key } = await harness.apiKeys.create({ merchantId, name: 'checkout' });
      const response = await harness.request('POST', '/v1/payments', {
        headers: {
          Authorization: `Bearer ${key}`,
          'Idempotency-Key': randomUUID(),
          'Keel-Merchant-Id': 'merchant-other',
        },
        body: JSON.stringify(paymentBody()),
      });

      expect(response.status).toBe(202);
      const rows = (await harness.dataSource.query('SELECT merchant_id FROM payments WHERE id = $1', [
        response.json['id'],
      ])) as {
        merchant_id: string;
      }[];
      expect(rows).toEqual([{ merchant_id: merchantId }]);
      expect(
        await harness.get('merchant-other', `/v1/payments/${String(response.json['id'])}`),
      ).toMatchObject({ status: 404 });
    });

    it('answers another merchant’s payment exactly as an unknown id, and lists none of it', async () => {
      const owner = newMerchant();
      const other = newMerchant();
      const payment = await harness.accepted(owner);
      const unknownId = `${payment.id.slice(0, -4)}ffff`;

      const foreign = await harness.get(other, `/v1/payments/${payment.id}`);
      const unknown = await harness.get(other, `/v1/payments/${unknownId}`);

      expect(foreign.status).toBe(404);
      expect(unknown.status).toBe(404);
      const withoutRequest = (response: HttpResult, id: string): unknown => ({
        ...JSON.parse(response.text.replaceAll(id, '<id>')),
        correlationId: undefined,
      });
      expect(withoutRequest(foreign, payment.id)).toEqual(withoutRequest(unknown, unknownId));
      const listed = await harness.get(other, '/v1/payments');
      expect(listed.status).toBe(200);
      expect(listed.json['data']).toEqual([]);
    });

    it('refuses a live key with 403 until Keel has live PSP credentials', async () => {
      const { key } = await harness.apiKeys.create({ merchantId: newMerchant(), mode: 'live' });
      const response = await postWith(`Bearer ${key}`);
      expect(response.status).toBe(403);
      expect(response.json).toMatchObject({ type: `${PROBLEM_TYPE_BASE}live_mode_unavailable` });
    });

    it('stops a key within API_KEY_CACHE_TTL_MS of its revocation, and a key revoked later works until then', async () => {
      const merchantId = newMerchant();
      const old = await harness.apiKeys.create({ merchantId, name: 'old' });
      expect((await listWith(old.key)).status).toBe(200);
      // Rotation with overlap: the new key works at once, the old one until its revocation.
      const rotated = await harness.apiKeys.create({ merchantId, name: 'new' });
      const revokedAtMs = Date.now() + 2 * API_KEY_CACHE_TTL_MS;
      await harness.apiKeys.revoke(old.record.prefix, new Date(revokedAtMs));
      expect((await listWith(old.key)).status).toBe(200);
      expect((await listWith(rotated.key)).status).toBe(200);

      await waitFor(async () => (await listWith(old.key)).status === 401, {
        timeoutMs: 4 * API_KEY_CACHE_TTL_MS,
        description: 'the old key refused',
      });
      expect(Date.now()).toBeGreaterThanOrEqual(revokedAtMs);
      expect((await listWith(rotated.key)).status).toBe(200);
      expect(
        (await harness.apiKeys.list(merchantId)).map((key) => [key.name, key.revokedAt !== null]),
      ).toEqual([
        ['old', true],
        ['new', false],
      ]);
    });
  });
}
