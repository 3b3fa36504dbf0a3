import { createHash } from 'node:crypto';
import type { SettlementPsp } from '@keel/reconciliation-domain';

/** Where each PSP serves its settlement files, and the credentials of its payment API. */
export interface SettlementSourceSettings {
  readonly acme: { readonly baseUrl: string; readonly apiKey: string };
  readonly nova: { readonly baseUrl: string; readonly merchantId: string; readonly secret: string };
  readonly swiftpay: { readonly baseUrl: string; readonly apiKey: string };
}

/** One PSP's request for its file of a day. */
export interface SettlementRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const compactDay = (date: string): string => date.replaceAll('-', '');

const urlOf = (baseUrl: string, path: string): string => `${baseUrl.replace(/\/+$/, '')}${path}`;

/**
 * nova's `sign`: hex SHA-256 of `<mid>|<settle_date>|0|<secret>` — a settlement download is signed
 * like an inquiry, with amount 0 (apps/psp-sim/API.md). The executor signs its payment calls the
 * same way in its own connector; reconciliation needs only this one signature.
 */
export function novaSettlementSign(merchantId: string, settleDate: string, secret: string): string {
  return createHash('sha256').update(`${merchantId}|${settleDate}|0|${secret}`, 'utf8').digest('hex');
}

/**
 * The request for `psp`'s file of `date` (`YYYY-MM-DD`, the PSP's day), in each PSP's own API
 * style (docs/settlement-files.md, "Downloading a file").
 */
export function settlementRequestOf(
  psp: SettlementPsp,
  date: string,
  settings: SettlementSourceSettings,
): SettlementRequest {
  switch (psp) {
    case 'acme':
      return {
        method: 'GET',
        url: urlOf(settings.acme.baseUrl, `/acme/v1/settlements/${date}`),
        headers: { authorization: `Bearer ${settings.acme.apiKey}` },
      };
    case 'nova': {
      const { merchantId, secret } = settings.nova;
      const settleDate = compactDay(date);
      return {
        method: 'POST',
        url: urlOf(settings.nova.baseUrl, '/nova/api/settlement'),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          mid: merchantId,
          settle_date: settleDate,
          sign: novaSettlementSign(merchantId, settleDate, secret),
        }).toString(),
      };
    }
    case 'swiftpay':
      return {
        method: 'GET',
        url: urlOf(settings.swiftpay.baseUrl, `/swiftpay/v2/settlements/${compactDay(date)}`),
        headers: { 'x-swift-key': settings.swiftpay.apiKey },
      };
    default: {
      const unreachable: never = psp;
      throw new Error(`no settlement request for PSP ${String(unreachable)}`);
    }
  }
}
