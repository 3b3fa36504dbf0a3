// Reading payments (by id, by checkout, by page) and the OpenAPI document. Run by src/payment.int-spec.ts, on its one running service.
import { newMerchant, PROBLEM_TYPE_BASE, type PaymentView } from './payment-fixtures';
import { PaymentHarness } from './payment-harness';

export function queryCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  describe('reading payments', () => {
    it('answers 404 for an unknown payment and for another merchant’s payment', async () => {
      const owner = newMerchant();
      const payment = await harness.accepted(owner);
      const unknown = await harness.get(owner, '/v1/payments/pay_doesnotexist');
      expect(unknown.status).toBe(404);
      expect(unknown.json['type']).toBe(`${PROBLEM_TYPE_BASE}payment_not_found`);
      const foreign = await harness.get(newMerchant(), `/v1/payments/${payment.id}`);
      expect(foreign.status).toBe(404);
      expect(foreign.text).not.toContain(payment.checkoutId);
      expect((await harness.request('GET', `/v1/payments/${payment.id}`)).status).toBe(401);
    });

    it('answers 404 for a path that is no payment id, a NUL included, echoing none of it', async () => {
      const owner = newMerchant();
      // A card number is refused with 400 instead, as in every field (card-data.int-spec.ts).
      for (const id of ['%00', 'pay_%00', `pay_${'a'.repeat(27)}`]) {
        const answer = await harness.get(owner, `/v1/payments/${id}`);
        expect({ id, status: answer.status }).toEqual({ id, status: 404 });
        expect(answer.json).toMatchObject({
          type: `${PROBLEM_TYPE_BASE}payment_not_found`,
          detail: 'No payment has this id.',
        });
        // As the id would appear in a JSON answer, escapes and all.
        expect(answer.text).not.toContain(JSON.stringify(decodeURIComponent(id)).slice(1, -1));
      }
    });

    it('finds the payment of a checkout, for its merchant only', async () => {
      const owner = newMerchant();
      const payment = await harness.accepted(owner);
      const path = `/v1/payments?checkoutId=${encodeURIComponent(payment.checkoutId)}`;
      const found = await harness.get(owner, path);
      expect(found.status).toBe(200);
      expect((found.json['data'] as PaymentView[]).map((item) => item.id)).toEqual([payment.id]);
      expect(found.json['nextCursor']).toBeNull();
      expect((await harness.get(newMerchant(), path)).json['data']).toEqual([]);
    });

    it('pages through a merchant’s payments newest first with an opaque cursor', async () => {
      const owner = newMerchant();
      const created: string[] = [];
      for (let index = 0; index < 5; index += 1) created.push((await harness.accepted(owner)).id);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let page = 0; page < 5; page += 1) {
        const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`;
        const response = await harness.get(owner, `/v1/payments?limit=2${query}`);
        expect(response.status).toBe(200);
        const data = response.json['data'] as PaymentView[];
        expect(data.length).toBeLessThanOrEqual(2);
        seen.push(...data.map((item) => item.id));
        cursor = response.json['nextCursor'] as string | null;
        if (cursor === null) break;
      }
      expect(seen).toEqual([...created].reverse());
      const defaultPage = await harness.get(owner, '/v1/payments');
      expect((defaultPage.json['data'] as unknown[]).length).toBe(5);
    });

    it('refuses a limit above PAGE_SIZE_MAX and a cursor it did not issue', async () => {
      const tooMany = await harness.get(newMerchant(), '/v1/payments?limit=101');
      expect(tooMany.status).toBe(400);
      expect(tooMany.json['type']).toBe(`${PROBLEM_TYPE_BASE}validation-failed`);
      const forged = await harness.get(newMerchant(), '/v1/payments?cursor=bm90LWEtY3Vyc29y');
      expect(forged.status).toBe(400);
      expect(forged.json['type']).toBe(`${PROBLEM_TYPE_BASE}invalid_cursor`);
    });
  });

  describe('OpenAPI', () => {
    it('serves the generated document with the POST /v1/payments operation, and Swagger UI', async () => {
      const document = await harness.request('GET', '/docs-json');
      expect(document.status).toBe(200);
      const paths = document.json['paths'] as Record<
        string,
        Record<string, { responses: Record<string, unknown> }>
      >;
      const create = paths['/v1/payments']?.['post'];
      expect(create).toBeDefined();
      expect(Object.keys(create?.responses ?? {})).toEqual(
        expect.arrayContaining(['202', '400', '401', '409', '413', '422']),
      );
      expect(document.text).toContain('idempotency_key_reused');
      expect(paths['/v1/payments/{id}']?.['get']).toBeDefined();
      const ui = await harness.request('GET', '/docs');
      expect(ui.status).toBe(200);
      expect(ui.text).toContain('swagger-ui');
      // Its policy admits scripts from this origin only: every script of the page is a file here.
      expect(ui.headers.get('content-security-policy')).toContain("script-src 'self'");
      const scripts = [...ui.text.matchAll(/<script([^>]*)>/g)].map(([, attributes]) => attributes);
      expect(scripts.length).toBeGreaterThan(0);
      for (const attributes of scripts) expect(attributes).toMatch(/src="[^":]+"/);
    });
  });
}
