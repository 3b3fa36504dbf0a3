import { validateSync } from 'class-validator';
import { NoCardNumber } from './card-number.decorator';

class Note {
  @NoCardNumber()
  text?: unknown;

  @NoCardNumber({ each: true })
  tags?: unknown[];
}

function messagesOf(note: Partial<Note>): string[] {
  return validateSync(Object.assign(new Note(), note)).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
}

describe('@NoCardNumber', () => {
  it('refuses a string holding a card number, without quoting it', () => {
    expect(messagesOf({ text: 'tok_4111111111111111' })).toEqual(['text must not contain a card number']);
  });

  it('checks every item when told to', () => {
    expect(messagesOf({ tags: ['vip', '4111-1111-1111-1111'] })).toEqual([
      'each value in tags must not contain a card number',
    ]);
  });

  it('accepts other strings and leaves other types to other rules', () => {
    expect(messagesOf({ text: 'checkout-42', tags: ['vip'] })).toEqual([]);
    expect(messagesOf({ text: 4111111111111111 })).toEqual([]);
  });
});
