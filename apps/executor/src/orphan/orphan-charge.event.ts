import {
  buildEnvelope,
  ORPHAN_CHARGE_EVENT_TYPES,
  toMoneyPayload,
  type EventEnvelope,
  type OrphanChargeDetectedPayload,
  type OrphanChargeRefundedPayload,
} from '@keel/contracts';
import type { OrphanCharge } from './orphan-charge.repository';

const SOURCE = '/keel/executor';

function detectedPayloadOf(orphan: OrphanCharge): OrphanChargeDetectedPayload {
  return {
    paymentOrderId: orphan.paymentOrderId,
    paymentId: orphan.paymentId,
    pspId: orphan.pspId,
    pspReference: orphan.pspReference,
    amount: toMoneyPayload(orphan.amountMinor, orphan.currency),
    detectedAt: orphan.detectedAt.toISOString(),
  };
}

/** Tells the ledger the PSP holds money owed back to the buyer; keyed by payment order id. */
export function orphanDetectedEnvelope(orphan: OrphanCharge): EventEnvelope {
  return buildEnvelope({
    type: ORPHAN_CHARGE_EVENT_TYPES.detected,
    source: SOURCE,
    data: detectedPayloadOf(orphan),
  });
}

export function orphanRefundedEnvelope(orphan: OrphanCharge): EventEnvelope {
  if (orphan.refundReference === undefined || orphan.refundedAt === undefined) {
    throw new Error(`orphan charge ${orphan.paymentOrderId} is not refunded`);
  }
  const data: OrphanChargeRefundedPayload = {
    ...detectedPayloadOf(orphan),
    refundReference: orphan.refundReference,
    refundedAt: orphan.refundedAt.toISOString(),
  };
  return buildEnvelope({ type: ORPHAN_CHARGE_EVENT_TYPES.refunded, source: SOURCE, data });
}
