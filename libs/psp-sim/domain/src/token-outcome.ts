import type { DeclineCode } from './decline-code';

/** Charges above this many minor units are declined `amount_limit_exceeded` (API.md). */
export const AMOUNT_LIMIT_MINOR = 100_000_000n;

/** A final answer: money taken, or not. */
export type FinalOutcome =
  { readonly kind: 'approved' } | { readonly kind: 'declined'; readonly declineCode: DeclineCode };

/** What a test instrument does: a final answer at once, or pending and then `eventual`. */
export type TokenOutcome = FinalOutcome | { readonly kind: 'pending'; readonly eventual: FinalOutcome };

export const APPROVE_TOKEN_PREFIX = 'tok_approve';

const APPROVED: FinalOutcome = { kind: 'approved' };

function declined(declineCode: DeclineCode): FinalOutcome {
  return { kind: 'declined', declineCode };
}

const TOKEN_OUTCOMES: ReadonlyMap<string, TokenOutcome> = new Map<string, TokenOutcome>([
  ['tok_decline_insufficient_funds', declined('insufficient_funds')],
  ['tok_decline_invalid_card', declined('invalid_card')],
  ['tok_decline_expired_card', declined('expired_card')],
  ['tok_decline_do_not_honor', declined('do_not_honor')],
  ['tok_pending', { kind: 'pending', eventual: APPROVED }],
  ['tok_pending_decline', { kind: 'pending', eventual: declined('insufficient_funds') }],
]);

/**
 * The outcome of charging `amountMinor` with the test instrument `token`. The amount limit wins
 * over every token, as an issuer's limit does; a token the table does not know is an invalid card,
 * so a mistyped test token never passes for an approval.
 */
export function outcomeOf(token: string, amountMinor: bigint): TokenOutcome {
  if (amountMinor > AMOUNT_LIMIT_MINOR) return declined('amount_limit_exceeded');
  if (token.startsWith(APPROVE_TOKEN_PREFIX)) return APPROVED;
  return TOKEN_OUTCOMES.get(token) ?? declined('invalid_card');
}
