import { PSP_EVENT_TYPES } from '@keel/contracts';
import type { ChargeResult } from '@keel/executor-domain';
import type { PaymentOrder } from '../payment-order/payment-order.record';
import type { TimedResult } from '../resilience/psp-call.util';
import type { ChargeOutcome } from './claimed-charge';
import { attemptEnvelope } from './psp-attempt.event';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const ATTEMPTED_AT = new Date('2025-01-01T09:00:00.000Z');

function outcome(
  call: TimedResult<ChargeResult>,
  order: Partial<PaymentOrder> = {},
  previousPspId?: string,
): ChargeOutcome {
  const at = new Date('2025-01-01T08:59:59.000Z');
  return {
    claimed: {
      order: {
        paymentOrderId: 'po_1',
        paymentId: 'pay_1',
        merchantId: 'merchant_1',
        sellerId: 'seller_1',
        amountMinor: 15_000n,
        currency: 'KRW',
        methodType: 'card',
        methodProvider: 'shinhan',
        status: 'executing',
        pspId: 'acme',
        attempts: 1,
        inquiries: 0,
        nextAttemptAt: at,
        requestedAt: at,
        createdAt: at,
        updatedAt: at,
        traceparent: TRACEPARENT,
        ...order,
      },
      attemptId: '1',
      claimedAtMs: at.getTime(),
      ...(previousPspId === undefined ? {} : { previousPspId }),
    },
    call,
    attemptedAt: ATTEMPTED_AT,
  };
}

describe('attemptEnvelope', () => {
  it('reports an approval keyed by its PSP, in the order’s trace, with the latency rounded', () => {
    const envelope = attemptEnvelope(
      outcome({
        result: {
          kind: 'succeeded',
          pspReference: 'ch_1',
          captured: { amountMinor: 15_000n, currency: 'KRW' },
        },
        durationMs: 182.6,
      }),
    );
    expect(envelope).toMatchObject({
      type: PSP_EVENT_TYPES.attemptRecorded,
      subject: 'acme',
      traceparent: TRACEPARENT,
    });
    expect(envelope.data).toEqual({
      orderId: 'po_1',
      pspId: 'acme',
      methodType: 'card',
      provider: 'shinhan',
      outcome: 'approved',
      latencyMs: 183,
      retry: false,
      failover: false,
      attemptedAt: '2025-01-01T09:00:00.000Z',
    });
  });

  it("gives a decline Keel's code and the PSP's message", () => {
    const { data } = attemptEnvelope(
      outcome({
        result: { kind: 'declined', code: 'do_not_honor', message: 'Issuer unavailable' },
        durationMs: 40,
      }),
    );
    expect(data).toMatchObject({
      outcome: 'declined',
      errorCode: 'do_not_honor',
      errorMessage: 'Issuer unavailable',
    });
  });

  it('flags a retry at the same PSP, and a failover from another', () => {
    const refused: TimedResult<ChargeResult> = {
      result: { kind: 'unavailable', message: 'circuit breaker of acme is open' },
      durationMs: 0,
      errorCode: 'breaker_open',
    };
    expect(attemptEnvelope(outcome(refused, { attempts: 2 }, 'acme')).data).toMatchObject({
      outcome: 'failed',
      errorCode: 'breaker_open',
      latencyMs: 0,
      retry: true,
      failover: false,
    });
    expect(attemptEnvelope(outcome(refused, { attempts: 2 }, 'nova')).data).toMatchObject({
      retry: true,
      failover: true,
    });
  });

  it('bounds the message, leaves out a code that is no identifier, and names an order without provider', () => {
    const { data } = attemptEnvelope(
      outcome(
        {
          result: { kind: 'rejected', message: 'x'.repeat(500) },
          durationMs: 12,
          errorCode: 'psp_rejected_request:bad code',
        },
        { methodProvider: undefined },
      ),
    );
    expect(data).toMatchObject({ outcome: 'failed', provider: 'unspecified' });
    expect(data).not.toHaveProperty('errorCode');
    expect((data as { errorMessage: string }).errorMessage).toHaveLength(200);
  });

  it('reports a timeout as unknown with the executor’s code', () => {
    const { data } = attemptEnvelope(
      outcome({
        result: { kind: 'unknown_outcome', message: 'acme: no answer within 1000 ms' },
        durationMs: 1000.4,
        errorCode: 'psp_unknown_outcome',
      }),
    );
    expect(data).toMatchObject({
      outcome: 'unknown',
      errorCode: 'psp_unknown_outcome',
      errorMessage: 'acme: no answer within 1000 ms',
      latencyMs: 1000,
    });
  });
});
