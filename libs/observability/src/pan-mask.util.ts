// Value-level masking of card numbers (PANs), behind the key-based redaction of the logger:
// a PAN can hide in a free-text message, an error text or a field with an unexpected name. What is
// a card number is decided once, by @keel/contracts (card-number.util.ts).
import { redactCardNumbers } from '@keel/contracts';

const MASK = '…';

/** First six and last four digits, as PCI DSS allows to display. */
export function maskPan(digits: string): string {
  return `${digits.slice(0, 6)}${MASK}${digits.slice(-4)}`;
}

/** Replaces every Luhn-valid run of 13–19 digits (grouped or not) in `text` with its masked form. */
export function maskPans(text: string): string {
  return redactCardNumbers(text, maskPan);
}
