// Operators with the admin role manage merchants' API keys over HTTP, every call audited. Run by
// src/payment.int-spec.ts, on its one running service (API_KEY_CACHE_TTL_MS from the harness).
import { LOCAL_OPERATOR_TOKEN_SECRET, mintOperatorToken, type OperatorRole } from '@keel/operator-auth';
import { operatorAuthorization, waitFor } from '@keel/testing';
import { newMerchant, PROBLEM_TYPE_BASE } from './payment-fixtures';
import { API_KEY_CACHE_TTL_MS, PaymentHarness, type HttpResult } from './payment-harness';

const ADMIN_PATH = '/v1/admin/api-keys';
const TEST_CARD_NUMBER = '4111111111111111';

interface AuditRow {
  actor: string;
  role: string;
  action: string;
  target: string;
  correlation_id: string | null;
  status: number;
}

/** A token whose id the test knows, as `npm run operator -- token` makes them. */
function operatorToken(role: OperatorRole): { authorization: string; tokenId: string } {
  const { token, claims } = mintOperatorToken(
    { name: 'root-admin', role, ttlHours: 1 },
    { secret: LOCAL_OPERATOR_TOKEN_SECRET, maxTtlHours: 1, clockSkewS: 0 },
    new Date(),
  );
  return { authorization: `Bearer ${token}`, tokenId: claims.jti };
}

export function apiKeyAdminCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  const call = (
    method: string,
    path: string,
    authorization: string | undefined,
    body?: unknown,
    correlationId?: string,
  ): Promise<HttpResult> =>
    harness.request(method, path, {
      headers: {
        ...(authorization === undefined ? {} : { Authorization: authorization }),
        ...(correlationId === undefined ? {} : { 'X-Correlation-Id': correlationId }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  const auditRowsOf = async (tokenId: string): Promise<AuditRow[]> =>
    (await harness.dataSource.query(
      `SELECT actor, role, action, target, correlation_id, status FROM operator_audit
        WHERE token_id = $1 ORDER BY id`,
      [tokenId],
    )) as AuditRow[];

  const keyCount = async (merchantId: string): Promise<number> =>
    Number(
      (
        (await harness.dataSource.query('SELECT count(*) AS n FROM api_keys WHERE merchant_id = $1', [
          merchantId,
        ])) as { n: string }[]
      )[0]?.n,
    );

  function expectProblem(response: HttpResult, status: number, code: string): void {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.json['type']).toBe(`${PROBLEM_TYPE_BASE}${code}`);
  }

  describe('API key administration', () => {
    it('answers 401 without an operator token (a merchant key is none) and 403 below admin, changing nothing', async () => {
      const merchantId = newMerchant();
      const merchantKey = (await harness.authorizationOf(merchantId))['Authorization'];
      for (const authorization of [undefined, merchantKey]) {
        for (const [method, path, body] of [
          ['POST', ADMIN_PATH, { merchantId }],
          ['GET', `${ADMIN_PATH}?merchantId=${merchantId}`, undefined],
          ['DELETE', `${ADMIN_PATH}/sk_test_AbCd1234`, undefined],
        ] as const) {
          const refused = await call(method, path, authorization, body);
          expectProblem(refused, 401, 'operator_unauthenticated');
          expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="keel-operator"');
        }
      }
      for (const role of ['viewer', 'operator'] as const) {
        const token = operatorToken(role);
        const refused = await call('POST', ADMIN_PATH, token.authorization, { merchantId });
        expectProblem(refused, 403, 'operator_forbidden');
        expect(refused.json['requiredRole']).toBe('admin');
        expectProblem(
          await call('GET', `${ADMIN_PATH}?merchantId=${merchantId}`, token.authorization),
          403,
          'operator_forbidden',
        );
        expect(await auditRowsOf(token.tokenId)).toEqual([]);
      }
      // The merchant's own key, made by the harness, is the only one.
      expect(await keyCount(merchantId)).toBe(1);
    });

    it('creates a key shown once, lists keys without secrets, revokes now or later, and audits each call', async () => {
      const admin = operatorToken('admin');
      const merchantId = newMerchant();

      const created = await call(
        'POST',
        ADMIN_PATH,
        admin.authorization,
        { merchantId, name: 'checkout' },
        'c-1',
      );
      expect(created.status).toBe(201);
      const key = String(created.json['key']);
      expect(key).toMatch(/^sk_test_[0-9A-Za-z]{43}$/);
      expect(created.json).toMatchObject({
        prefix: key.slice(0, 16),
        merchantId,
        mode: 'test',
        name: 'checkout',
        expiresAt: null,
        revokedAt: null,
      });
      const read = await harness.request('GET', '/v1/payments', {
        headers: { Authorization: `Bearer ${key}` },
      });
      expect(read.status).toBe(200);

      const rotated = await call(
        'POST',
        ADMIN_PATH,
        admin.authorization,
        { merchantId, expiresInDays: 30 },
        'c-2',
      );
      expect(rotated.status).toBe(201);
      const listed = await call(
        'GET',
        `${ADMIN_PATH}?merchantId=${merchantId}`,
        admin.authorization,
        undefined,
        'c-3',
      );
      expect(listed.status).toBe(200);
      const keys = listed.json['data'] as Record<string, unknown>[];
      expect(keys.map((listedKey) => listedKey['prefix'])).toEqual([
        key.slice(0, 16),
        rotated.json['prefix'],
      ]);
      expect(keys[1]?.['expiresAt']).toEqual(expect.any(String));
      for (const listedKey of keys)
        expect(Object.keys(listedKey).sort()).toEqual([
          'createdAt',
          'expiresAt',
          'merchantId',
          'mode',
          'name',
          'prefix',
          'revokedAt',
        ]);
      expect(listed.text).not.toContain(key.slice(16));

      const later = await call(
        'DELETE',
        `${ADMIN_PATH}/${String(rotated.json['prefix'])}?inHours=24`,
        admin.authorization,
        undefined,
        'c-4',
      );
      expect(later.status).toBe(200);
      expect(Date.parse(String(later.json['revokedAt']))).toBeGreaterThan(Date.now() + 23 * 3_600_000);

      const now = await call(
        'DELETE',
        `${ADMIN_PATH}/${key.slice(0, 16)}`,
        admin.authorization,
        undefined,
        'c-5',
      );
      expect(now.status).toBe(200);
      expect(Date.parse(String(now.json['revokedAt']))).toBeLessThanOrEqual(Date.now());
      await waitFor(
        async () =>
          (await harness.request('GET', '/v1/payments', { headers: { Authorization: `Bearer ${key}` } }))
            .status === 401,
        { timeoutMs: API_KEY_CACHE_TTL_MS * 10, description: 'the revoked key refused' },
      );
      expectProblem(
        await call('DELETE', `${ADMIN_PATH}/${key.slice(0, 16)}`, admin.authorization, undefined, 'c-6'),
        409,
        'api_key_already_revoked',
      );
      expectProblem(
        await call('DELETE', `${ADMIN_PATH}/sk_test_00000000`, admin.authorization, undefined, 'c-7'),
        404,
        'api_key_not_found',
      );

      const audited = (action: string, target: string, correlationId: string, status: number): AuditRow => ({
        actor: 'root-admin',
        role: 'admin',
        action,
        target,
        correlation_id: correlationId,
        status,
      });
      expect(await auditRowsOf(admin.tokenId)).toEqual([
        audited('api_keys.create', `merchant:${merchantId}`, 'c-1', 201),
        audited('api_keys.create', `merchant:${merchantId}`, 'c-2', 201),
        audited('api_keys.list', `merchant:${merchantId}`, 'c-3', 200),
        audited('api_keys.revoke', `api_key:${String(rotated.json['prefix'])}`, 'c-4', 200),
        audited('api_keys.revoke', `api_key:${key.slice(0, 16)}`, 'c-5', 200),
        audited('api_keys.revoke', `api_key:${key.slice(0, 16)}`, 'c-6', 409),
        audited('api_keys.revoke', 'api_key:sk_test_00000000', 'c-7', 404),
      ]);
    });

    it('refuses a card number for a merchant id (400) and keeps it out of the key table and the audit', async () => {
      const admin = operatorToken('admin');
      const refused = await call('POST', ADMIN_PATH, admin.authorization, { merchantId: TEST_CARD_NUMBER });
      expectProblem(refused, 400, 'validation-failed');
      expect(await keyCount(TEST_CARD_NUMBER)).toBe(0);
      const [row] = await auditRowsOf(admin.tokenId);
      expect(row).toMatchObject({ action: 'api_keys.create', status: 400 });
      expect(row?.target).not.toContain(TEST_CARD_NUMBER);
    });

    it('is no part of the public API document', async () => {
      const document = await harness.request('GET', '/docs-json');
      expect(document.status).toBe(200);
      expect(document.text).not.toContain(ADMIN_PATH);
    });

    it('lets viewers read /metrics, and no one without an operator token', async () => {
      expectProblem(await call('GET', '/metrics', undefined), 401, 'operator_unauthenticated');
      const metrics = await call('GET', '/metrics', operatorAuthorization('viewer'));
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('service="payment"');
    });
  });
}
