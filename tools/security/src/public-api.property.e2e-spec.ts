// A property of Keel's public surface, checked against a whole running Keel: whatever a caller
// sends — valid and broken checkouts, any JSON or none, huge numbers, wrong types, unicode, deep
// nesting, any Authorization and Idempotency-Key, content types, ids and queries — the answer is
// never a 5xx, every error is problem+json with type, title and status, and a refused request
// stores nothing. The run lasts KEEL_PROPERTY_SECONDS (20 by default); KEEL_PROPERTY_SEED replays
// the calls of a run, whose seed is printed at its start and in any failure.
import { randomInt, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { publicApiCall, type Credential, type PublicApiCall } from './public-api-calls';
import { startSecuritySystem, type SecuritySystem } from './security-system';

const PROPERTY_SECONDS = Number(process.env['KEEL_PROPERTY_SECONDS'] ?? '20');
const SEED = Number(process.env['KEEL_PROPERTY_SEED'] ?? randomInt(2 ** 31));
/** More runs than fit in the time: the time limit ends the run. */
const RUNS_MAX = 1_000_000;
/** Fewer calls than this in the time means the system was too slow to have been tested. */
const RUNS_MIN = 20;
const REQUEST_TIMEOUT_MS = 10_000;

jest.setTimeout((PROPERTY_SECONDS + 120) * 1_000);

const MERCHANT = 'merchant_property';
const OTHER_MERCHANT = 'merchant_property_other';

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

interface Keys {
  readonly own: string;
  readonly other: string;
  readonly revoked: string;
}

let sut: SecuritySystem;
let keys: Keys;
/** Real payment ids: the caller's own, and another merchant's (which must read as unknown). */
let paymentIds: string[];

beforeAll(async () => {
  sut = await startSecuritySystem();
  const store = sut.system.apiKeyStore();
  const [own, other, revoked] = await Promise.all([
    store.create({ merchantId: MERCHANT, name: 'property test' }),
    store.create({ merchantId: OTHER_MERCHANT, name: 'property test, another merchant' }),
    store.create({ merchantId: MERCHANT, name: 'property test, revoked' }),
  ]);
  await store.revoke(revoked.record.prefix);
  keys = { own: own.key, other: other.key, revoked: revoked.key };
  paymentIds = await Promise.all([createPayment(keys.own), createPayment(keys.other)]);
}, 240_000);

afterAll(async () => {
  await sut?.stop();
});

async function createPayment(key: string): Promise<string> {
  const response = await fetch(`${sut.system.url('payment')}/v1/payments`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'idempotency-key': randomUUID(),
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      checkoutId: `co_${randomUUID()}`,
      currency: 'KRW',
      buyer: { id: 'buyer_property', country: 'KR' },
      paymentMethod: { type: 'card', token: 'tok_approve', issuer: 'shinhan' },
      orders: [{ sellerId: 'seller_property', amount: 10_000 }],
    }),
  });
  const answer = (await response.json()) as { id?: string };
  if (response.status !== 202 || answer.id === undefined) {
    throw new Error(`the setup's payment answered ${response.status}: ${JSON.stringify(answer)}`);
  }
  return answer.id;
}

function authorizationOf(credential: Credential): string | undefined {
  switch (credential.kind) {
    case 'own':
      return `Bearer ${keys.own}`;
    case 'other_merchant':
      return `Bearer ${keys.other}`;
    case 'revoked':
      return `Bearer ${keys.revoked}`;
    case 'none':
      return undefined;
    case 'raw':
      return credential.value;
    case 'scheme':
      return `${credential.scheme} ${keys.own}`;
    case 'mangled':
      if (credential.change === 'suffix') return `Bearer ${keys.own}x`;
      if (credential.change === 'truncate') return `Bearer ${keys.own.slice(0, -1)}`;
      return `Bearer ${keys.own.replace('sk_test_', 'sk_live_')}`;
  }
}

async function send(call: PublicApiCall): Promise<Answer> {
  const headers: Record<string, string> = { ...call.headers };
  const authorization = call.credential === undefined ? undefined : authorizationOf(call.credential);
  if (authorization !== undefined) headers['authorization'] = authorization;
  const response = await fetch(`${sut.system.url(call.service)}${call.path}`, {
    method: call.method,
    headers,
    body: call.body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the problem assertions fail and quote the text.
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Rows only an accepted create adds: the payment and its Idempotency-Key. */
async function storedByIntake(): Promise<{ payments: number; idempotencyKeys: number }> {
  const [row] = await sut.query<{ payments: number; idempotencyKeys: number }>(
    'payment',
    `SELECT (SELECT count(*) FROM payments)::int AS payments,
            (SELECT count(*) FROM idempotency_keys)::int AS "idempotencyKeys"`,
  );
  if (row === undefined) throw new Error('no counts');
  return row;
}

async function count(service: 'payment' | 'executor', sql: string, value: string): Promise<number> {
  // PostgreSQL text holds no NUL, so nothing holding one can have been stored.
  if (value.includes('\u0000')) return 0;
  const [row] = await sut.query<{ n: number }>(service, sql, [value]);
  return row?.n ?? 0;
}

function expectProblem(call: PublicApiCall, answer: Answer): void {
  const problem = answer.json;
  const isProblem =
    (answer.headers.get('content-type') ?? '').startsWith('application/problem+json') &&
    typeof problem['type'] === 'string' &&
    typeof problem['title'] === 'string' &&
    problem['status'] === answer.status;
  if (!isProblem) {
    throw new Error(
      `${call.method} ${call.path} answered ${answer.status} ${answer.headers.get('content-type')} without a problem: ${answer.text.slice(0, 500)}`,
    );
  }
}

describe('the public API under generated requests', () => {
  it('answers without a 5xx, every error as problem+json, and stores nothing for a refused request', async () => {
    process.stdout.write(
      `public API property: seed ${SEED}, ${PROPERTY_SECONDS} s (KEEL_PROPERTY_SEED=${SEED} replays these calls)\n`,
    );
    const statuses = new Map<number, number>();
    const acceptedIdempotencyKeys = new Set<string>();
    const property = fc.asyncProperty(publicApiCall(paymentIds), async (call) => {
      const before = await storedByIntake();
      const answer = await send(call);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      const idempotencyKey = call.headers['idempotency-key'];
      if (answer.status >= 500) {
        throw new Error(
          `${call.method} ${call.path} answered ${answer.status}: ${answer.text.slice(0, 500)}`,
        );
      }
      if (answer.status < 400) {
        if (idempotencyKey !== undefined) acceptedIdempotencyKeys.add(idempotencyKey);
        // What the counts see: an accepted create that is no replay stored one payment.
        if (answer.status === 202 && answer.headers.get('idempotent-replayed') !== 'true') {
          expect((await storedByIntake()).payments).toBe(before.payments + 1);
        }
        return;
      }
      expectProblem(call, answer);
      expect(await storedByIntake()).toEqual(before);
      if (idempotencyKey !== undefined && !acceptedIdempotencyKeys.has(idempotencyKey)) {
        const sql = 'SELECT count(*)::int AS n FROM idempotency_keys WHERE idempotency_key = $1';
        expect(await count('payment', sql, idempotencyKey)).toBe(0);
      }
      if (call.service === 'executor' && call.body !== undefined) {
        const sql = 'SELECT count(*)::int AS n FROM psp_webhook_events WHERE payload = $1';
        expect(await count('executor', sql, call.body)).toBe(0);
      }
    });
    const details = await fc.check(property, {
      seed: SEED,
      numRuns: RUNS_MAX,
      interruptAfterTimeLimit: PROPERTY_SECONDS * 1_000,
      markInterruptAsFailure: false,
    });
    process.stdout.write(
      `public API property: ${details.numRuns} calls, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}\n`,
    );
    if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? `failed with seed ${SEED}`);
    expect(details.numRuns).toBeGreaterThanOrEqual(RUNS_MIN);
  });
});
