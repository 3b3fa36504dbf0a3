/**
 * Keel's decline codes: the same word whichever PSP declined, so that dashboards, detection rules
 * and buyers' messages need not know PSP dialects. `declined` is for a reason Keel does not map.
 */
export const KEEL_DECLINE_CODES = [
  'insufficient_funds',
  'invalid_card',
  'expired_card',
  'do_not_honor',
  'amount_limit_exceeded',
  'declined',
] as const;
export type KeelDeclineCode = (typeof KEEL_DECLINE_CODES)[number];
