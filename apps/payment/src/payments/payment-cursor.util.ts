import { IDENTIFIER_PATTERN } from '@keel/contracts';
import type { PageCursor } from './payment-projection.repository';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Opaque to clients: where the previous page ended, as base64url JSON. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify({ t: cursor.createdAt, i: cursor.id }), 'utf8').toString('base64url');
}

/** The position a cursor names, or undefined for anything this API did not issue. */
export function decodeCursor(text: string): PageCursor | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { t, i } = parsed as { t?: unknown; i?: unknown };
  if (typeof t !== 'string' || !ISO_INSTANT.test(t) || Number.isNaN(Date.parse(t))) return undefined;
  if (typeof i !== 'string' || !IDENTIFIER_PATTERN.test(i)) return undefined;
  return { createdAt: t, id: i };
}
