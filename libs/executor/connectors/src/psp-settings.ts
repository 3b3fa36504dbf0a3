import { PspConfigurationError, PspErrorCode, PspRejectedRequestError } from './psp.error';
import type { Secret } from './secret';

/** What every connector needs besides its credentials. */
export interface PspConnectionSettings {
  /** Scheme, host and port of the PSP, e.g. http://127.0.0.1:3011; the PSP's paths are appended. */
  readonly baseUrl: string;
  /** Per HTTP exchange, from connecting to the last byte of the answer. */
  readonly timeoutMs: number;
  readonly responseBodyBytesMax: number;
  /** Keep-alive connections to the PSP at most; DEFAULT_PSP_CONNECTIONS_MAX when absent. */
  readonly connectionsMax?: number;
  readonly webhookSecret: Secret;
  readonly webhookToleranceMs: number;
}

export const DEFAULT_PSP_TIMEOUT_MS = 5_000;
export const DEFAULT_RESPONSE_BODY_BYTES_MAX = 1_048_576;

/** Throws PspConfigurationError for settings a connector cannot work with. */
export function assertValidConnectionSettings(pspId: string, settings: PspConnectionSettings): void {
  let url: URL;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    throw new PspConfigurationError(
      pspId,
      PspErrorCode.InvalidSettings,
      `baseUrl '${settings.baseUrl}' is not a URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PspConfigurationError(pspId, PspErrorCode.InvalidSettings, 'baseUrl must be http or https');
  }
  for (const [name, value] of [
    ['timeoutMs', settings.timeoutMs],
    ['responseBodyBytesMax', settings.responseBodyBytesMax],
    ['webhookToleranceMs', settings.webhookToleranceMs],
    ['connectionsMax', settings.connectionsMax ?? 1],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new PspConfigurationError(
        pspId,
        PspErrorCode.InvalidSettings,
        `${name} must be a positive integer`,
      );
    }
  }
}

/** The URL of a PSP path under the base URL, whether or not the base ends with a slash. */
export function pspUrl(
  settings: PspConnectionSettings,
  path: string,
  query?: Record<string, string>,
): string {
  const url = new URL(`${settings.baseUrl.replace(/\/+$/, '')}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
  return url.toString();
}

/**
 * An amount as a JSON number, for PSPs that take one. Above 2^53 a number loses units, so such an
 * amount is refused before anything is sent.
 */
export function amountAsJsonNumber(pspId: string, amountMinor: bigint): number {
  if (amountMinor <= 0n || amountMinor > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new PspRejectedRequestError(
      pspId,
      `amount ${amountMinor} cannot be sent as a JSON number`,
      'not_sent',
    );
  }
  return Number(amountMinor);
}
