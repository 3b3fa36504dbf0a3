import { accepted, unanswered } from './__fixtures__/restart-drill.fixture';
import { checkoutRecordOf } from './restart-drill.checker';

describe('checkoutRecordOf', () => {
  it('gives the chaos checker the key, merchant, checkout id and payment id of an accepted checkout', () => {
    const record = checkoutRecordOf(accepted(1_000, 'pay_1'));
    expect(record.paymentId).toBe('pay_1');
    expect(record.planned).toMatchObject({
      merchantId: 'merchant_resilience',
      idempotencyKey: 'key_pay_1',
      concurrentCopies: 1,
      body: { checkoutId: 'resilience-key_pay_1' },
    });
    expect(record.attempts).toEqual([
      { copy: 1, attempt: 1, startedAtMs: 1_000, latencyMs: 20, status: 202, paymentId: 'pay_1' },
    ]);
  });

  it('records a checkout without an answer as a network error with no payment id', () => {
    const record = checkoutRecordOf(unanswered(1_000));
    expect(record.paymentId).toBeUndefined();
    expect(record.attempts.map((attempt) => attempt.status)).toEqual(['network_error']);
  });

  it('refuses a checkout still in flight', () => {
    expect(() => checkoutRecordOf({ sentAtMs: 1_000 })).toThrow('answer');
  });
});
