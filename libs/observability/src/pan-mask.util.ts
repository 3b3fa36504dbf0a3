// Value-level masking of card numbers (PANs), behind the key-based redaction of the logger:
// a PAN can hide in a free-text message, an error text or a field with an unexpected name.

export const PAN_MIN_DIGITS = 13;
export const PAN_MAX_DIGITS = 19;
const MASK = '…';

// Runs of digits, optionally grouped by single spaces or dashes ("4111 1111-1111 1111"). A run
// glued to letters is part of an identifier (a hex trace id, a token), not a PAN, and is skipped;
// otherwise about one trace id in a thousand would hold a Luhn-valid run and be corrupted.
const DIGIT_RUN = /(?<![0-9A-Za-z])\d(?:[ -]?\d)*(?![0-9A-Za-z])/g;
// UUIDs can hold dash-grouped digits that pass as a PAN, so they are left out of the search.
const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;
// Cheap pre-check: without a run of PAN_MIN_DIGITS grouped digits there is nothing to mask.
const MAY_CONTAIN_PAN = new RegExp(`\\d(?:[ -]?\\d){${PAN_MIN_DIGITS - 1}}`);
const DIGITS_ONLY = /^\d+$/;

export function isLuhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

// 13-digit numbers from 1 to 2.9 trillion are epoch milliseconds (2001–2065), which every log
// line carries; no card scheme issues 13-digit PANs starting with 1 or 2 (13-digit Visa starts 4).
const EPOCH_MILLIS = /^[12]\d{12}$/;

/** Whether `digits` (digits only, no separators) has the length and checksum of a PAN. */
export function isPan(digits: string): boolean {
  return (
    !EPOCH_MILLIS.test(digits) &&
    digits.length >= PAN_MIN_DIGITS &&
    digits.length <= PAN_MAX_DIGITS &&
    DIGITS_ONLY.test(digits) &&
    isLuhnValid(digits)
  );
}

export function mayContainPan(text: string): boolean {
  return MAY_CONTAIN_PAN.test(text);
}

/** First six and last four digits, as PCI DSS allows to display. */
export function maskPan(digits: string): string {
  return `${digits.slice(0, 6)}${MASK}${digits.slice(-4)}`;
}

/** Replaces every Luhn-valid run of 13–19 digits (grouped or not) in `text` with its masked form. */
export function maskPans(text: string): string {
  if (!mayContainPan(text)) return text;
  return text
    .split(UUID)
    .map((part, index) => (index % 2 === 1 ? part : part.replace(DIGIT_RUN, maskPansInRun)))
    .join('');
}

// A run can be longer than a PAN (a PAN next to other numbers), so PANs are searched for as
// windows of whole digit groups; a group longer than a PAN is an identifier, not a PAN.
function maskPansInRun(run: string): string {
  const parts = run.split(/([ -])/);
  let masked = '';
  let start = 0;
  while (start < parts.length) {
    const end = longestPanWindowEnd(parts, start);
    const last = end ?? start;
    masked += end === undefined ? parts[start] : maskPan(windowDigits(parts, start, end));
    masked += parts[last + 1] ?? '';
    start = last + 2;
  }
  return masked;
}

// parts alternates digit groups (even indexes) and separators (odd indexes).
function longestPanWindowEnd(parts: readonly string[], start: number): number | undefined {
  let digitCount = 0;
  let found: number | undefined;
  for (let end = start; end < parts.length; end += 2) {
    digitCount += parts[end].length;
    if (digitCount > PAN_MAX_DIGITS) break;
    if (digitCount >= PAN_MIN_DIGITS && isPan(windowDigits(parts, start, end))) found = end;
  }
  return found;
}

function windowDigits(parts: readonly string[], start: number, end: number): string {
  let digits = '';
  for (let index = start; index <= end; index += 2) digits += parts[index];
  return digits;
}
