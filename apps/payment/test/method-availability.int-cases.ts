// Back-pressure: a method the executor reports unavailable is refused at intake with 503
// method_unavailable and Retry-After, before anything is stored; other methods keep working. Run
// by src/payment.int-spec.ts, on its one running service.
import { METHOD_AVAILABILITY_EVENT_TYPES, TOPICS } from '@keel/contracts';
import { waitFor } from '@keel/testing';
import { newMerchant, paymentBody, PROBLEM_TYPE_BASE } from './payment-fixtures';
import type { PaymentHarness } from './payment-harness';
import { MethodAvailabilityService } from '../src/availability/method-availability.service';

export function methodAvailabilityCases(harnessOf: () => PaymentHarness): void {
  let harness: PaymentHarness;

  beforeAll(() => {
    harness = harnessOf();
  });

  const bankTransfer = (): Record<string, unknown> =>
    paymentBody({ paymentMethod: { type: 'bank_transfer', bank: 'kb', token: 'tok_approve' } });

  async function report(available: boolean, changedAt: string, retryAfterSeconds?: number): Promise<void> {
    await harness.send(TOPICS.psp, METHOD_AVAILABILITY_EVENT_TYPES.changed, {
      paymentMethodType: 'bank_transfer',
      available,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      changedAt,
    });
  }

  async function untilRecorded(available: boolean, changedAt: string): Promise<void> {
    await waitFor(
      async () => {
        const rows = (await harness.dataSource.query(
          'SELECT available, changed_at FROM method_availability WHERE method_type = $1',
          ['bank_transfer'],
        )) as { available: boolean; changed_at: Date }[];
        const row = rows[0];
        return row !== undefined && row.available === available && row.changed_at.toISOString() === changedAt;
      },
      { description: `bank_transfer recorded ${available ? 'available' : 'unavailable'}` },
    );
  }

  async function availabilityEventsApplied(): Promise<number> {
    const [row] = (await harness.dataSource.query(
      'SELECT count(*)::int AS n FROM inbox WHERE event_type = $1',
      [METHOD_AVAILABILITY_EVENT_TYPES.changed],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  describe('method availability (back-pressure)', () => {
    it('refuses a method with no PSP left with 503 and Retry-After, storing nothing; other methods work', async () => {
      const unavailableAt = new Date().toISOString();
      await report(false, unavailableAt, 7);
      await untilRecorded(false, unavailableAt);

      const merchantId = newMerchant();
      const before = await harness.settledCounts();
      const refused = await harness.post(merchantId, bankTransfer());
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('7');
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.json).toMatchObject({
        type: `${PROBLEM_TYPE_BASE}method_unavailable`,
        status: 503,
        paymentMethodType: 'bank_transfer',
      });
      expect(await harness.settledCounts()).toEqual(before);

      expect((await harness.post(merchantId, paymentBody())).status).toBe(202);
    });

    it('accepts the method again once reported available, and ignores an older report arriving late', async () => {
      const availableAt = new Date().toISOString();
      await report(true, availableAt);
      await untilRecorded(true, availableAt);
      const appliedBefore = await availabilityEventsApplied();
      await report(false, new Date(Date.parse(availableAt) - 60_000).toISOString(), 7);
      await waitFor(async () => (await availabilityEventsApplied()) === appliedBefore + 1, {
        description: 'the stale report consumed',
      });
      await untilRecorded(true, availableAt);
      expect((await harness.post(newMerchant(), bankTransfer())).status).toBe(202);
    });

    it('learns a report that another instance recorded from the table, within its refresh interval', async () => {
      const easyPay = (): Record<string, unknown> =>
        paymentBody({ paymentMethod: { type: 'easy_pay', provider: 'kakaopay', token: 'tok_kakao' } });
      const availability = harness.app.get(MethodAvailabilityService);
      const refusesEasyPay = (): boolean => {
        try {
          availability.assertAvailable('easy_pay');
          return false;
        } catch {
          return true;
        }
      };
      // Written as the consumer of another instance would: this instance never sees the event.
      const record = (available: boolean): Promise<unknown> =>
        harness.dataSource.query(
          `INSERT INTO method_availability (method_type, available, retry_after_seconds, changed_at)
           VALUES ('easy_pay', $1, $2, now())
           ON CONFLICT (method_type) DO UPDATE SET available = EXCLUDED.available,
             retry_after_seconds = EXCLUDED.retry_after_seconds, changed_at = EXCLUDED.changed_at`,
          [available, available ? null : 9],
        );
      await record(false);
      await waitFor(refusesEasyPay, { description: 'easy_pay refused from memory' });
      const refused = await harness.post(newMerchant(), easyPay());
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('9');

      await record(true);
      await waitFor(() => !refusesEasyPay(), { description: 'easy_pay accepted again' });
      expect((await harness.post(newMerchant(), easyPay())).status).toBe(202);
    });
  });
}
