// Ops' switches for buyers (keel.ops.v1): GET /v1/payment-methods lists the methods of a currency
// with what is switched off (or limited while ops probes it) and its notice, and intake refuses a
// payment with a switched-off method or provider, or a probed one's outside the share admitted,
// with 422 method_switched_off carrying the notice, storing nothing. Run by
// src/payment.int-spec.ts, on its one running service; every switch is turned on again at the end.
import { OPS_EVENT_TYPES, TOPICS } from '@keel/contracts';
import { admissionBucketOf } from '@keel/payment-domain';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from './payment-fixtures';
import type { PaymentHarness } from './payment-harness';

const HANA_NOTICE = 'Hana cards cannot be used right now; please choose another payment method.';
const EASY_PAY_NOTICE = 'Easy payments are paused for maintenance until 03:00.';

export function methodStatusCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  async function switchTo(
    methodType: string,
    provider: string,
    enabled: boolean,
    changedAt: string,
    notice?: string,
  ): Promise<void> {
    await harness.send(TOPICS.ops, OPS_EVENT_TYPES.methodStatusChanged, {
      methodType,
      provider,
      enabled,
      ...(notice === undefined ? {} : { notice }),
      changedBy: 'ops:auto',
      changedAt,
    });
  }

  async function untilRecorded(methodType: string, provider: string, changedAt: string): Promise<void> {
    await waitFor(
      async () => {
        const [row] = (await harness.dataSource.query(
          'SELECT changed_at FROM method_status WHERE method_type = $1 AND provider = $2',
          [methodType, provider],
        )) as { changed_at: Date }[];
        return row?.changed_at.toISOString() === changedAt;
      },
      { description: `${methodType}/${provider} switched at ${changedAt}` },
    );
  }

  async function methodsOf(currency: string): Promise<unknown> {
    const response = await harness.request('GET', `/v1/payment-methods?currency=${currency}`);
    expect(response.status).toBe(200);
    return response.json;
  }

  const hanaCard = (): Record<string, unknown> =>
    paymentBody({ paymentMethod: { type: 'card', issuer: 'hana', token: 'tok_visa_1' } });
  const easyPay = (): Record<string, unknown> =>
    paymentBody({ paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: 'tok_approve' } });

  describe('payment methods switched off by ops', () => {
    it('lists every method of a currency, without an API key, while nothing is switched off', async () => {
      expect(await methodsOf('KRW')).toEqual({
        currency: 'KRW',
        methods: [
          { type: 'card', available: true, disabledProviders: [], limitedProviders: [] },
          { type: 'easy_pay', available: true, disabledProviders: [], limitedProviders: [] },
          { type: 'bank_transfer', available: true, disabledProviders: [], limitedProviders: [] },
        ],
      });
    });

    it('lists the methods a currency offers (PAYMENT_METHODS_BY_CURRENCY) and refuses another', async () => {
      expect(await methodsOf('USD')).toEqual({
        currency: 'USD',
        methods: [{ type: 'card', available: true, disabledProviders: [], limitedProviders: [] }],
      });
      const merchantId = newMerchant();
      const before = await harness.settledCounts();
      const refused = await harness.post(merchantId, { ...easyPay(), currency: 'USD' });
      expect(refused.status).toBe(422);
      expect(refused.json).toMatchObject({ type: `${PROBLEM_TYPE_BASE}invalid_payment` });
      expect(await harness.settledCounts()).toEqual(before);
    });

    it('answers a currency that is not ISO 4217 with a validation problem', async () => {
      const response = await harness.request('GET', '/v1/payment-methods?currency=won');
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    });

    it('refuses a switched-off issuer with its notice, storing nothing, while other issuers work', async () => {
      const offAt = new Date().toISOString();
      await switchTo('card', 'hana', false, offAt, HANA_NOTICE);
      await untilRecorded('card', 'hana', offAt);

      expect(await methodsOf('KRW')).toMatchObject({
        methods: [
          { type: 'card', available: true, disabledProviders: [{ provider: 'hana', notice: HANA_NOTICE }] },
          { type: 'easy_pay', available: true, disabledProviders: [] },
          { type: 'bank_transfer', available: true, disabledProviders: [] },
        ],
      });

      const merchantId = newMerchant();
      const before = await harness.settledCounts();
      const refused = await harness.post(merchantId, hanaCard());
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.json).toMatchObject({
        type: `${PROBLEM_TYPE_BASE}method_switched_off`,
        status: 422,
        detail: HANA_NOTICE,
        paymentMethodType: 'card',
        provider: 'hana',
        notice: HANA_NOTICE,
      });
      expect(await harness.settledCounts()).toEqual(before);

      expect((await harness.post(merchantId, paymentBody())).status).toBe(202);
    });

    it('refuses every provider of a method switched off as a whole, and lists it unavailable', async () => {
      const offAt = new Date().toISOString();
      await switchTo('easy_pay', '*', false, offAt, EASY_PAY_NOTICE);
      await untilRecorded('easy_pay', '*', offAt);

      expect(await methodsOf('KRW')).toMatchObject({
        methods: [
          { type: 'card' },
          {
            type: 'easy_pay',
            available: false,
            unavailableReason: 'switched_off',
            notice: EASY_PAY_NOTICE,
            disabledProviders: [],
          },
          { type: 'bank_transfer', available: true },
        ],
      });
      const refused = await harness.post(newMerchant(), easyPay());
      expect(refused.status).toBe(422);
      expect(refused.json).toMatchObject({ provider: '*', notice: EASY_PAY_NOTICE });
    });

    it('accepts them again once switched on, and ignores an older switch arriving late', async () => {
      const onAt = new Date().toISOString();
      await switchTo('card', 'hana', true, onAt);
      await switchTo('easy_pay', '*', true, onAt);
      await untilRecorded('card', 'hana', onAt);
      await untilRecorded('easy_pay', '*', onAt);
      const stale = new Date(Date.parse(onAt) - 60_000).toISOString();
      await switchTo('card', 'hana', false, stale, HANA_NOTICE);
      const staleApplied = async (): Promise<boolean> => {
        const [row] = (await harness.dataSource.query(
          `SELECT count(*)::int AS n FROM inbox WHERE event_type = $1`,
          [OPS_EVENT_TYPES.methodStatusChanged],
        )) as { n: number }[];
        return (row?.n ?? 0) >= 5;
      };
      await waitFor(staleApplied, { description: 'the stale switch consumed' });

      expect(await methodsOf('KRW')).toMatchObject({
        methods: [
          { type: 'card', available: true, disabledProviders: [] },
          { type: 'easy_pay', available: true, disabledProviders: [] },
          { type: 'bank_transfer', available: true },
        ],
      });
      const merchantId = newMerchant();
      expect((await harness.post(merchantId, hanaCard())).status).toBe(202);
      expect((await harness.post(merchantId, easyPay())).status).toBe(202);
    });

    it("admits a probed issuer's share of payments, the same answer for a checkout asked again, and refuses the rest with its notice", async () => {
      const probeAt = new Date().toISOString();
      await harness.send(TOPICS.ops, OPS_EVENT_TYPES.methodStatusChanged, {
        methodType: 'card',
        provider: 'hana',
        enabled: true,
        admittedPercent: 30,
        notice: HANA_NOTICE,
        changedBy: 'ops:auto',
        changedAt: probeAt,
      });
      await untilRecorded('card', 'hana', probeAt);

      expect(await methodsOf('KRW')).toMatchObject({
        methods: [
          {
            type: 'card',
            available: true,
            disabledProviders: [],
            limitedProviders: [{ provider: 'hana', notice: HANA_NOTICE }],
          },
          { type: 'easy_pay', limitedProviders: [] },
          { type: 'bank_transfer' },
        ],
      });
      const merchantId = newMerchant();
      const checkouts = Array.from({ length: 40 }, () => hanaCard());
      const admittedOf = (body: Record<string, unknown>): boolean =>
        admissionBucketOf(`${merchantId}/${String(body['checkoutId'])}`) < 30;
      const admitted = checkouts.filter(admittedOf).slice(0, 2);
      const refused = checkouts.filter((body) => !admittedOf(body)).slice(0, 2);
      expect([admitted.length, refused.length]).toEqual([2, 2]);

      const before = await harness.settledCounts();
      for (const body of refused) {
        // Asked again under another Idempotency-Key, the same checkout gets the same answer.
        for (const answer of [await harness.post(merchantId, body), await harness.post(merchantId, body)]) {
          expect(answer.status).toBe(422);
          expect(answer.json).toMatchObject({
            type: `${PROBLEM_TYPE_BASE}method_switched_off`,
            detail: HANA_NOTICE,
            provider: 'hana',
            notice: HANA_NOTICE,
          });
        }
      }
      expect(await harness.settledCounts()).toEqual(before);
      for (const body of admitted) expect((await harness.post(merchantId, body)).status).toBe(202);

      const onAt = new Date().toISOString();
      await switchTo('card', 'hana', true, onAt);
      await untilRecorded('card', 'hana', onAt);
      expect(await methodsOf('KRW')).toMatchObject({
        methods: [{ type: 'card', disabledProviders: [], limitedProviders: [] }, {}, {}],
      });
      expect((await harness.post(merchantId, refused[0])).status).toBe(202);
    });
  });
}
