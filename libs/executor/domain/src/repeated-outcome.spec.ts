import { repeatsSettledOutcome } from './repeated-outcome';

describe('repeatsSettledOutcome', () => {
  const succeeded = { status: 'succeeded', pspId: 'acme', pspReference: 'ch_1' } as const;
  const declined = { status: 'declined', pspId: 'acme', pspReference: 'ch_2' } as const;

  it('is true for the success or decline the order already ended with', () => {
    expect(repeatsSettledOutcome(succeeded, 'acme', { kind: 'succeeded', pspReference: 'ch_1' })).toBe(true);
    expect(
      repeatsSettledOutcome(declined, 'acme', { kind: 'declined', code: 'card_declined', message: 'no' }),
    ).toBe(true);
  });

  it('is false for another charge, another PSP or another outcome', () => {
    expect(repeatsSettledOutcome(succeeded, 'acme', { kind: 'succeeded', pspReference: 'ch_9' })).toBe(false);
    expect(repeatsSettledOutcome(succeeded, 'nova', { kind: 'succeeded', pspReference: 'ch_1' })).toBe(false);
    expect(
      repeatsSettledOutcome(succeeded, 'acme', { kind: 'declined', code: 'card_declined', message: 'no' }),
    ).toBe(false);
    expect(repeatsSettledOutcome(declined, 'acme', { kind: 'succeeded', pspReference: 'ch_2' })).toBe(false);
    expect(
      repeatsSettledOutcome({ status: 'failed', pspId: 'acme' }, 'acme', {
        kind: 'unknown_outcome',
        message: 't',
      }),
    ).toBe(false);
  });
});
