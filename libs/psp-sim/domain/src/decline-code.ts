/** Why a charge was declined, in the simulator's own words; each dialect translates them. */
export const DECLINE_CODES = [
  'insufficient_funds',
  'invalid_card',
  'expired_card',
  'do_not_honor',
  'amount_limit_exceeded',
] as const;
export type DeclineCode = (typeof DECLINE_CODES)[number];

export const DECLINE_MESSAGES: Readonly<Record<DeclineCode, string>> = {
  insufficient_funds: 'Insufficient funds',
  invalid_card: 'Invalid card number',
  expired_card: 'Card expired',
  do_not_honor: 'Do not honor',
  amount_limit_exceeded: 'Amount limit exceeded',
};

/** What a decline's answer says: the issuer's own words when a fault gave some, else the code's. */
export function declineMessageOf(declineCode: DeclineCode, declineMessage: string | undefined): string {
  return declineMessage ?? DECLINE_MESSAGES[declineCode];
}
