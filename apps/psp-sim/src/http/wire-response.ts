import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A PSP's answer in its own dialect, built by plain functions and written by the HTTP layer. */
export interface WireResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** A file a PSP sends (a settlement file): its lines are made as the client reads them. */
export interface FileReply {
  readonly fileName: string;
  readonly contentType: string;
  readonly lines: Iterable<string>;
}

export type Reply = WireResponse | FileReply;

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
 * Streams a file in chunks of about `chunkBytes`, as fast as the client reads: no more than a
 * chunk or two of it is ever held. Rejects when the client goes away or making a line fails.
 */
export async function writeFileReply(
  response: ServerResponse,
  reply: FileReply,
  chunkBytes: number,
): Promise<void> {
  if (response.destroyed || response.headersSent) return;
  response.statusCode = 200;
  response.setHeader('Content-Type', reply.contentType);
  response.setHeader('Content-Disposition', `attachment; filename="${reply.fileName}"`);
  await pipeline(Readable.from(chunksOf(reply.lines, chunkBytes)), response);
}

/** Joins lines into chunks of at least `chunkBytes` characters (the last one shorter). */
export function* chunksOf(lines: Iterable<string>, chunkBytes: number): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= chunkBytes) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

export function isFileReply(reply: Reply): reply is FileReply {
  return 'lines' in reply;
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
