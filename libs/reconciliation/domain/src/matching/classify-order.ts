import type { CurrencyCode } from '@keel/money';
import type { SettlementRow } from '../settlement-row';
import type { ClassifiedOrder, ReconciliationClass } from './classification';
import type { KeelOrderView } from './keel-order-view';

type Verdict = Pick<ClassifiedOrder, 'class' | 'moneyAtRisk' | 'reason'>;

/** What the file's rows for one order add up to. */
interface PspMovements {
  readonly chargedMinor: bigint;
  readonly refundedMinor: bigint;
  readonly chargeRows: readonly SettlementRow[];
}

/**
 * Classifies one payment order for one PSP and day (`settlementDate`, the file's day): Keel's view
 * of it (undefined when Keel has no such order) and the file's rows matched to it (by PSP
 * reference, then merchant reference; none when the file lacks it). The first rule that applies
 * decides, and sets the money at risk — what the difference puts in doubt, in one currency:
 *
 * - `duplicate`: a row repeated exactly (line number aside). At risk: the repeated copies' amounts.
 * - `missing_in_keel`: the PSP charged more than it refunded, and Keel has no success for the order
 *   (none at all, or failed / declined / unknown and not fully refunded on the day). At risk: the
 *   PSP's net charge, which the customer paid and nobody is credited for.
 * - `amount_mismatch`: a row in another currency than Keel's order (at risk: Keel's whole amount), or
 *   charge rows adding up to another amount (at risk: the difference).
 * - `missing_at_psp`: Keel's success charged on the file's day and no charge row (at risk: Keel's
 *   amount, which the seller is credited and the PSP does not report paying), or a refund Keel made
 *   on the day that the file lacks entirely (at risk: that refund).
 * - `status_mismatch`: the refunds disagree — the PSP refunded what Keel shows charged, or Keel
 *   refunded what the PSP shows charged. At risk: the difference between the refunds.
 * - `fee_mismatch`: the rows' fees (dialects with a fee per row) are not the contract's fee on the
 *   charge, or a refund carries a fee. At risk: the fee difference.
 * - `timing`: everything agrees, and the charge rows are late (a row of the day before, reported
 *   today, matching the previous day's order). At risk: nothing.
 * - `matched`: everything agrees. At risk: nothing.
 */
export function classifyOrder(
  keel: KeelOrderView | undefined,
  rows: readonly SettlementRow[],
  settlementDate: string,
): ClassifiedOrder {
  const [firstRow] = rows;
  if (keel === undefined && firstRow === undefined) {
    throw new RangeError("an order to classify needs Keel's view of it or a settlement row");
  }
  return {
    ...verdictOf(keel, rows, settlementDate),
    merchantReference: keel?.merchantReference ?? (firstRow as SettlementRow).merchantReference,
    pspReference: keel?.pspReference ?? firstRow?.pspReference,
    keel,
    rows,
  };
}

function verdictOf(
  keel: KeelOrderView | undefined,
  rows: readonly SettlementRow[],
  settlementDate: string,
): Verdict {
  const copies = repeatedCopies(rows);
  const [firstCopy] = copies;
  if (firstCopy !== undefined) {
    return verdict(
      'duplicate',
      sumOf(copies),
      firstCopy.currency,
      `${describeLines(copies)} ${copies.length > 1 ? 'repeat earlier rows' : 'repeats an earlier row'} exactly`,
    );
  }
  const psp = movementsOf(rows);
  if (keel === undefined) {
    const net = psp.chargedMinor - psp.refundedMinor;
    return verdict(
      'missing_in_keel',
      net < 0n ? -net : net,
      (rows[0] as SettlementRow).currency,
      `the PSP reports ${describeMovements(psp, rows)}; Keel has no such order`,
    );
  }
  return keel.status === 'succeeded'
    ? succeededVerdict(keel, psp, rows, settlementDate)
    : unsucceededVerdict(keel, psp, rows);
}

function unsucceededVerdict(keel: KeelOrderView, psp: PspMovements, rows: readonly SettlementRow[]): Verdict {
  const currency = rows[0]?.currency ?? keel.currency;
  const inKeelsCurrency = rows.every((row) => row.currency === keel.currency);
  if (inKeelsCurrency && psp.refundedMinor === keel.refundedMinor && psp.chargedMinor <= psp.refundedMinor) {
    return verdict(
      'matched',
      0n,
      currency,
      rows.length === 0 ? 'nothing to settle' : 'the charge Keel did not hold is refunded',
    );
  }
  if (psp.chargedMinor > psp.refundedMinor) {
    return verdict(
      'missing_in_keel',
      psp.chargedMinor - psp.refundedMinor,
      currency,
      `the PSP charged ${psp.chargedMinor} ${currency} net of refunds; Keel's order is ${keel.status}`,
    );
  }
  if (rows.length === 0) {
    return verdict(
      'missing_at_psp',
      keel.refundedMinor,
      currency,
      `Keel refunded ${keel.refundedMinor} ${currency}; the file has no row`,
    );
  }
  return refundsDisagree(keel, psp, currency);
}

function succeededVerdict(
  keel: KeelOrderView,
  psp: PspMovements,
  rows: readonly SettlementRow[],
  settlementDate: string,
): Verdict {
  const { currency } = keel;
  const foreign = rows.find((row) => row.currency !== currency);
  if (foreign !== undefined) {
    return verdict(
      'amount_mismatch',
      keel.amountMinor,
      currency,
      `line ${foreign.lineNumber} is in ${foreign.currency}; Keel's order is in ${currency}`,
    );
  }
  if (psp.chargeRows.length > 0 && psp.chargedMinor !== keel.amountMinor) {
    const difference = psp.chargedMinor - keel.amountMinor;
    return verdict(
      'amount_mismatch',
      difference < 0n ? -difference : difference,
      currency,
      `the PSP charged ${psp.chargedMinor} ${currency}; Keel's order is ${keel.amountMinor} ${currency}`,
    );
  }
  if (psp.chargeRows.length === 0 && keel.chargedOn === settlementDate) {
    return verdict(
      'missing_at_psp',
      keel.amountMinor,
      currency,
      `Keel charged ${keel.amountMinor} ${currency} on ${settlementDate}; the file has no charge row`,
    );
  }
  if (rows.length === 0 && keel.refundedMinor > 0n) {
    return verdict(
      'missing_at_psp',
      keel.refundedMinor,
      currency,
      `Keel refunded ${keel.refundedMinor} ${currency}; the file has no row`,
    );
  }
  if (psp.refundedMinor !== keel.refundedMinor) return refundsDisagree(keel, psp, currency);
  const fee = feeDifference(keel, rows);
  if (fee !== undefined) return fee;
  if (psp.chargeRows.length > 0 && psp.chargeRows.every((row) => row.late)) {
    return verdict('timing', 0n, currency, "a late row of the day before, matching that day's order");
  }
  return verdict(
    'matched',
    0n,
    currency,
    rows.length === 0 ? 'nothing to settle on the day' : 'both sides agree',
  );
}

function refundsDisagree(keel: KeelOrderView, psp: PspMovements, currency: CurrencyCode): Verdict {
  const difference = psp.refundedMinor - keel.refundedMinor;
  return verdict(
    'status_mismatch',
    difference < 0n ? -difference : difference,
    currency,
    difference > 0n
      ? `the PSP refunded ${psp.refundedMinor} ${currency}; Keel refunded ${keel.refundedMinor} ${currency} that day`
      : `Keel refunded ${keel.refundedMinor} ${currency}; the PSP refunded ${psp.refundedMinor} ${currency} that day`,
  );
}

/** Compares per-row fees with the contract: the charge's fee expected, refunds free. */
function feeDifference(keel: KeelOrderView, rows: readonly SettlementRow[]): Verdict | undefined {
  if (rows.length === 0 || rows.some((row) => row.feeMinor === undefined)) return undefined;
  const charged = rows.some((row) => row.kind === 'charge');
  const stated = rows.reduce((sum, row) => sum + (row.feeMinor ?? 0n), 0n);
  const expected = charged ? keel.expectedFeeMinor : 0n;
  if (stated === expected) return undefined;
  const difference = stated - expected;
  return verdict(
    'fee_mismatch',
    difference < 0n ? -difference : difference,
    keel.currency,
    `the PSP kept ${stated} ${keel.currency} in fees; the contract allows ${expected} ${keel.currency}`,
  );
}

/** Rows that repeat an earlier row in every field but the line number. */
function repeatedCopies(rows: readonly SettlementRow[]): SettlementRow[] {
  // Most keys have one row: no identity string built and hashed for each of a million of them.
  if (rows.length < 2) return [];
  const seen = new Set<string>();
  const copies: SettlementRow[] = [];
  for (const row of rows) {
    const identity = [
      row.kind,
      row.pspReference,
      row.merchantReference,
      row.amountMinor,
      row.currency,
      row.feeMinor,
      row.eventAt,
    ].join('\u0000');
    if (seen.has(identity)) copies.push(row);
    else seen.add(identity);
  }
  return copies;
}

function movementsOf(rows: readonly SettlementRow[]): PspMovements {
  const chargeRows = rows.filter((row) => row.kind === 'charge');
  return {
    chargedMinor: sumOf(chargeRows),
    refundedMinor: sumOf(rows.filter((row) => row.kind === 'refund')),
    chargeRows,
  };
}

function sumOf(rows: readonly SettlementRow[]): bigint {
  return rows.reduce((sum, row) => sum + row.amountMinor, 0n);
}

function describeMovements(psp: PspMovements, rows: readonly SettlementRow[]): string {
  const currency = (rows[0] as SettlementRow).currency;
  return `charges of ${psp.chargedMinor} ${currency} and refunds of ${psp.refundedMinor} ${currency}`;
}

function describeLines(rows: readonly SettlementRow[]): string {
  return `line${rows.length > 1 ? 's' : ''} ${rows.map((row) => row.lineNumber).join(', ')}`;
}

function verdict(
  reconciliationClass: ReconciliationClass,
  amountMinor: bigint,
  currency: CurrencyCode,
  reason: string,
): Verdict {
  return { class: reconciliationClass, moneyAtRisk: { amountMinor, currency }, reason };
}
