import { PspProtocolError } from './psp.error';

/** What a PSP says a successful charge took: integer minor units of an ISO 4217 currency. */
export interface CapturedAmount {
  readonly amountMinor: bigint;
  readonly currency: string;
}

const CURRENCY_CODE_PATTERN = /^[A-Z]{3}$/;

/**
 * The amount a success reports, which the executor checks against the order before the order
 * takes it. A success that does not say what it took, says nothing was taken, or names no ISO 4217
 * code is not understood: never assumed to be the order's amount.
 */
export function capturedAmountOf(
  pspId: string,
  pspReference: string,
  amountMinor: bigint | undefined,
  currency: string | undefined,
): CapturedAmount {
  if (amountMinor === undefined || amountMinor <= 0n) {
    throw new PspProtocolError(pspId, `successful charge ${pspReference} reports no captured amount`);
  }
  if (currency === undefined || !CURRENCY_CODE_PATTERN.test(currency)) {
    throw new PspProtocolError(pspId, `successful charge ${pspReference} reports no ISO 4217 currency`);
  }
  return { amountMinor, currency };
}
