import type { ServerResponse } from 'node:http';

/** A PSP's answer in its own dialect, built by plain functions and written by the HTTP layer. */
export interface WireResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function jsonWire(status: number, body: unknown): WireResponse {
  return { status, contentType: JSON_CONTENT_TYPE, body: JSON.stringify(body) };
}

/** What every PSP answers when a fault or the simulator's own limits make it unavailable. */
export const UNAVAILABLE_WIRE = jsonWire(503, {
  error: 'service_unavailable',
  message: 'The service is temporarily unavailable.',
});

export function writeWire(response: ServerResponse, wire: WireResponse): void {
  if (response.destroyed || response.headersSent) return;
  response.statusCode = wire.status;
  response.setHeader('Content-Type', wire.contentType);
  response.setHeader('Content-Length', Buffer.byteLength(wire.body));
  response.end(wire.body);
}

/**
 * Wire amounts are JSON numbers. Every amount the simulator holds came in as a JSON safe integer
 * or a form field of at most 15 digits, so the conversion is exact.
 */
export function wireAmount(amountMinor: bigint): number {
  const amount = Number(amountMinor);
  if (!Number.isSafeInteger(amount)) throw new RangeError(`amount ${amountMinor} is not a safe integer`);
  return amount;
}

export function unixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
