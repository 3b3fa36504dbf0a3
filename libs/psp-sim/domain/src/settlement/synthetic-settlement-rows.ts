import type { CurrencyCode } from '@keel/money';
import { SeededRandom } from '@keel/seeded-random';
import { contractFeeOf } from '../fee';
import { chargeIdOf } from '../ids';
import type { PspId } from '../psp';
import { SETTLEMENT_PROFILES } from './settlement-profiles';
import type { SettlementRow } from './settlement-row';
import { ZoneClock, type CalendarDate } from './zoned-time';

export interface SyntheticSettlementOptions {
  readonly psp: PspId;
  readonly date: CalendarDate;
  readonly count: number;
  readonly seed: number;
  /** Default KRW. */
  readonly currency?: CurrencyCode;
  /** The PSP's contract fee on charges; default 250. */
  readonly feeBasisPoints?: number;
  /** Share of rows that refund an earlier charge of the file, in full; default 0.1. */
  readonly refundShare?: number;
}

const AMOUNT_MIN_MINOR = 1_000;
const AMOUNT_MAX_MINOR = 1_000_000;
const DEFAULT_FEE_BASIS_POINTS = 250;
const DEFAULT_REFUND_SHARE = 0.1;

/**
 * A day's rows not backed by the charge store, for benchmarks of a file of any size: `count` rows
 * in time order across the PSP's day, the same for the same options. Only the last charge is
 * remembered (a refund refunds it), so a million rows take no more memory than ten.
 */
export function* syntheticSettlementRows(options: SyntheticSettlementOptions): Generator<SettlementRow> {
  const { psp, date, count, seed } = options;
  if (!Number.isSafeInteger(count) || count < 0)
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const currency = options.currency ?? 'KRW';
  const feeBasisPoints = options.feeBasisPoints ?? DEFAULT_FEE_BASIS_POINTS;
  const refundShare = options.refundShare ?? DEFAULT_REFUND_SHARE;
  const random = new SeededRandom(seed);
  const { startMs, endMs } = new ZoneClock(SETTLEMENT_PROFILES[psp].timeZone).boundsOf(date);
  const stepMs = (endMs - startMs) / Math.max(count, 1);
  let lastCharge: SettlementRow | undefined;
  for (let index = 0; index < count; index += 1) {
    const eventAtMs = startMs + Math.floor(index * stepMs);
    if (lastCharge !== undefined && random.next() < refundShare) {
      yield {
        ...lastCharge,
        kind: 'refund',
        movementId: `${lastCharge.movementId}_refund`,
        feeMinor: 0n,
        eventAtMs,
      };
      lastCharge = undefined;
      continue;
    }
    const amountMinor = BigInt(random.integer(AMOUNT_MIN_MINOR, AMOUNT_MAX_MINOR));
    const pspReference = syntheticReference(psp, seed, index);
    lastCharge = {
      kind: 'charge',
      pspReference,
      merchantReference: `po_synthetic_${seed}_${index}`,
      movementId: pspReference,
      amountMinor,
      currency,
      feeMinor: contractFeeOf(amountMinor, currency, feeBasisPoints),
      eventAtMs,
    };
    yield lastCharge;
  }
}

/** Shaped like the PSP's own charge ids, unique per index. */
function syntheticReference(psp: PspId, seed: number, index: number): string {
  return chargeIdOf(psp, `${seed.toString(16).padStart(8, '0')}${index.toString(16).padStart(16, '0')}`);
}
