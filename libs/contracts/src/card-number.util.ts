/**
 * The one definition of what looks like a card number (PAN) in free text. Keel never stores or
 * publishes one: request fields that hold one are refused (card-number.decorator.ts), stored PSP
 * webhook bodies keep only a masked form, and log lines are masked by observability with it.
 *
 * A card number is a run of 13–19 digits, optionally grouped by single spaces or dashes
 * ("4111 1111-1111 1111"), that passes the Luhn check. The search is one pass over the text plus
 * a bounded window per digit group, so it is linear in the text's length whatever the input.
 */

export const CARD_NUMBER_DIGITS_MIN = 13;
export const CARD_NUMBER_DIGITS_MAX = 19;

/** Where a card number was found: `text.slice(start, end)`, separators included, and its digits. */
export interface CardNumberMatch {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

/** Turns the digits of a card number into what replaces it. */
export type CardNumberMask = (digits: string) => string;

// Cheap pre-check: without CARD_NUMBER_DIGITS_MIN grouped digits in a row there is nothing to find.
// Unambiguous (a separator is never a digit), so it backtracks at most one group per start.
const MAY_CONTAIN_CARD_NUMBER = new RegExp(`\\d(?:[ -]?\\d){${CARD_NUMBER_DIGITS_MIN - 1}}`);
// UUIDs can hold dash-grouped digits that pass as a card number, so they are left out of the search.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// 13-digit numbers from 1 to 2.9 trillion are epoch milliseconds (2001–2065), which timestamps and
// ids carry; no card scheme issues 13-digit PANs starting with 1 or 2 (13-digit Visa starts 4).
const EPOCH_MILLIS_DIGITS = 13;
const DIGITS_ONLY = /^\d+$/;
const DIGIT_0 = 48;
const DIGIT_1 = 49;
const DIGIT_2 = 50;
const UPPER_A = 65;
const LOWER_A = 97;
const SPACE = 32;
const DASH = 45;
const MASK_CHARACTER = '*';
const FIRST_DIGITS_SHOWN = 6;
const LAST_DIGITS_SHOWN = 4;

export function isLuhnValid(digits: string): boolean {
  return luhnSumOf(digits, 0, digits.length) % 10 === 0;
}

/** Whether `digits` (digits only, no separators) has the length and checksum of a card number. */
export function isCardNumber(digits: string): boolean {
  return DIGITS_ONLY.test(digits) && isCardNumberAt(digits, 0, digits.length);
}

/** `isCardNumber` of `digits.slice(start, end)`, which must hold digits only, without copying it. */
function isCardNumberAt(digits: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < CARD_NUMBER_DIGITS_MIN || length > CARD_NUMBER_DIGITS_MAX) return false;
  const lead = digits.charCodeAt(start);
  if (length === EPOCH_MILLIS_DIGITS && (lead === DIGIT_1 || lead === DIGIT_2)) return false;
  return luhnSumOf(digits, start, end) % 10 === 0;
}

function luhnSumOf(digits: string, start: number, end: number): number {
  let sum = 0;
  for (let index = 0; index < end - start; index += 1) {
    let digit = digits.charCodeAt(end - 1 - index) - DIGIT_0;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/** False when `text` certainly holds no card number; true when it may. */
export function mayContainCardNumber(text: string): boolean {
  return MAY_CONTAIN_CARD_NUMBER.test(text);
}

/** Whether a card number appears anywhere in `text`. */
export function containsCardNumber(text: string): boolean {
  return searchCardNumbers(text, true).length > 0;
}

/** Every card number in `text`, in order and without overlap. */
export function findCardNumbers(text: string): CardNumberMatch[] {
  return searchCardNumbers(text, false);
}

/** First six and last four digits, the rest hidden one for one, as PCI DSS allows to display. */
export function maskCardNumber(digits: string): string {
  const hidden = Math.max(digits.length - FIRST_DIGITS_SHOWN - LAST_DIGITS_SHOWN, 0);
  return `${digits.slice(0, FIRST_DIGITS_SHOWN)}${MASK_CHARACTER.repeat(hidden)}${digits.slice(-LAST_DIGITS_SHOWN)}`;
}

/** `text` with every card number in it (separators included) replaced by `mask` of its digits. */
export function redactCardNumbers(text: string, mask: CardNumberMask = maskCardNumber): string {
  const matches = findCardNumbers(text);
  if (matches.length === 0) return text;
  let redacted = '';
  let position = 0;
  for (const match of matches) {
    redacted += text.slice(position, match.start) + mask(match.digits);
    position = match.end;
  }
  return redacted + text.slice(position);
}

function searchCardNumbers(text: string, firstOnly: boolean): CardNumberMatch[] {
  if (!mayContainCardNumber(text)) return [];
  const matches: CardNumberMatch[] = [];
  let segmentStart = 0;
  for (const uuid of text.matchAll(UUID)) {
    searchSegment(text, segmentStart, uuid.index, matches, firstOnly);
    if (firstOnly && matches.length > 0) return matches;
    segmentStart = uuid.index + uuid[0].length;
  }
  searchSegment(text, segmentStart, text.length, matches, firstOnly);
  return matches;
}

/** A maximal run of digits, `text.slice(start, end)`. */
interface DigitGroup {
  readonly start: number;
  readonly end: number;
}

/**
 * Collects the runs of digit groups joined by single separators in `text[from, to)` and searches
 * each. A group glued to a letter is part of an identifier (a hex trace id, `ab4111…cd`), not a
 * card number, and ends the run; otherwise about one hex id in a thousand would hold a Luhn-valid
 * run. A group glued to more digits is longer by construction, so it is not found inside them.
 */
function searchSegment(
  text: string,
  from: number,
  to: number,
  matches: CardNumberMatch[],
  firstOnly: boolean,
): void {
  let run: DigitGroup[] = [];
  let index = from;
  while (index < to) {
    if (!isDigit(text.charCodeAt(index))) {
      index += 1;
      continue;
    }
    let end = index + 1;
    while (end < to && isDigit(text.charCodeAt(end))) end += 1;
    const glued =
      (index > from && isLetter(text.charCodeAt(index - 1))) || (end < to && isLetter(text.charCodeAt(end)));
    const previous = run.at(-1);
    const joinsRun =
      previous !== undefined && index - previous.end === 1 && isSeparator(text.charCodeAt(index - 1));
    if (glued || !joinsRun) {
      searchRun(text, run, matches);
      if (firstOnly && matches.length > 0) return;
      run = [];
    }
    if (!glued) run.push({ start: index, end });
    index = end;
  }
  searchRun(text, run, matches);
}

/**
 * A run can be longer than a card number (one next to other numbers), so card numbers are searched
 * for as windows of whole groups, at each group the longest; a group longer than a card number is
 * never one. The run's digits are joined once and each window checked in place.
 */
function searchRun(text: string, run: readonly DigitGroup[], matches: CardNumberMatch[]): void {
  const offsets: number[] = [0];
  for (const group of run) offsets.push(offsets[offsets.length - 1] + group.end - group.start);
  const digits = run.map((group) => text.slice(group.start, group.end)).join('');
  let first = 0;
  while (first < run.length) {
    let foundLast: number | undefined;
    for (let last = first; last < run.length; last += 1) {
      if (offsets[last + 1] - offsets[first] > CARD_NUMBER_DIGITS_MAX) break;
      if (isCardNumberAt(digits, offsets[first], offsets[last + 1])) foundLast = last;
    }
    if (foundLast === undefined) {
      first += 1;
      continue;
    }
    matches.push({
      start: run[first].start,
      end: run[foundLast].end,
      digits: digits.slice(offsets[first], offsets[foundLast + 1]),
    });
    first = foundLast + 1;
  }
}

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_0 + 9;
}

/** ASCII letters only, as identifiers are spelled. */
function isLetter(code: number): boolean {
  return (code >= UPPER_A && code <= UPPER_A + 25) || (code >= LOWER_A && code <= LOWER_A + 25);
}

function isSeparator(code: number): boolean {
  return code === SPACE || code === DASH;
}
