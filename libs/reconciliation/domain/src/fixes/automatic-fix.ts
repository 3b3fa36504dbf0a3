/** A stored discrepancy as the automatic fixes read it: both sides' data as matching kept them. */
export interface FixableDiscrepancy {
  readonly id: string;
  readonly class: string;
  readonly merchantReference: string | null;
  readonly pspReference: string | null;
  /** Keel's order as matching saw it (`status`, `expectedFeeMinor`, …), or the contract's file fee; null: none. */
  readonly keel: Readonly<Record<string, unknown>> | null;
  /** The file's rows under the key (`rows`), or a file's stated fee (`statedFeeMinor`). */
  readonly pspSide: Readonly<Record<string, unknown>>;
  readonly currency: string;
  readonly reason: string;
}

export type AutomaticFix =
  | {
      readonly kind: 'refund';
      readonly paymentOrderId: string;
      readonly pspReference: string;
      readonly amountMinor: bigint;
      readonly currency: string;
    }
  | { readonly kind: 'fee_adjustment'; readonly differenceMinor: bigint; readonly currency: string }
  | { readonly kind: 'for_a_person'; readonly why: string };

/** A payment order id as events carry it (contracts' identifier rule). */
const ORDER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

interface RowData {
  readonly kind?: unknown;
  readonly amountMinor?: unknown;
  readonly currency?: unknown;
  readonly feeMinor?: unknown;
  readonly pspReference?: unknown;
}

function rowsOf(discrepancy: FixableDiscrepancy): RowData[] {
  const rows = discrepancy.pspSide['rows'];
  return Array.isArray(rows) ? (rows as RowData[]) : [];
}

function minorOf(value: unknown): bigint | undefined {
  return typeof value === 'string' && /^-?\d{1,18}$/.test(value) ? BigInt(value) : undefined;
}

/**
 * `missing_in_keel` is refunded when Keel has no success for the order (none, or failed / declined)
 * and the file shows exactly one charge, unrefunded, under a PSP reference and an order id the
 * executor can key an orphan refund by. Anything else (partly refunded, several rows, a success)
 * needs a person's judgement.
 */
function refundOf(discrepancy: FixableDiscrepancy): AutomaticFix {
  const status = discrepancy.keel?.['status'];
  if (status === 'succeeded') return { kind: 'for_a_person', why: 'Keel holds the order as succeeded' };
  const rows = rowsOf(discrepancy);
  const [row] = rows;
  if (rows.length !== 1 || row?.kind !== 'charge') {
    return { kind: 'for_a_person', why: 'the file shows more than one charge row for it' };
  }
  const amountMinor = minorOf(row.amountMinor);
  const { merchantReference, pspReference } = discrepancy;
  if (merchantReference === null || !ORDER_ID_PATTERN.test(merchantReference)) {
    return { kind: 'for_a_person', why: 'the row names no order id Keel could have charged under' };
  }
  if (
    pspReference === null ||
    row.pspReference !== pspReference ||
    amountMinor === undefined ||
    amountMinor <= 0n
  ) {
    return { kind: 'for_a_person', why: 'the row names no PSP reference or amount to refund' };
  }
  return {
    kind: 'refund',
    paymentOrderId: merchantReference,
    pspReference,
    amountMinor,
    currency: typeof row.currency === 'string' ? row.currency : discrepancy.currency,
  };
}

/**
 * `fee_mismatch`: the fee the PSP kept less the contract's, signed. Per file (nova): the stated
 * fee less the contract's on its rows; per order: the rows' fees less the contract's fee on the
 * charge (refunds carry none).
 */
function feeAdjustmentOf(discrepancy: FixableDiscrepancy): AutomaticFix {
  const keel = discrepancy.keel ?? {};
  const statedFile = minorOf(discrepancy.pspSide['statedFeeMinor']);
  const contractFile = minorOf(keel['contractFeeMinor']);
  let differenceMinor: bigint | undefined;
  if (statedFile !== undefined && contractFile !== undefined) {
    differenceMinor = statedFile - contractFile;
  } else {
    const rows = rowsOf(discrepancy);
    const fees = rows.map((row) => minorOf(row.feeMinor));
    const expected = minorOf(keel['expectedFeeMinor']);
    if (rows.length > 0 && expected !== undefined && fees.every((fee) => fee !== undefined)) {
      const stated = fees.reduce<bigint>((sum, fee) => sum + (fee ?? 0n), 0n);
      differenceMinor = stated - (rows.some((row) => row.kind === 'charge') ? expected : 0n);
    }
  }
  if (differenceMinor === undefined || differenceMinor === 0n) {
    return { kind: 'for_a_person', why: 'the fees on both sides cannot be read from the discrepancy' };
  }
  return { kind: 'fee_adjustment', differenceMinor, currency: discrepancy.currency };
}

/**
 * What reconciliation may fix on its own (the safe classes): a `missing_in_keel` charge refunded
 * through the executor's orphan path, a `fee_mismatch` adjusted in the ledger. Everything else,
 * and any case these rules cannot read with certainty, stays open for a person.
 */
export function automaticFixOf(discrepancy: FixableDiscrepancy): AutomaticFix {
  switch (discrepancy.class) {
    case 'missing_in_keel':
      return refundOf(discrepancy);
    case 'fee_mismatch':
      return feeAdjustmentOf(discrepancy);
    default:
      return { kind: 'for_a_person', why: `${discrepancy.class} is not fixed automatically` };
  }
}
