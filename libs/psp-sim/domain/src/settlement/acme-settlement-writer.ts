import { delimitedField, LINE_END, type SettlementFileContext } from './settlement-file';
import type { SettlementRow } from './settlement-row';

export const ACME_SETTLEMENT_HEADER =
  'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time';

/** acme's file: comma-separated with a header, minor units, times in UTC; no trailer. */
export function* acmeSettlementLines(
  rows: Iterable<SettlementRow>,
  file: SettlementFileContext,
): Generator<string> {
  yield ACME_SETTLEMENT_HEADER + LINE_END;
  for (const row of rows) {
    const fields = [
      file.date,
      delimitedField(row.pspReference, ','),
      delimitedField(row.merchantReference, ','),
      row.kind,
      row.amountMinor.toString(),
      row.currency,
      row.feeMinor.toString(),
      new Date(row.eventAtMs).toISOString(),
    ];
    yield fields.join(',') + LINE_END;
  }
}
