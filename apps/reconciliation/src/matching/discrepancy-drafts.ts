import type {
  ClassifiedOrder,
  FileFeeDifference,
  KeelOrderView,
  SettlementRow,
} from '@keel/reconciliation-domain';
import type { DiscrepancyClass, DiscrepancyDraft } from '../discrepancies/discrepancy';

/**
 * What a discrepancy is about, the same on every run of its day: the order id and the PSP's
 * reference (Keel's, else the first row's; `-` when neither side has one). A key that pass 1
 * (PSP reference) or pass 2 (order id) finds keeps its key, since both parts come from the data.
 */
export function matchKeyOf(order: Pick<ClassifiedOrder, 'merchantReference' | 'pspReference'>): string {
  return `${order.merchantReference}/${order.pspReference ?? '-'}`;
}

/** The draft of a verdict that is a discrepancy (the caller checks `isDiscrepancyClass`). */
export function draftOfVerdict(order: ClassifiedOrder): DiscrepancyDraft {
  return {
    class: order.class as DiscrepancyClass,
    matchKey: matchKeyOf(order),
    merchantReference: order.merchantReference,
    pspReference: order.pspReference ?? null,
    keel: order.keel === undefined ? null : keelData(order.keel),
    pspSide: { rows: order.rows.map(rowData) },
    reason: order.reason,
    moneyAtRiskMinor: order.moneyAtRisk.amountMinor,
    currency: order.moneyAtRisk.currency,
  };
}

/** A per-file fee (nova's trailer) that is not the contract's: one discrepancy per file day and currency. */
export function draftOfFileFee(difference: FileFeeDifference, fileId: string): DiscrepancyDraft {
  const atRisk = difference.differenceMinor < 0n ? -difference.differenceMinor : difference.differenceMinor;
  return {
    class: 'fee_mismatch',
    matchKey: `file-fee/${difference.currency}`,
    merchantReference: null,
    pspReference: null,
    keel: { contractFeeMinor: difference.contractMinor.toString(), currency: difference.currency },
    pspSide: { fileId, statedFeeMinor: difference.statedMinor.toString(), currency: difference.currency },
    reason: `the file states ${difference.statedMinor} ${difference.currency} in fees; the contract allows ${difference.contractMinor} ${difference.currency} on its rows`,
    moneyAtRiskMinor: atRisk,
    currency: difference.currency,
  };
}

function keelData(order: KeelOrderView): Record<string, unknown> {
  return {
    merchantReference: order.merchantReference,
    pspReference: order.pspReference ?? null,
    status: order.status,
    amountMinor: order.amountMinor.toString(),
    currency: order.currency,
    chargedOn: order.chargedOn ?? null,
    refundedMinor: order.refundedMinor.toString(),
    expectedFeeMinor: order.expectedFeeMinor.toString(),
  };
}

function rowData(row: SettlementRow): Record<string, unknown> {
  return {
    line: row.lineNumber,
    pspReference: row.pspReference,
    merchantReference: row.merchantReference,
    kind: row.kind,
    amountMinor: row.amountMinor.toString(),
    currency: row.currency,
    feeMinor: row.feeMinor?.toString() ?? null,
    eventAt: row.eventAt,
    late: row.late,
  };
}
