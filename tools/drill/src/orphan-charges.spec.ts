import { EVENT_TYPES } from '@keel/contracts';
import type { IncomingRecord } from '@keel/messaging';
import { orphansOf } from './orphan-charges';

function record(type: string, data: Record<string, unknown>): IncomingRecord {
  return {
    headers: { ce_type: Buffer.from(type) },
    value: Buffer.from(JSON.stringify(data)),
  } as unknown as IncomingRecord;
}

describe('orphansOf', () => {
  it('pairs each orphan with its refund, whichever arrives first, and ignores other events', () => {
    const detected = { paymentOrderId: 'po_1', pspId: 'acme', detectedAt: '2026-01-01T00:00:00.000Z' };
    const orphans = orphansOf([
      record(EVENT_TYPES.orphanChargeRefunded, { ...detected, refundedAt: '2026-01-01T00:00:02.500Z' }),
      record(EVENT_TYPES.orphanChargeDetected, detected),
      record(EVENT_TYPES.orphanChargeDetected, { ...detected, paymentOrderId: 'po_2' }),
      record(EVENT_TYPES.pspBreakerStateChanged, { pspId: 'acme' }),
    ]);
    expect(orphans).toEqual([
      {
        paymentOrderId: 'po_1',
        pspId: 'acme',
        detectedAtMs: Date.parse(detected.detectedAt),
        refundedAtMs: Date.parse('2026-01-01T00:00:02.500Z'),
      },
      { paymentOrderId: 'po_2', pspId: 'acme', detectedAtMs: Date.parse(detected.detectedAt) },
    ]);
  });
});
