import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { SettlementFileProblem } from '../settlement-file.error';
import { failureOf, readAll } from '../settlement-reading.fixture';
import { NovaSettlementParser } from './nova.parser';

const GOLDEN = join(__dirname, '__fixtures__', 'nova-2026-12-07.csv');
const HEADER = 'Buchungstag;Transaktions-ID;Auftragsnummer;Betrag;Waehrung;Zeitpunkt';
const parser = new NovaSettlementParser();
const fileOf = (...lines: string[]): string => `${lines.join('\n')}\n`;
const rowOn = (day: string, time: string, amount = '10,00', currency = 'EUR'): string =>
  `${day};nv_1;po_1;${amount};${currency};${time}`;
const ROW = rowOn('07.12.2026', '07.12.2026 11:12:13');

describe('NovaSettlementParser', () => {
  it('reads the golden file: decimal commas, refunds as negative amounts, Berlin time, a fee per currency', async () => {
    const { rows, summary } = await readAll(parser.parse(createReadStream(GOLDEN), '2026-12-07'));

    expect(rows).toEqual([
      {
        psp: 'nova',
        settlementDate: '2026-12-07',
        pspReference: 'nv_51c001',
        merchantReference: 'po_3n5d01',
        kind: 'charge',
        amountMinor: 10000n,
        currency: 'EUR',
        feeMinor: undefined,
        eventAt: '2026-12-07T10:12:13.000Z',
        late: false,
        lineNumber: 2,
      },
      expect.objectContaining({
        kind: 'refund',
        amountMinor: 10000n,
        eventAt: '2026-12-07T11:40:00.000Z',
        lineNumber: 3,
      }),
      expect.objectContaining({ kind: 'charge', amountMinor: 10000n, currency: 'KRW' }),
      // Half past midnight in Berlin is still the day before in UTC; the row is of the file's day.
      expect.objectContaining({
        amountMinor: 12345n,
        currency: 'KWD',
        eventAt: '2026-12-06T23:30:00.000Z',
        late: false,
      }),
      expect.objectContaining({
        amountMinor: 2550n,
        eventAt: '2026-12-06T22:59:59.000Z',
        late: true,
        lineNumber: 6,
      }),
    ]);
    expect(summary.rowCount).toBe(5);
    expect(summary.lateRowCount).toBe(1);
    expect(summary.totalsByCurrency.get('EUR')).toEqual({
      rowCount: 3,
      chargeCount: 2,
      refundCount: 1,
      chargedMinor: 12550n,
      refundedMinor: 10000n,
      rowFeesMinor: undefined,
      fileFeeMinor: 310n,
    });
    expect(summary.totalsByCurrency.get('KRW')?.fileFeeMinor).toBe(250n);
    expect(summary.totalsByCurrency.get('KWD')?.fileFeeMinor).toBe(310n);
  });

  it("reads docs/settlement-files.md's examples, in one currency and in several", async () => {
    const oneCurrency = fileOf(
      HEADER,
      '07.12.2026;N51C0…;po_3n5d…;100,00;EUR;07.12.2026 11:12:13',
      '07.12.2026;N51C0…;po_3n5d…;-100,00;EUR;07.12.2026 12:40:00',
      '07.12.2026;NA9D1…;po_77qe…;250,00;EUR;07.12.2026 13:01:59',
      'SUMME;3;250,00;10,15',
    );
    const severalCurrencies = fileOf(
      HEADER,
      '07.12.2026;N51C0…;po_3n5d…;100,00;EUR;07.12.2026 11:12:13',
      '07.12.2026;NA9D1…;po_77qe…;10000;KRW;07.12.2026 13:01:59',
      'SUMME;1;100,00;2,90;EUR',
      'SUMME;1;10000;290;KRW',
    );

    const one = await readAll(parser.parse([oneCurrency], '2026-12-07'));
    const several = await readAll(parser.parse([severalCurrencies], '2026-12-07'));

    expect(one.rows.map((row) => [row.kind, row.amountMinor])).toEqual([
      ['charge', 10000n],
      ['refund', 10000n],
      ['charge', 25000n],
    ]);
    expect(one.summary.totalsByCurrency.get('EUR')?.fileFeeMinor).toBe(1015n);
    expect(
      [...several.summary.totalsByCurrency].map(([currency, totals]) => [currency, totals.fileFeeMinor]),
    ).toEqual([
      ['EUR', 290n],
      ['KRW', 290n],
    ]);
  });

  it('reads an empty day as the doc writes it: SUMME;0;0;0', async () => {
    expect((await readAll(parser.parse([fileOf(HEADER, 'SUMME;0;0;0')], '2026-12-07'))).rows).toEqual([]);
  });

  it('reads a one-currency trailer without its currency column', async () => {
    const { summary } = await readAll(
      parser.parse([fileOf(HEADER, ROW, ROW, 'SUMME;2;20,00;0,50')], '2026-12-07'),
    );

    expect(summary.totalsByCurrency.get('EUR')).toEqual(
      expect.objectContaining({ rowCount: 2, chargedMinor: 2000n, fileFeeMinor: 50n }),
    );
  });

  it('reads a file without rows', async () => {
    const { rows, summary } = await readAll(
      parser.parse([fileOf(HEADER, 'SUMME;0;0,00;0,00')], '2026-12-07'),
    );

    expect(rows).toEqual([]);
    expect(summary.totalsByCurrency.size).toBe(0);
  });

  describe('Berlin time, DST-correct', () => {
    it.each([
      ['winter (CET, +1)', '07.12.2026', '07.12.2026 12:00:00', '2026-12-07T11:00:00.000Z'],
      ['summer (CEST, +2)', '07.07.2026', '07.07.2026 12:00:00', '2026-07-07T10:00:00.000Z'],
      [
        'the last second before clocks spring forward',
        '29.03.2026',
        '29.03.2026 01:59:59',
        '2026-03-29T00:59:59.000Z',
      ],
      [
        'the first second after they spring forward',
        '29.03.2026',
        '29.03.2026 03:00:00',
        '2026-03-29T01:00:00.000Z',
      ],
      [
        'the repeated hour when clocks fall back (its first pass)',
        '25.10.2026',
        '25.10.2026 02:30:00',
        '2026-10-25T00:30:00.000Z',
      ],
      ['the hour after they fall back', '25.10.2026', '25.10.2026 03:00:00', '2026-10-25T02:00:00.000Z'],
      ['a minute to midnight', '25.10.2026', '25.10.2026 23:59:00', '2026-10-25T22:59:00.000Z'],
    ])('converts %s', async (_case, day, time, eventAt) => {
      const settlementDate = `${day.slice(6)}-${day.slice(3, 5)}-${day.slice(0, 2)}`;
      const { rows } = await readAll(
        parser.parse([fileOf(HEADER, rowOn(day, time), 'SUMME;1;10,00;0,00')], settlementDate),
      );

      expect(rows[0]?.eventAt).toBe(eventAt);
    });

    it('refuses a time the clocks skip', async () => {
      const error = await failureOf(
        parser.parse(
          [fileOf(HEADER, rowOn('29.03.2026', '29.03.2026 02:30:00'), 'SUMME;1;10,00;0,00')],
          '2026-03-29',
        ),
      );

      expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({
        problem: SettlementFileProblem.BadDate,
        lineNumber: 2,
      });
      expect(error.message).toContain('Europe/Berlin');
    });
  });

  describe('amounts in major units, by the currency exponent', () => {
    it.each([
      ['KRW (no decimals)', '10000', 'KRW', 10000n],
      ['KWD (three decimals)', '1,234', 'KWD', 1234n],
      ['KWD with fewer decimals', '1,5', 'KWD', 1500n],
      ['EUR (two decimals)', '0,01', 'EUR', 1n],
      ['a refund', '-12,34', 'USD', 1234n],
    ])('reads %s', async (_case, amount, currency, amountMinor) => {
      const { rows } = await readAll(
        parser.parse(
          [
            fileOf(
              HEADER,
              rowOn('07.12.2026', '07.12.2026 11:12:13', amount, currency),
              `SUMME;1;${amount};0`,
            ),
          ],
          '2026-12-07',
        ),
      );

      expect(rows[0]).toEqual(
        expect.objectContaining({
          amountMinor,
          currency,
          kind: amount.startsWith('-') ? 'refund' : 'charge',
        }),
      );
    });

    it.each([
      ['decimals for KRW', '100,5', 'KRW'],
      ['four decimals for KWD', '1,2345', 'KWD'],
      ['three decimals for EUR', '1,005', 'EUR'],
      ['a decimal point', '10.00', 'EUR'],
      ['a thousands separator', '1.000,00', 'EUR'],
      ['a plus sign', '+10,00', 'EUR'],
      ['zero', '0,00', 'EUR'],
      ['nothing', '', 'EUR'],
    ])('refuses %s', async (_case, amount, currency) => {
      const error = await failureOf(
        parser.parse(
          [fileOf(HEADER, ROW, rowOn('07.12.2026', '07.12.2026 11:12:13', amount, currency))],
          '2026-12-07',
        ),
      );

      expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({
        problem: SettlementFileProblem.BadAmount,
        lineNumber: 3,
      });
    });
  });

  it.each([
    ['an empty file', '', SettlementFileProblem.BadHeader, 1],
    [
      'an English header',
      fileOf(HEADER.replace('Betrag', 'Amount'), ROW),
      SettlementFileProblem.BadHeader,
      1,
    ],
    [
      'a missing field',
      fileOf(HEADER, ROW, 'x;y', 'SUMME;2;20,00;0'),
      SettlementFileProblem.WrongFieldCount,
      3,
    ],
    [
      'a Buchungstag in ISO form',
      fileOf(HEADER, ROW.replace('07.12.2026;', '2026-12-07;')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'a Zeitpunkt without seconds',
      fileOf(HEADER, ROW.replace('11:12:13', '11:12')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'a Zeitpunkt on 31 November',
      fileOf(HEADER, rowOn('07.12.2026', '31.11.2026 10:00:00')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an unknown currency',
      fileOf(HEADER, rowOn('07.12.2026', '07.12.2026 10:00:00', '1,00', 'EURO')),
      SettlementFileProblem.UnknownCurrency,
      2,
    ],
    ['an empty Auftragsnummer', fileOf(HEADER, ROW.replace('po_1', '')), SettlementFileProblem.BadField, 2],
    [
      'a row two days early',
      fileOf(HEADER, rowOn('07.12.2026', '05.12.2026 10:00:00')),
      SettlementFileProblem.RowNotOfFileDay,
      2,
    ],
    [
      'a Buchungstag of another day',
      fileOf(HEADER, ROW, rowOn('08.12.2026', '07.12.2026 10:00:00')),
      SettlementFileProblem.RowNotOfFileDay,
      3,
    ],
    ['no trailer', fileOf(HEADER, ROW, ROW), SettlementFileProblem.MissingTrailer, 4],
    ['a header only', fileOf(HEADER), SettlementFileProblem.MissingTrailer, 2],
    [
      'a row after the trailer',
      fileOf(HEADER, ROW, 'SUMME;1;10,00;0,00', ROW),
      SettlementFileProblem.RowAfterTrailer,
      4,
    ],
    [
      'a trailer counting another number of rows',
      fileOf(HEADER, ROW, ROW, 'SUMME;3;20,00;0,00'),
      SettlementFileProblem.TrailerMismatch,
      4,
    ],
    [
      'a trailer summing to another amount',
      fileOf(HEADER, ROW, ROW, 'SUMME;2;20,01;0,00'),
      SettlementFileProblem.TrailerMismatch,
      4,
    ],
    [
      'a trailer that ignores the refund sign',
      fileOf(HEADER, ROW, ROW.replace('10,00', '-5,00'), 'SUMME;2;15,00;0,00'),
      SettlementFileProblem.TrailerMismatch,
      4,
    ],
    [
      'a trailer with a field too many',
      fileOf(HEADER, ROW, 'SUMME;1;10,00;0,00;EUR;x'),
      SettlementFileProblem.WrongFieldCount,
      3,
    ],
    [
      'a trailer with a bad row count',
      fileOf(HEADER, ROW, 'SUMME;eins;10,00;0,00'),
      SettlementFileProblem.BadAmount,
      3,
    ],
    [
      'a trailer fee with three decimals in EUR',
      fileOf(HEADER, ROW, 'SUMME;1;10,00;0,001'),
      SettlementFileProblem.BadAmount,
      3,
    ],
    [
      'a negative trailer fee',
      fileOf(HEADER, ROW, 'SUMME;1;10,00;-1,00'),
      SettlementFileProblem.BadAmount,
      3,
    ],
    [
      'one trailer without currency for two currencies',
      fileOf(HEADER, ROW, rowOn('07.12.2026', '07.12.2026 10:00:00', '100', 'KRW'), 'SUMME;2;110,00;0,00'),
      SettlementFileProblem.TrailerMismatch,
      4,
    ],
    [
      'a currency without its trailer line',
      fileOf(HEADER, ROW, rowOn('07.12.2026', '07.12.2026 10:00:00', '100', 'KRW'), 'SUMME;1;10,00;0,00;EUR'),
      SettlementFileProblem.TrailerMismatch,
      4,
    ],
    [
      'two trailer lines for one currency',
      fileOf(HEADER, ROW, 'SUMME;1;10,00;0,00;EUR', 'SUMME;1;10,00;0,00;EUR'),
      SettlementFileProblem.TrailerMismatch,
      4,
    ],
    [
      'a trailer stating rows of an empty file',
      fileOf(HEADER, 'SUMME;1;10,00;0,00'),
      SettlementFileProblem.TrailerMismatch,
      2,
    ],
  ])('refuses %s, naming its line', async (_case, text, problem, lineNumber) => {
    const error = await failureOf(parser.parse([text], '2026-12-07'));

    expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({ problem, lineNumber });
  });
});
