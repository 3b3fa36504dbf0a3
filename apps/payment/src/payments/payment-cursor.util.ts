import { IDENTIFIER_PATTERN } from '@keel/contracts';
import type { PageCursor } from './payment-projection.repository';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Where a page of payments ended, as its cursor's position: JSON of the last one's time and id. */
export function paymentPosition(cursor: PageCursor): string {
  return JSON.stringify({ t: cursor.createdAt, i: cursor.id });
}

/** The cursor a position names, or undefined for anything `paymentPosition` did not write. */
export function paymentCursorOf(position: string): PageCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(position);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { t, i } = parsed as { t?: unknown; i?: unknown };
  if (typeof t !== 'string' || !ISO_INSTANT.test(t) || Number.isNaN(Date.parse(t))) return undefined;
  if (typeof i !== 'string' || !IDENTIFIER_PATTERN.test(i)) return undefined;
  return { createdAt: t, id: i };
}
