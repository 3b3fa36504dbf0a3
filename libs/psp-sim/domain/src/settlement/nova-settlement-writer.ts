import { formatMajor, Money, type CurrencyCode } from '@keel/money';
import { delimitedField, LINE_END, type SettlementFileContext } from './settlement-file';
import type { SettlementRow } from './settlement-row';
import { zeroPadded, ZoneClock, type CalendarDate } from './zoned-time';

export const NOVA_SETTLEMENT_HEADER = 'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt';

interface CurrencyTotals {
  rows: number;
  signedSumMinor: bigint;
  feeMinor: bigint;
}

/**
 * nova's file: semicolon-separated with a header, major units with a decimal comma, refunds
 * negative, the PSP's local time (Berlin for nova); no fee per row but the file's fee in its trailer, one per currency.
 */
export function* novaSettlementLines(
  rows: Iterable<SettlementRow>,
  file: SettlementFileContext,
): Generator<string> {
  const clock = new ZoneClock(file.timeZone);
  const bookingDay = germanDate(file.date);
  const totals = new Map<CurrencyCode, CurrencyTotals>();
  yield NOVA_SETTLEMENT_HEADER + LINE_END;
  for (const row of rows) {
    const signedMinor = row.kind === 'refund' ? -row.amountMinor : row.amountMinor;
    const total = totals.get(row.currency) ?? { rows: 0, signedSumMinor: 0n, feeMinor: 0n };
    total.rows += 1;
    total.signedSumMinor += signedMinor;
    total.feeMinor += row.feeMinor;
    totals.set(row.currency, total);
    const fields = [
      bookingDay,
      delimitedField(row.pspReference, ';'),
      delimitedField(row.merchantReference, ';'),
      novaAmount(signedMinor, row.currency),
      row.currency,
      novaTime(clock, row.eventAtMs),
    ];
    yield fields.join(';') + LINE_END;
  }
  yield* novaTrailers(totals);
}

/** `SUMME;<rows>;<sum>;<fee>`, with `;<currency>` and one line per currency when there are several. */
function* novaTrailers(totals: ReadonlyMap<CurrencyCode, CurrencyTotals>): Generator<string> {
  if (totals.size === 0) {
    yield `SUMME;0;0;0${LINE_END}`;
    return;
  }
  const currencies = [...totals.keys()].sort();
  for (const currency of currencies) {
    const total = totals.get(currency) as CurrencyTotals;
    const fields = [
      'SUMME',
      String(total.rows),
      novaAmount(total.signedSumMinor, currency),
      novaAmount(total.feeMinor, currency),
      ...(currencies.length > 1 ? [currency] : []),
    ];
    yield fields.join(';') + LINE_END;
  }
}

/** Major units with the currency's decimals and a decimal comma: 10000 EUR cents → `100,00`. */
export function novaAmount(amountMinor: bigint, currency: CurrencyCode): string {
  return formatMajor(Money.of(amountMinor, currency)).replace('.', ',');
}

function germanDate(date: CalendarDate): string {
  const [year, month, day] = date.split('-');
  return `${day}.${month}.${year}`;
}

function novaTime(clock: ZoneClock, epochMs: number): string {
  const time = clock.wallClock(epochMs);
  return (
    `${zeroPadded(time.day, 2)}.${zeroPadded(time.month, 2)}.${zeroPadded(time.year, 4)} ` +
    `${zeroPadded(time.hour, 2)}:${zeroPadded(time.minute, 2)}:${zeroPadded(time.second, 2)}`
  );
}
