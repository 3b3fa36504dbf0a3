/**
 * Why a charge a PSP holds is not Keel's to keep, and is refunded: the order ended without it
 * (failed, declined, or succeeded through another charge), the PSP captured another amount or
 * currency than the order's, or reconciliation found it in the PSP's settlement file
 * (`settlement`: the executor had not learnt of it, or never held the order).
 */
export const ORPHAN_CHARGE_REASONS = ['order_ended', 'amount_mismatch', 'settlement'] as const;
export type OrphanChargeReason = (typeof ORPHAN_CHARGE_REASONS)[number];
