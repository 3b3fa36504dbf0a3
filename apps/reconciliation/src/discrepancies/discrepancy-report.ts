import type { Discrepancy } from './discrepancy';

/** The report's columns, one discrepancy a line. */
export const REPORT_COLUMNS = [
  'run_id',
  'psp',
  'settlement_date',
  'class',
  'status',
  'merchant_reference',
  'psp_reference',
  'money_at_risk_minor',
  'currency',
  'reason',
  'first_run_id',
  'last_run_id',
  'resolved_by',
  'resolved_at',
  'resolution_note',
  'fix',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. References come
 * from PSP files, so a field a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, CR at
 * its start) is prefixed with `'` and read as text.
 */
export function csvField(value: string | null): string {
  if (value === null) return '';
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvLine(fields: readonly (string | null)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * A run's report as CSV lines, streamed: the header, then each discrepancy of the run's PSP and
 * day as it stands now (a later run or a person may have resolved it since).
 */
export async function* discrepancyReportLines(
  runId: string,
  discrepancies: AsyncIterable<Discrepancy>,
): AsyncGenerator<string> {
  yield csvLine(REPORT_COLUMNS);
  for await (const discrepancy of discrepancies) {
    yield csvLine([
      runId,
      discrepancy.psp,
      discrepancy.date,
      discrepancy.class,
      discrepancy.status,
      discrepancy.merchantReference,
      discrepancy.pspReference,
      discrepancy.moneyAtRisk.amountMinor,
      discrepancy.moneyAtRisk.currency,
      discrepancy.reason,
      discrepancy.firstRunId,
      discrepancy.lastRunId,
      discrepancy.resolvedBy,
      discrepancy.resolvedAt,
      discrepancy.resolutionNote,
      discrepancy.fix,
    ]);
  }
}
