/**
 * Finds given card numbers (PANs) in text in any form a system could have written them in: the
 * digits alone, grouped by spaces or dashes, or with those separators URL-encoded (`%20`, `+`,
 * `%2D`). A masked form (`411111******1111`) is not the card number and is not found.
 */
/** Where a card number was found, and the text around it, to name in a failed assertion. */
export interface CardNumberSighting {
  readonly where: string;
  readonly excerpt: string;
}

const EXCERPT_CONTEXT = 60;

export class CardNumberSearch {
  private readonly pattern: RegExp;

  constructor(readonly cardNumbers: readonly string[]) {
    if (cardNumbers.length === 0 || cardNumbers.some((digits) => !/^\d{13,19}$/.test(digits))) {
      throw new Error('card numbers are given as 13 to 19 digits');
    }
    this.pattern = new RegExp(cardNumbers.map(anyFormOf).join('|'), 'gi');
  }

  /** Every occurrence of a searched card number in `text`, as written there. */
  occurrencesIn(text: string): string[] {
    return [...text.matchAll(this.pattern)].map((match) => match[0]);
  }

  /** Each occurrence in `text`, with where the text came from and the text around it. */
  sightingsIn(where: string, text: string): CardNumberSighting[] {
    return [...text.matchAll(this.pattern)].map((match) => ({
      where,
      excerpt: text.slice(
        Math.max(match.index - EXCERPT_CONTEXT, 0),
        match.index + match[0].length + EXCERPT_CONTEXT,
      ),
    }));
  }
}

/** At most one separator between two digits: a space, a dash, or either URL-encoded. */
const SEPARATOR = '(?: |-|\\+|%20|%2D)?';

const anyFormOf = (digits: string): string => [...digits].join(SEPARATOR);
