import type { SettlementPsp } from '../src/settlement-psp';

const LINES_PER_CHUNK = 1_000;

const zeroPadded = (value: number, width: number): string => String(value).padStart(width, '0');
const spacePadded = (value: string, width: number): string => value.padEnd(width, ' ');

interface Dialect {
  readonly head: string;
  readonly row: (index: number) => string;
  readonly tail: (rows: number) => string | undefined;
}

/** Each dialect's file for 2026-12-07 of `rows` charges, spread over the day. */
const DIALECTS: Readonly<Record<SettlementPsp, Dialect>> = {
  acme: {
    head: 'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time',
    row: (index) =>
      `2026-12-07,ch_${index},po_${index},charge,1000,USD,25,2026-12-07T${zeroPadded(index % 24, 2)}:${zeroPadded(index % 60, 2)}:00.000Z`,
    tail: () => undefined,
  },
  nova: {
    head: 'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt',
    row: (index) =>
      `07.12.2026;nv_${index};po_${index};10,00;EUR;07.12.2026 ${zeroPadded(index % 24, 2)}:${zeroPadded(index % 60, 2)}:00`,
    tail: (rows) => `SUMME;${rows};${rows * 10},00;${rows / 4},00`,
  },
  swiftpay: {
    head: `H20261207${spacePadded('keel', 20)}20261208010000`,
    row: (index) =>
      `DC${spacePadded(`sp_${index}`, 32)}${spacePadded(`po_${index}`, 64)}${zeroPadded(1000, 15)}KRW${zeroPadded(25, 11)}20261207${zeroPadded(index % 24, 2)}${zeroPadded(index % 60, 2)}00`,
    tail: (rows) =>
      `T${zeroPadded(rows, 10)}${zeroPadded(rows * 1000, 18)}${zeroPadded(0, 18)}${zeroPadded(rows * 25, 15)}`,
  },
};

/** A valid settlement file of `rows` rows, made as it is read: it never exists whole. */
export async function* generatedSettlementFile(psp: SettlementPsp, rows: number): AsyncGenerator<string> {
  const { head, row, tail } = DIALECTS[psp];
  yield `${head}\n`;
  for (let start = 0; start < rows; start += LINES_PER_CHUNK) {
    const lines: string[] = [];
    for (let index = start; index < Math.min(start + LINES_PER_CHUNK, rows); index += 1)
      lines.push(row(index));
    yield `${lines.join('\n')}\n`;
  }
  const trailer = tail(rows);
  if (trailer !== undefined) yield `${trailer}\n`;
}
