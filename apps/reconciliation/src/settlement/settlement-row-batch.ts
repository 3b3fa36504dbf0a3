import type { SettlementRow } from '@keel/reconciliation-domain';

/**
 * Rows waiting for one multi-row insert, kept as one array per column (what `unnest` takes), at
 * most `capacity` of them: memory holds a batch, never a file.
 */
export class SettlementRowBatch {
  lines: number[] = [];
  pspReferences: string[] = [];
  merchantReferences: string[] = [];
  kinds: string[] = [];
  amountsMinor: string[] = [];
  currencies: string[] = [];
  feesMinor: (string | null)[] = [];
  eventsAt: string[] = [];
  late: boolean[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.lines.length;
  }

  get full(): boolean {
    return this.size >= this.capacity;
  }

  add(row: SettlementRow): void {
    this.lines.push(row.lineNumber);
    this.pspReferences.push(row.pspReference);
    this.merchantReferences.push(row.merchantReference);
    this.kinds.push(row.kind);
    this.amountsMinor.push(row.amountMinor.toString());
    this.currencies.push(row.currency);
    this.feesMinor.push(row.feeMinor === undefined ? null : row.feeMinor.toString());
    this.eventsAt.push(row.eventAt);
    this.late.push(row.late);
  }

  clear(): void {
    this.lines = [];
    this.pspReferences = [];
    this.merchantReferences = [];
    this.kinds = [];
    this.amountsMinor = [];
    this.currencies = [];
    this.feesMinor = [];
    this.eventsAt = [];
    this.late = [];
  }
}
