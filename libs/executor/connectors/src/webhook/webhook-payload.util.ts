import { PspProtocolError, PspWebhookError, WebhookRejection } from '../psp.error';

/** Runs a reader over a verified webhook body; what it cannot read is a malformed payload. */
export function readWebhookPayload<T>(pspId: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof PspProtocolError) {
      throw new PspWebhookError(pspId, WebhookRejection.MalformedPayload, error.message);
    }
    throw error;
  }
}

/** A verified body as JSON; throws PspProtocolError (read as malformed) when it is not. */
export function parseWebhookJson(pspId: string, rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch (error) {
    throw new PspProtocolError(pspId, 'webhook body is not JSON', { cause: error });
  }
}
