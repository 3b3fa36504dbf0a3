import { createHmac, timingSafeEqual } from 'node:crypto';
import { PspWebhookError, WebhookRejection } from '../psp.error';
import type { Secret } from '../secret';
import type { WebhookHeaders } from '../psp-connector';

export interface WebhookVerificationSettings {
  readonly secret: Secret;
  /** How far the signed timestamp may be from now, either way; bounds replays of old deliveries. */
  readonly toleranceMs: number;
}

export const DEFAULT_WEBHOOK_TOLERANCE_MS = 300_000;

const TIMESTAMP_PATTERN = /^\d{1,12}$/;
const SIGNATURE_PATTERN = /^[0-9a-f]{64}$/;

/** A header by name, whatever its case; the first value when it was sent more than once. */
export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

interface SignatureHeader {
  /** As sent: the signed text holds it verbatim. */
  readonly timestamp: string;
  readonly signatures: readonly string[];
}

function parseSignatureHeader(pspId: string, header: string): SignatureHeader {
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') timestamp = value;
    if (key === 'v1' && SIGNATURE_PATTERN.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || !TIMESTAMP_PATTERN.test(timestamp) || signatures.length === 0) {
    throw new PspWebhookError(
      pspId,
      WebhookRejection.MalformedSignature,
      'signature header needs t=<seconds>,v1=<hex>',
    );
  }
  return { timestamp, signatures };
}

/**
 * Verifies `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>` (several v1 values
 * are allowed, for secret rotation). The comparison takes the same time whatever the bytes, and
 * the timestamp is checked only once it is known to be signed.
 */
export function verifyWebhookSignature(
  pspId: string,
  header: string | undefined,
  rawBody: Buffer,
  nowMs: number,
  settings: WebhookVerificationSettings,
): void {
  if (header === undefined || header.length === 0) {
    throw new PspWebhookError(pspId, WebhookRejection.MissingSignature, 'no signature header');
  }
  const { timestamp, signatures } = parseSignatureHeader(pspId, header);
  const expected = createHmac('sha256', settings.secret.reveal())
    .update(`${timestamp}.`)
    .update(rawBody)
    .digest();
  const matches = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, 'hex'), expected));
  if (!matches) {
    throw new PspWebhookError(pspId, WebhookRejection.InvalidSignature, 'signature does not match');
  }
  const timestampSeconds = Number(timestamp);
  if (Math.abs(nowMs - timestampSeconds * 1_000) > settings.toleranceMs) {
    throw new PspWebhookError(
      pspId,
      WebhookRejection.StaleTimestamp,
      `signed at ${timestampSeconds}, outside ${settings.toleranceMs} ms of now`,
    );
  }
}
