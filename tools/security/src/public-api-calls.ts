import fc from 'fast-check';

/**
 * Who a generated call to the payment API claims to be. The names stand for keys the spec makes
 * (the caller's own, another merchant's, a revoked one); `raw` is any Authorization value at all,
 * `scheme` the caller's own key behind another spelling of Bearer, `mangled` its key altered.
 */
export type Credential =
  | { readonly kind: 'own' | 'other_merchant' | 'revoked' | 'none' }
  | { readonly kind: 'raw'; readonly value: string }
  | { readonly kind: 'scheme'; readonly scheme: string }
  | { readonly kind: 'mangled'; readonly change: 'suffix' | 'truncate' | 'live' };

/** One request to a public endpoint: the payment API, or the executor's PSP webhook endpoint. */
export interface PublicApiCall {
  readonly service: 'payment' | 'executor';
  readonly method: 'GET' | 'POST';
  /** Path and query as sent, already URL-safe or deliberately not (`%FF`, a lone `%`). */
  readonly path: string;
  /** Payment API calls only. */
  readonly credential?: Credential;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Characters fetch accepts in a header value (no CR, LF or NUL, nothing above U+00FF). */
const HEADER_CHARACTERS = [
  ...Array.from({ length: 0x7f - 0x20 }, (_, index) => String.fromCharCode(0x20 + index)),
  '\t',
  '\u00a0',
  '\u00e9',
  '\u00ff',
];

export const headerText = (maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...HEADER_CHARACTERS), maxLength });

/** Any text: unicode, control characters, card numbers, lookalikes of ids. */
const anyText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('4111111111111111', '4111 1111 1111 1111', '5555-5555-5555-4444', '', ' ', '\u0000', '%00'),
  fc.constantFrom('../../etc/passwd', "'; DROP TABLE payments; --", '{{7*7}}', '__proto__', 'constructor'),
);

const hugeNumber: fc.Arbitrary<number | string> = fc.oneof(
  fc.constantFrom(Number.MAX_VALUE, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER, -0, 1e-7, 0.5),
  fc.constantFrom('99999999999999999999999999', '1e400', '-1', '0x10', '١٢٣'),
  fc.double(),
  fc.integer(),
);

/** JSON nested `depth` deep, as text (JSON.stringify of such a value would recurse as deep). */
const deepJson: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 3_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
  );

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 3 },
  { arbitrary: anyText, weight: 2 },
  { arbitrary: hugeNumber, weight: 2 },
  fc.constantFrom(null, true, [], {}, [[[]]], { type: 'card' }),
);

const hex = (length: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });

/** A checkout the API would accept, with room for each field to be broken. */
const validCheckout = fc.record({
  checkoutId: fc.uuid().map((id) => `co_${id}`),
  currency: fc.constantFrom('KRW', 'USD'),
  buyer: fc.record({
    id: hex(8).map((digits) => `buyer_${digits}`),
    email: fc.constant('buyer@example.com'),
    country: fc.constantFrom('KR', 'US'),
  }),
  paymentMethod: fc.constant({ type: 'card', token: 'tok_approve', issuer: 'shinhan' }),
  orders: fc.array(
    fc.record({
      sellerId: hex(6).map((digits) => `seller_${digits}`),
      amount: fc.integer({ min: 1, max: 100_000 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

const CHECKOUT_PATHS = [
  'checkoutId',
  'currency',
  'buyer',
  'buyer.id',
  'buyer.email',
  'buyer.country',
  'paymentMethod',
  'paymentMethod.type',
  'paymentMethod.token',
  'paymentMethod.issuer',
  'orders',
  'orders.0',
  'orders.0.amount',
  'orders.0.sellerId',
  'unknownField',
] as const;

/** The checkout with the value at `path` replaced by `value`, or removed. */
function withChange(checkout: object, path: string, change: { value: unknown } | 'remove'): unknown {
  const copy = structuredClone(checkout) as Record<string, unknown>;
  const keys = path.split('.');
  const last = keys.pop() ?? '';
  let parent: Record<string, unknown> | undefined = copy;
  for (const key of keys) {
    const next: unknown = parent?.[key];
    parent = typeof next === 'object' && next !== null ? (next as Record<string, unknown>) : undefined;
  }
  if (parent === undefined) return copy;
  if (change === 'remove') delete parent[last];
  else parent[last] = change.value;
  return copy;
}

const brokenCheckout: fc.Arbitrary<unknown> = fc
  .tuple(
    validCheckout,
    fc.array(
      fc.tuple(
        fc.constantFrom(...CHECKOUT_PATHS),
        fc.oneof(
          fc.constant('remove' as const),
          junkValue.map((value) => ({ value })),
        ),
      ),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([checkout, changes]) =>
    changes.reduce<unknown>((body, [path, change]) => withChange(body as object, path, change), checkout),
  );

/** Bodies: valid and nearly valid checkouts, any JSON, text that is not JSON, deep nesting. */
export const body: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validCheckout.map((checkout) => JSON.stringify(checkout)), weight: 3 },
  { arbitrary: brokenCheckout.map((checkout) => JSON.stringify(checkout)), weight: 6 },
  { arbitrary: fc.json({ maxDepth: 4 }), weight: 2 },
  { arbitrary: validCheckout.chain((checkout) => truncated(JSON.stringify(checkout))), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  { arbitrary: deepJson, weight: 1 },
);

function truncated(text: string): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: text.length - 1 }).map((length) => text.slice(0, length));
}

const contentType: fc.Arbitrary<string | undefined> = fc.option(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/merge-patch+json',
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
  ),
  { freq: 8, nil: undefined },
);

const credential: fc.Arbitrary<Credential> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'own' as const }), weight: 8 },
  fc.constantFrom(
    { kind: 'other_merchant' as const },
    { kind: 'revoked' as const },
    { kind: 'none' as const },
  ),
  headerText(100).map((value) => ({ kind: 'raw' as const, value })),
  fc
    .constantFrom('Bearer', 'Bearer ', 'Basic bWVyY2hhbnRfMTo=', 'Bearer sk_test_', 'Bearer null')
    .map((value) => ({ kind: 'raw' as const, value })),
  fc.constantFrom('bearer', 'BEARER', 'Bearer  ', 'Token', 'Bearer\t').map((scheme) => ({
    kind: 'scheme' as const,
    scheme,
  })),
  fc.constantFrom('suffix', 'truncate', 'live').map((change) => ({ kind: 'mangled' as const, change })),
);

const idempotencyKey: fc.Arbitrary<string | undefined> = fc.option(
  fc.oneof(
    { arbitrary: fc.uuid(), weight: 6 },
    headerText(300),
    fc.constantFrom('', ' ', '4111111111111111', 'a'.repeat(255), 'a'.repeat(256), '\u00e9t\u00e9'),
  ),
  { freq: 6, nil: undefined },
);

/** A path segment: ids, any text encoded, and encodings a router may choke on. */
const pathSegment = (existingIds: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(...existingIds),
    fc.uuid(),
    anyText.map(encodeURIComponent),
    fc.constantFrom('%FF', '%', '%00', '..', '%2e%2e%2f', 'a%2Fb', '%E0%A4%A', '%20', 'null', '-1'),
    fc.string({ unit: 'binary-ascii', maxLength: 300 }).map(encodeURIComponent),
  );

const queryValue: fc.Arbitrary<string> = fc.oneof(
  anyText.map(encodeURIComponent),
  hugeNumber.map((value) => encodeURIComponent(String(value))),
  fc.constantFrom('%FF', '%', '', '1', '0', '100', '101', 'NaN', 'co_1'),
);

const query: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.constantFrom('checkoutId', 'limit', 'cursor', 'status', 'merchantId', 'limit[]', '__proto__', 'x'),
      queryValue,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([key, value]) => `${key}=${value}`).join('&')}`));

const withContentType = (
  headers: Record<string, string>,
  type: string | undefined,
): Record<string, string> => (type === undefined ? headers : { ...headers, 'content-type': type });

/**
 * Every public endpoint with generated bodies, headers and ids: POST /v1/payments, GET
 * /v1/payments/{id}, GET /v1/payments?…, and the executor's POST /v1/psp-webhooks/{psp}.
 * `existingPaymentIds` are real ids (of the caller's merchant), so a read may find one.
 */
export function publicApiCall(existingPaymentIds: readonly string[]): fc.Arbitrary<PublicApiCall> {
  const create = fc.record({ credential, idempotencyKey, contentType, body }).map((call): PublicApiCall => ({
    service: 'payment',
    method: 'POST',
    path: '/v1/payments',
    credential: call.credential,
    headers: withContentType(
      call.idempotencyKey === undefined ? {} : { 'idempotency-key': call.idempotencyKey },
      call.contentType,
    ),
    body: call.body,
  }));
  const read = fc.record({ credential, id: pathSegment(existingPaymentIds) }).map((call): PublicApiCall => ({
    service: 'payment',
    method: 'GET',
    path: `/v1/payments/${call.id}`,
    credential: call.credential,
    headers: {},
  }));
  const list = fc.record({ credential, query }).map((call): PublicApiCall => ({
    service: 'payment',
    method: 'GET',
    path: `/v1/payments${call.query}`,
    credential: call.credential,
    headers: {},
  }));
  const webhook = fc
    .record({
      psp: fc.oneof(fc.constantFrom('acme', 'nova', 'swiftpay'), pathSegment(['acme'])),
      signatures: fc.dictionary(
        fc.constantFrom('acme-signature', 'x-nova-signature', 'x-swift-signature', 'webhook-id'),
        fc.oneof(
          headerText(120),
          fc.integer().map((seconds) => `t=${seconds},v1=${'0'.repeat(64)}`),
        ),
        { maxKeys: 3 },
      ),
      contentType,
      body,
    })
    .map((call): PublicApiCall => ({
      service: 'executor',
      method: 'POST',
      path: `/v1/psp-webhooks/${call.psp}`,
      headers: withContentType(call.signatures, call.contentType),
      body: call.body,
    }));
  return fc.oneof(
    { arbitrary: create, weight: 5 },
    { arbitrary: read, weight: 2 },
    { arbitrary: list, weight: 2 },
    { arbitrary: webhook, weight: 2 },
  );
}
