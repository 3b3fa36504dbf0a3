// The security suite's operator surfaces and rate limits: a whole running Keel, attacked from
// outside (issue 15's acceptance). One system for the file, its per-key limits made small.
import { randomUUID } from 'node:crypto';
import { LOCAL_OPERATOR_TOKEN_SECRET, mintOperatorToken, type OperatorRole } from '@keel/operator-auth';
import type { KeelServiceName } from '@keel/local-system';
import { operatorAuthorization } from '@keel/testing';
import { send, type Answer, type Call } from './security-http';
import { startSecuritySystem, type SecuritySystem } from './security-system';

jest.setTimeout(120_000);

const PROBLEM_TYPE_BASE = 'https://keel.dev/problems/';
const KEY_RATE_PER_S = 1;
const WRITE_BURST = 3;
const READ_BURST = 5;
/** Requests sent at once: well over a burst, so some are refused whatever refills meanwhile. */
const FLOOD = 12;

let sut: SecuritySystem;

beforeAll(async () => {
  sut = await startSecuritySystem({
    // Small buckets that refill slowly, so a flood over them is refused.
    PAYMENT_KEY_WRITE_RATE_PER_S: String(KEY_RATE_PER_S),
    PAYMENT_KEY_WRITE_BURST: String(WRITE_BURST),
    PAYMENT_KEY_READ_RATE_PER_S: String(KEY_RATE_PER_S),
    PAYMENT_KEY_READ_BURST: String(READ_BURST),
  });
}, 240_000);

afterAll(async () => {
  await sut?.stop();
});

function call(service: KeelServiceName, path: string, request: Call = {}): Promise<Answer> {
  return send(`${sut.system.url(service)}${path}`, request);
}

function expectProblem(answer: Answer, status: number, code?: string): void {
  expect({ status: answer.status, body: answer.json }).toMatchObject({ status });
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.json).toMatchObject({ status, title: expect.any(String) });
  if (code !== undefined) expect(answer.json['type']).toBe(`${PROBLEM_TYPE_BASE}${code}`);
}

interface OperatorEndpoint {
  readonly service: KeelServiceName;
  readonly method: NonNullable<Call['method']>;
  readonly path: string;
  readonly role: OperatorRole;
  readonly body?: unknown;
}

const METRICS: readonly OperatorEndpoint[] = (
  ['payment', 'executor', 'wallet', 'ledger', 'reconciliation', 'ops'] as const
).map((service) => ({ service, method: 'GET', path: '/metrics', role: 'viewer' }));

/** Every back-office surface of Keel, with the least role that may use it. */
const OPERATOR_ENDPOINTS: readonly OperatorEndpoint[] = [
  { service: 'executor', method: 'GET', path: '/v1/routes', role: 'viewer' },
  { service: 'executor', method: 'PUT', path: '/v1/routes', role: 'operator', body: { routes: 'none' } },
  { service: 'executor', method: 'GET', path: '/v1/payment-orders/po_unknown', role: 'viewer' },
  { service: 'wallet', method: 'GET', path: '/v1/merchants/merchant_x/wallets/seller_x', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/accounts', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/accounts/unknown', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/accounts/unknown/postings', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/transactions', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/transactions/unknown', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/trial-balance', role: 'viewer' },
  { service: 'ledger', method: 'GET', path: '/v1/balance-check', role: 'viewer' },
  { service: 'payment', method: 'POST', path: '/v1/admin/api-keys', role: 'admin', body: {} },
  { service: 'payment', method: 'GET', path: '/v1/admin/api-keys?merchantId=merchant_x', role: 'admin' },
  { service: 'payment', method: 'DELETE', path: '/v1/admin/api-keys/sk_test_unknown', role: 'admin' },
  { service: 'reconciliation', method: 'GET', path: '/v1/reconciliation/runs', role: 'viewer' },
  { service: 'reconciliation', method: 'GET', path: '/v1/reconciliation/runs/1', role: 'viewer' },
  { service: 'reconciliation', method: 'POST', path: '/v1/reconciliation/runs', role: 'operator', body: {} },
  { service: 'reconciliation', method: 'POST', path: '/v1/reconciliation/runs/upload', role: 'operator' },
  ...METRICS,
];

const ROLES: readonly OperatorRole[] = ['viewer', 'operator', 'admin'];
const rolesBelow = (role: OperatorRole) => ROLES.slice(0, ROLES.indexOf(role));
const label = (endpoint: OperatorEndpoint) => `${endpoint.service} ${endpoint.method} ${endpoint.path}`;

function operatorCall(endpoint: OperatorEndpoint, authorization?: string): Promise<Answer> {
  return call(endpoint.service, endpoint.path, {
    method: endpoint.method,
    ...(authorization === undefined ? {} : { authorization }),
    ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
  });
}

function expectOperatorUnauthenticated(answer: Answer): void {
  expectProblem(answer, 401);
  expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="keel-operator"');
}

/** A token of the right shape that the services must refuse: signed with another secret, or expired. */
function refusedTokens(role: OperatorRole): Record<string, string> {
  const expired = mintOperatorToken(
    { name: 'mallory', role, ttlHours: 1 },
    { secret: LOCAL_OPERATOR_TOKEN_SECRET, maxTtlHours: 24, clockSkewS: 0 },
    new Date(Date.now() - 3 * 3_600_000),
  );
  return {
    'signed with another secret': operatorAuthorization(role, { secret: `forged-${randomUUID()}` }),
    expired: `Bearer ${expired.token}`,
  };
}

describe('the operator surfaces', () => {
  it.each(OPERATOR_ENDPOINTS.map((endpoint) => [label(endpoint), endpoint] as const))(
    '%s answers 401 without an operator credential, to a merchant key and to a forged or expired token',
    async (_label, endpoint) => {
      const merchantKey = await sut.system.keys().authorizationFor(`merchant_${randomUUID().slice(0, 8)}`);
      const refusals = [
        undefined,
        merchantKey,
        'Bearer op_not-a-token',
        ...Object.values(refusedTokens('admin')),
      ];
      for (const authorization of refusals) {
        expectOperatorUnauthenticated(await operatorCall(endpoint, authorization));
      }
    },
  );

  it.each(
    OPERATOR_ENDPOINTS.filter((endpoint) => endpoint.role !== 'viewer').map(
      (endpoint) => [label(endpoint), endpoint] as const,
    ),
  )('%s answers 403 to a role below the one it needs', async (_label, endpoint) => {
    for (const role of rolesBelow(endpoint.role)) {
      const answer = await operatorCall(endpoint, sut.system.operatorAuthorization(role));
      expectProblem(answer, 403, 'operator_forbidden');
    }
  });

  it.each(OPERATOR_ENDPOINTS.map((endpoint) => [label(endpoint), endpoint] as const))(
    '%s lets its role in',
    async (_label, endpoint) => {
      const answer = await operatorCall(endpoint, sut.system.operatorAuthorization(endpoint.role));
      // Admitted: what follows is the endpoint's own answer (200, or 400/404/422 for these bodies and ids).
      expect([401, 403]).not.toContain(answer.status);
      expect(answer.status).toBeLessThan(500);
    },
  );

  it('records each operator write with its actor, and no refused one as done', async () => {
    const viewer = sut.system.operatorAuthorization('viewer');
    const { routes } = (await call('executor', '/v1/routes', { authorization: viewer })).json as {
      routes: unknown[];
    };
    const replaced = await call('executor', '/v1/routes', {
      method: 'PUT',
      authorization: sut.system.operatorAuthorization('operator'),
      body: { routes },
    });
    expect(replaced.status).toBe(200);
    const audit = await sut.query<{ actor: string; role: string; action: string; status: number }>(
      'executor',
      'SELECT actor, role, action, status FROM operator_audit ORDER BY id',
    );
    expect(audit).toContainEqual({
      actor: 'keel-tool',
      role: 'operator',
      action: 'routes.replace',
      status: 200,
    });
    // Refused before the handler (401, 403): nothing was done, so nothing claims it was.
    expect(audit.filter((row) => row.status === 200)).toHaveLength(1);
  });
});

describe('rate limits per API key', () => {
  const merchantId = `merchant_limits_${randomUUID().slice(0, 8)}`;

  function checkout() {
    return {
      checkoutId: `co_${randomUUID()}`,
      currency: 'KRW',
      buyer: { id: `buyer_${randomUUID().slice(0, 8)}`, email: 'buyer@example.com', country: 'KR' },
      paymentMethod: { type: 'card', token: 'tok_approve', issuer: 'shinhan' },
      orders: [{ sellerId: 'seller_limits', amount: 10_000 }],
    };
  }

  function create(authorization: string, idempotencyKey = randomUUID()): Promise<Answer> {
    return call('payment', '/v1/payments', {
      authorization,
      headers: { 'idempotency-key': idempotencyKey },
      body: checkout(),
    });
  }

  function expectRateLimited(answer: Answer): void {
    expectProblem(answer, 429, 'rate_limited');
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  }

  /** A flood from one key: each answer, and at most how many a bucket could have let through. */
  async function flood(
    send: () => Promise<Answer>,
    burst: number,
  ): Promise<{ answers: Answer[]; admittedMax: number }> {
    const startedAt = Date.now();
    const answers = await Promise.all(Array.from({ length: FLOOD }, send));
    const refilled = Math.ceil(((Date.now() - startedAt) / 1_000) * KEY_RATE_PER_S);
    return { answers, admittedMax: burst + refilled };
  }

  it('answers a flood of creates over one key 429 with Retry-After, stores nothing for them, and serves another key', async () => {
    const store = sut.system.apiKeyStore();
    const first = `Bearer ${(await store.create({ merchantId, name: 'limits one' })).key}`;
    const second = `Bearer ${(await store.create({ merchantId, name: 'limits two' })).key}`;
    const keys: string[] = [];
    const { answers, admittedMax } = await flood(() => {
      const key = randomUUID();
      keys.push(key);
      return create(first, key);
    }, WRITE_BURST);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(answers.filter((answer) => answer.status === 202).length).toBeLessThanOrEqual(admittedMax);
    expect(refused.length + answers.filter((answer) => answer.status === 202).length).toBe(FLOOD);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expectRateLimited(answer);
    const refusedKeys = keys.filter((_key, index) => answers[index].status === 429);
    const stored = await sut.query<{ count: number }>(
      'payment',
      'SELECT count(*)::int AS count FROM idempotency_keys WHERE idempotency_key = ANY($1::text[])',
      [refusedKeys],
    );
    expect(stored).toEqual([{ count: 0 }]);
    expect((await create(second)).status).toBe(202);
  });

  it('limits reads apart from writes, per key', async () => {
    const store = sut.system.apiKeyStore();
    const reader = `Bearer ${(await store.create({ merchantId, name: 'limits reader' })).key}`;
    const { answers, admittedMax } = await flood(
      () => call('payment', '/v1/payments', { authorization: reader }),
      READ_BURST,
    );
    const served = answers.filter((answer) => answer.status === 200).length;
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThanOrEqual(admittedMax);
    const refused = answers.filter((answer) => answer.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    for (const answer of refused) expectRateLimited(answer);
    // Its writes have a bucket of their own.
    expect((await create(reader)).status).toBe(202);
  });
});
