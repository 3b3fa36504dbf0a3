import type { Charge, PaymentMethod, PspId } from '@keel/psp-sim-domain';

export type ChargeViewStatus = 'approved' | 'declined' | 'pending' | 'cancelled';

/** One charge as GET /admin/charges reports it: amounts as decimal strings, times as ISO 8601. */
export interface ChargeView {
  readonly psp: PspId;
  readonly id: string;
  readonly idempotencyKey: string;
  readonly amountMinor: string;
  readonly currency: string;
  readonly status: ChargeViewStatus;
  readonly method: PaymentMethod;
  readonly issuer?: string;
  readonly createdAt: string;
  readonly settledAt?: string;
  readonly refundedAmountMinor: string;
  readonly feeMinor: string;
  readonly attempts: number;
}

/**
 * The admin view of a charge, or undefined for a swiftpay order still `ready`: it is an intent
 * with no money moved, not a charge, and the admin statuses have no word for it.
 */
export function toChargeView(charge: Charge): ChargeView | undefined {
  if (charge.status === 'ready') return undefined;
  return {
    psp: charge.psp,
    id: charge.id,
    idempotencyKey: charge.idempotencyKey,
    amountMinor: charge.amountMinor.toString(),
    currency: charge.currency,
    status: charge.status,
    method: charge.method,
    ...(charge.issuer === undefined ? {} : { issuer: charge.issuer }),
    createdAt: new Date(charge.createdAtMs).toISOString(),
    ...(charge.settledAtMs === undefined ? {} : { settledAt: new Date(charge.settledAtMs).toISOString() }),
    refundedAmountMinor: charge.refundedAmountMinor.toString(),
    feeMinor: charge.feeMinor.toString(),
    attempts: charge.attempts,
  };
}
