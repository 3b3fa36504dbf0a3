import { createHash } from 'node:crypto';
import { credentialMatches } from '../http/request-fields';

/**
 * nova's request signature: hex SHA-256 of `<mid>|<order_no>|<amt>|<secret>` (API.md). Inquiries
 * sign amt `0`; cancels sign the tid in place of the order number.
 */
export function novaSign(merchantId: string, orderNo: string, amt: string, secret: string): string {
  return createHash('sha256').update(`${merchantId}|${orderNo}|${amt}|${secret}`, 'utf8').digest('hex');
}

export interface NovaCredentials {
  readonly merchantId: string;
  readonly secret: string;
}

/** Whether `mid` is ours and `sign` signs (order number, amount) with our secret; hex in any case. */
export function isNovaSignValid(
  credentials: NovaCredentials,
  fields: { mid: unknown; sign: unknown },
  orderNo: unknown,
  amt: unknown,
): boolean {
  const { mid, sign } = fields;
  if (
    typeof mid !== 'string' ||
    typeof sign !== 'string' ||
    typeof orderNo !== 'string' ||
    typeof amt !== 'string'
  ) {
    return false;
  }
  if (!credentialMatches(mid, credentials.merchantId)) return false;
  return credentialMatches(sign.toLowerCase(), novaSign(mid, orderNo, amt, credentials.secret));
}
