/**
 * Why a charge a PSP holds is not Keel's to keep, and is refunded: the order ended without it
 * (failed, declined, or succeeded through another charge), or the PSP captured another amount or
 * currency than the order's.
 */
export const ORPHAN_CHARGE_REASONS = ['order_ended', 'amount_mismatch'] as const;
export type OrphanChargeReason = (typeof ORPHAN_CHARGE_REASONS)[number];
