// Every invalid input is answered with a problem, and nothing is stored or published. Run by src/payment.int-spec.ts, on its one running service.
import { paymentBody, PROBLEM_TYPE_BASE } from './payment-fixtures';
import { BODY_LIMIT_BYTES, PaymentHarness, type Counts } from './payment-harness';

export function validationCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;
  let authorization: Record<string, string>;

  beforeAll(async () => {
    harness = harnessOf();
    authorization = await harness.authorizationOf('merchant-invalid');
  });

  describe('invalid input', () => {
    const valid = (): Record<string, unknown> => paymentBody();
    const post = (
      headers: Record<string, string>,
      body: string = JSON.stringify(valid()),
    ): ReturnType<PaymentHarness['request']> => harness.request('POST', '/v1/payments', { headers, body });
    const withHeaders = (): Record<string, string> => ({
      ...authorization,
      'Idempotency-Key': 'key-invalid',
    });
    const bodyWith = (overrides: Record<string, unknown>): string =>
      JSON.stringify({ ...valid(), ...overrides });
    const orders = (count: number): unknown[] =>
      Array.from({ length: count }, (_, index) => ({ sellerId: `seller-${index}`, amount: 1 }));

    const cases: [string, () => ReturnType<PaymentHarness['request']>, number, string, string[] | null][] = [
      ['no Authorization', () => post({ 'Idempotency-Key': 'k' }), 401, 'api_key_invalid', null],
      [
        'an Authorization that is not a key',
        () => post({ Authorization: 'Bearer merchant-invalid', 'Idempotency-Key': 'k' }),
        401,
        'api_key_invalid',
        null,
      ],
      ['no Idempotency-Key', () => post({ ...authorization }), 400, 'idempotency_key_missing', null],
      [
        'an Idempotency-Key of 256 characters',
        () => post({ ...authorization, 'Idempotency-Key': 'k'.repeat(256) }),
        400,
        'idempotency_key_invalid',
        null,
      ],
      [
        'a zero amount',
        () => post(withHeaders(), bodyWith({ orders: [{ sellerId: 's', amount: 0 }] })),
        400,
        'validation-failed',
        ['orders.0.amount'],
      ],
      [
        'a negative amount',
        () => post(withHeaders(), bodyWith({ orders: [{ sellerId: 's', amount: -5 }] })),
        400,
        'validation-failed',
        ['orders.0.amount'],
      ],
      [
        'a fractional amount',
        () => post(withHeaders(), bodyWith({ orders: [{ sellerId: 's', amount: 10.5 }] })),
        400,
        'validation-failed',
        ['orders.0.amount'],
      ],
      [
        'an amount as a string',
        () => post(withHeaders(), bodyWith({ orders: [{ sellerId: 's', amount: '100' }] })),
        400,
        'validation-failed',
        ['orders.0.amount'],
      ],
      [
        'an amount beyond 2^53 - 1',
        // Written as JSON text: as a JavaScript number it would already have lost its last digit.
        () =>
          post(
            withHeaders(),
            bodyWith({ orders: [{ sellerId: 's', amount: 0 }] }).replace(
              '"amount":0',
              '"amount":9007199254740993',
            ),
          ),
        400,
        'validation-failed',
        ['orders.0.amount'],
      ],
      [
        'no orders',
        () => post(withHeaders(), bodyWith({ orders: [] })),
        400,
        'validation-failed',
        ['orders'],
      ],
      [
        '51 orders (MAX_ORDERS_PER_PAYMENT 50)',
        () => post(withHeaders(), bodyWith({ orders: orders(51) })),
        400,
        'validation-failed',
        ['orders'],
      ],
      [
        'one seller twice',
        () =>
          post(
            withHeaders(),
            bodyWith({
              orders: [
                { sellerId: 's', amount: 1 },
                { sellerId: 's', amount: 2 },
              ],
            }),
          ),
        400,
        'validation-failed',
        ['orders.1.sellerId'],
      ],
      [
        'an unknown currency',
        () => post(withHeaders(), bodyWith({ currency: 'XXX' })),
        400,
        'validation-failed',
        ['currency'],
      ],
      [
        'a bad buyer country',
        () => post(withHeaders(), bodyWith({ buyer: { id: 'b', country: 'ZZ' } })),
        400,
        'validation-failed',
        ['buyer.country'],
      ],
      [
        'an unknown payment method',
        () => post(withHeaders(), bodyWith({ paymentMethod: { type: 'crypto' } })),
        400,
        'validation-failed',
        ['paymentMethod.type'],
      ],
      [
        'a card without issuer',
        () => post(withHeaders(), bodyWith({ paymentMethod: { type: 'card', token: 't' } })),
        400,
        'validation-failed',
        ['paymentMethod.issuer'],
      ],
      [
        'an unknown field',
        () => post(withHeaders(), bodyWith({ tip: 1 })),
        400,
        'validation-failed',
        ['tip'],
      ],
      ['malformed JSON', () => post(withHeaders(), '{"checkoutId":'), 400, 'malformed-body', null],
      [
        'a body over HTTP_BODY_LIMIT_BYTES',
        () => post(withHeaders(), bodyWith({ checkoutId: 'x'.repeat(BODY_LIMIT_BYTES) })),
        413,
        'payload-too-large',
        null,
      ],
    ];

    it.each(cases)(
      'answers %s with a problem, storing and publishing nothing',
      async (_name, send, status, type, fields) => {
        const countsBefore: Counts = await harness.settledCounts();
        const response = await send();
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
        expect(response.json['type']).toBe(`${PROBLEM_TYPE_BASE}${type}`);
        expect(response.json['correlationId']).toEqual(expect.any(String));
        expect(response.json['correlationId']).toBe(response.headers.get('x-correlation-id'));
        if (fields !== null) {
          const errors = response.json['errors'] as { field: string }[];
          expect([...new Set(errors.map((error) => error.field))]).toEqual(fields);
        }
        expect(await harness.settledCounts()).toEqual(countsBefore);
      },
    );

    it('published nothing for any of them', async () => {
      const recordsBefore = harness.totalRecords();
      for (const [, send] of cases) await send();
      await harness.expectNothingPublishedSince(recordsBefore);
    });
  });
}
