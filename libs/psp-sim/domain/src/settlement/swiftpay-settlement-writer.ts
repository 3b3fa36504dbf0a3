import { LINE_END, type MerchantSettlementFileContext } from './settlement-file';
import type { SettlementRow } from './settlement-row';
import { zeroPadded, ZoneClock } from './zoned-time';

/** Field widths of swiftpay's records (docs/settlement-files.md). */
export const SWIFTPAY_WIDTHS = {
  merchantId: 20,
  orderToken: 32,
  partnerOrderId: 64,
  amount: 15,
  currency: 3,
  fee: 11,
  count: 10,
  amountSum: 18,
  feeSum: 15,
} as const;

/** A partner order id longer than its field could not be settled: swiftpay refuses it at `ready`. */
export const SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH = SWIFTPAY_WIDTHS.partnerOrderId;

/**
 * swiftpay's file: fixed-width records, a header `H`, one detail `D` per row and a trailer `T`
 * with the count and sums; minor units, the PSP's local time (Seoul for swiftpay).
 */
export function* swiftpaySettlementLines(
  rows: Iterable<SettlementRow>,
  file: MerchantSettlementFileContext,
): Generator<string> {
  const clock = new ZoneClock(file.timeZone);
  yield (
    'H' +
    file.date.replaceAll('-', '') +
    text(file.merchantId, SWIFTPAY_WIDTHS.merchantId, 'merchant id') +
    compactTime(clock, file.createdAtMs) +
    LINE_END
  );
  let count = 0;
  let chargeSumMinor = 0n;
  let refundSumMinor = 0n;
  let feeSumMinor = 0n;
  for (const row of rows) {
    count += 1;
    if (row.kind === 'charge') chargeSumMinor += row.amountMinor;
    else refundSumMinor += row.amountMinor;
    feeSumMinor += row.feeMinor;
    yield (
      'D' +
      (row.kind === 'charge' ? 'C' : 'R') +
      text(row.pspReference, SWIFTPAY_WIDTHS.orderToken, 'order token') +
      text(row.merchantReference, SWIFTPAY_WIDTHS.partnerOrderId, 'partner order id') +
      number(row.amountMinor, SWIFTPAY_WIDTHS.amount, 'amount') +
      row.currency +
      number(row.feeMinor, SWIFTPAY_WIDTHS.fee, 'fee') +
      compactTime(clock, row.eventAtMs) +
      LINE_END
    );
  }
  yield (
    'T' +
    number(BigInt(count), SWIFTPAY_WIDTHS.count, 'detail count') +
    number(chargeSumMinor, SWIFTPAY_WIDTHS.amountSum, 'charge sum') +
    number(refundSumMinor, SWIFTPAY_WIDTHS.amountSum, 'refund sum') +
    number(feeSumMinor, SWIFTPAY_WIDTHS.feeSum, 'fee sum') +
    LINE_END
  );
}

// A value that does not fit its field would shift every field after it: refused, never cut.
function text(value: string, width: number, name: string): string {
  if (value.length > width)
    throw new RangeError(`swiftpay ${name} "${value}" is longer than ${width} characters`);
  return value.padEnd(width, ' ');
}

function number(value: bigint, width: number, name: string): string {
  const digits = value.toString();
  if (value < 0n || digits.length > width)
    throw new RangeError(`swiftpay ${name} ${value} does not fit ${width} digits`);
  return digits.padStart(width, '0');
}

function compactTime(clock: ZoneClock, epochMs: number): string {
  const time = clock.wallClock(epochMs);
  return (
    zeroPadded(time.year, 4) +
    zeroPadded(time.month, 2) +
    zeroPadded(time.day, 2) +
    zeroPadded(time.hour, 2) +
    zeroPadded(time.minute, 2) +
    zeroPadded(time.second, 2)
  );
}
