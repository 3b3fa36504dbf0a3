import { AMOUNT_LIMIT_MINOR, outcomeOf } from './token-outcome';

describe('outcomeOf', () => {
  it.each([
    ['tok_approve', { kind: 'approved' }],
    ['tok_approve_visa_4242', { kind: 'approved' }],
    ['tok_decline_insufficient_funds', { kind: 'declined', declineCode: 'insufficient_funds' }],
    ['tok_decline_invalid_card', { kind: 'declined', declineCode: 'invalid_card' }],
    ['tok_decline_expired_card', { kind: 'declined', declineCode: 'expired_card' }],
    ['tok_decline_do_not_honor', { kind: 'declined', declineCode: 'do_not_honor' }],
    ['tok_pending', { kind: 'pending', eventual: { kind: 'approved' } }],
    [
      'tok_pending_decline',
      { kind: 'pending', eventual: { kind: 'declined', declineCode: 'insufficient_funds' } },
    ],
  ])('%s', (token, expected) => {
    expect(outcomeOf(token, 1_500n)).toEqual(expected);
  });

  it('declines an unknown token as an invalid card, so a typo never approves', () => {
    expect(outcomeOf('tok_aprove', 1_500n)).toEqual({ kind: 'declined', declineCode: 'invalid_card' });
    expect(outcomeOf('tok_pending_later', 1_500n)).toEqual({ kind: 'declined', declineCode: 'invalid_card' });
  });

  it('declines amounts above the limit whatever the token, and accepts the limit itself', () => {
    expect(outcomeOf('tok_approve', AMOUNT_LIMIT_MINOR + 1n)).toEqual({
      kind: 'declined',
      declineCode: 'amount_limit_exceeded',
    });
    expect(outcomeOf('tok_pending', AMOUNT_LIMIT_MINOR + 1n)).toMatchObject({ kind: 'declined' });
    expect(outcomeOf('tok_approve', AMOUNT_LIMIT_MINOR)).toEqual({ kind: 'approved' });
  });
});
