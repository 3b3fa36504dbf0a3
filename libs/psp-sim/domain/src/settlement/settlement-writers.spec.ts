import { acmeSettlementLines } from './acme-settlement-writer';
import { novaAmount, novaSettlementLines } from './nova-settlement-writer';
import type { SettlementRow } from './settlement-row';
import { swiftpaySettlementLines } from './swiftpay-settlement-writer';

const FILE = { date: '2026-12-07', createdAtMs: Date.parse('2026-12-07T15:10:05Z') };
const UTC_FILE = { ...FILE, timeZone: 'UTC' };
const BERLIN_FILE = { ...FILE, timeZone: 'Europe/Berlin' };

const CHARGE: SettlementRow = {
  kind: 'charge',
  pspReference: 'ref_1',
  merchantReference: 'po_1',
  movementId: 'ref_1',
  amountMinor: 10_000n,
  currency: 'EUR',
  feeMinor: 290n,
  eventAtMs: Date.parse('2026-12-07T10:11:12.345Z'),
};
const REFUND: SettlementRow = {
  ...CHARGE,
  kind: 'refund',
  movementId: 'refund_1',
  amountMinor: 2_500n,
  feeMinor: 0n,
  eventAtMs: Date.parse('2026-12-07T11:00:02Z'),
};
/** A reference with every character the delimited dialects must quote. */
const AWKWARD: SettlementRow = {
  kind: 'charge',
  pspReference: 'ref_2',
  merchantReference: 'po_"2";x,y',
  movementId: 'ref_2',
  amountMinor: 15_000n,
  currency: 'KRW',
  feeMinor: 435n,
  eventAtMs: Date.parse('2026-12-06T23:30:00Z'),
};

const text = (lines: Iterable<string>) => [...lines].join('');

describe('acme settlement writer', () => {
  it('writes a header and one comma-separated row per movement, quoting only where needed', () => {
    expect(text(acmeSettlementLines([CHARGE, REFUND, AWKWARD], UTC_FILE))).toBe(
      'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time\n' +
        '2026-12-07,ref_1,po_1,charge,10000,EUR,290,2026-12-07T10:11:12.345Z\n' +
        '2026-12-07,ref_1,po_1,refund,2500,EUR,0,2026-12-07T11:00:02.000Z\n' +
        '2026-12-07,ref_2,"po_""2"";x,y",charge,15000,KRW,435,2026-12-06T23:30:00.000Z\n',
    );
  });

  it('writes the header alone for a day without rows', () => {
    expect(text(acmeSettlementLines([], UTC_FILE))).toBe(
      'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time\n',
    );
  });
});

describe('nova settlement writer', () => {
  it('writes major units with a decimal comma, refunds negative, Berlin time, and the sums and fee in a trailer', () => {
    expect(text(novaSettlementLines([CHARGE, REFUND], BERLIN_FILE))).toBe(
      'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt\n' +
        '07.12.2026;ref_1;po_1;100,00;EUR;07.12.2026 11:11:12\n' +
        '07.12.2026;ref_1;po_1;-25,00;EUR;07.12.2026 12:00:02\n' +
        'SUMME;2;75,00;2,90\n',
    );
  });

  it('writes one trailer per currency, in code order, each naming its currency, when the file holds several', () => {
    expect(text(novaSettlementLines([AWKWARD, CHARGE, REFUND], BERLIN_FILE))).toBe(
      'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt\n' +
        '07.12.2026;ref_2;"po_""2"";x,y";15000;KRW;07.12.2026 00:30:00\n' +
        '07.12.2026;ref_1;po_1;100,00;EUR;07.12.2026 11:11:12\n' +
        '07.12.2026;ref_1;po_1;-25,00;EUR;07.12.2026 12:00:02\n' +
        'SUMME;2;75,00;2,90;EUR\n' +
        'SUMME;1;15000;435;KRW\n',
    );
  });

  it('ends a day without rows with a zero trailer', () => {
    expect(text(novaSettlementLines([], BERLIN_FILE))).toBe(
      'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt\nSUMME;0;0;0\n',
    );
  });

  it("writes amounts with each currency's decimals", () => {
    expect(novaAmount(1_234n, 'KWD')).toBe('1,234');
    expect(novaAmount(-5n, 'EUR')).toBe('-0,05');
    expect(novaAmount(-5n, 'KRW')).toBe('-5');
  });
});

describe('swiftpay settlement writer', () => {
  const context = { ...FILE, timeZone: 'Asia/Seoul', merchantId: 'swift_mid_test' };

  it('writes fixed-width header, detail and trailer records in Seoul time', () => {
    expect([...swiftpaySettlementLines([CHARGE, REFUND, AWKWARD], context)]).toEqual([
      'H20261207swift_mid_test      20261208001005\n',
      'DCref_1                           po_1                                                            000000000010000EUR0000000029020261207191112\n',
      'DRref_1                           po_1                                                            000000000002500EUR0000000000020261207200002\n',
      'DCref_2                           po_"2";x,y                                                      000000000015000KRW0000000043520261207083000\n',
      'T0000000003000000000000025000000000000000002500000000000000725\n',
    ]);
  });

  it('makes records of the widths the document gives: header 43, detail 141, trailer 62', () => {
    const lines = [...swiftpaySettlementLines([CHARGE], context)].map((line) => line.replace(/\n$/, ''));
    expect(lines.map((line) => line.length)).toEqual([43, 141, 62]);
    const detail = lines[1] ?? '';
    const fields = [1, 1, 32, 64, 15, 3, 11, 14].reduce<{ at: number; values: string[] }>(
      ({ at, values }, width) => ({ at: at + width, values: [...values, detail.slice(at, at + width)] }),
      { at: 0, values: [] },
    ).values;
    expect(fields.map((field) => field.trim())).toEqual([
      'D',
      'C',
      'ref_1',
      'po_1',
      '000000000010000',
      'EUR',
      '00000000290',
      '20261207191112',
    ]);
  });

  it('refuses a value wider than its field rather than shift the fields after it', () => {
    const tooLong = { ...CHARGE, merchantReference: 'p'.repeat(65) };
    expect(() => [...swiftpaySettlementLines([tooLong], context)]).toThrow(RangeError);
    const tooLarge = { ...CHARGE, amountMinor: 10n ** 15n };
    expect(() => [...swiftpaySettlementLines([tooLarge], context)]).toThrow('does not fit 15 digits');
  });
});
