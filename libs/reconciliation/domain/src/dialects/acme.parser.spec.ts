import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SettlementFileProblem } from '../settlement-file.error';
import { chunksOf, failureOf, readAll } from '../settlement-reading.fixture';
import { AcmeSettlementParser } from './acme.parser';

const GOLDEN = join(__dirname, '__fixtures__', 'acme-2026-12-07.csv');
const HEADER =
  'settlement_date,psp_reference,merchant_reference,type,amount_minor,currency,fee_minor,event_time';
const ROW = '2026-12-07,ch_1,po_1,charge,10000,KRW,250,2026-12-07T10:11:12.345Z';
const parser = new AcmeSettlementParser();
const fileOf = (...lines: string[]): string => `${lines.join('\n')}\n`;

describe('AcmeSettlementParser', () => {
  it('reads the golden file row by row, with its summary', async () => {
    const { rows, summary } = await readAll(parser.parse(createReadStream(GOLDEN), '2026-12-07'));

    expect(rows).toEqual([
      {
        psp: 'acme',
        settlementDate: '2026-12-07',
        pspReference: 'ch_8f3k01',
        merchantReference: 'po_3n5d01',
        kind: 'charge',
        amountMinor: 10000n,
        currency: 'KRW',
        feeMinor: 250n,
        eventAt: '2026-12-07T10:11:12.345Z',
        late: false,
        lineNumber: 2,
      },
      expect.objectContaining({ kind: 'refund', amountMinor: 10000n, feeMinor: 0n, lineNumber: 3 }),
      expect.objectContaining({
        pspReference: 'ch_9a2b02',
        currency: 'USD',
        amountMinor: 2599n,
        feeMinor: 65n,
        eventAt: '2026-12-07T23:59:59.999Z',
        late: false,
      }),
      expect.objectContaining({ pspReference: 'ch_q,uoted03', currency: 'EUR', late: true, lineNumber: 5 }),
    ]);
    expect(summary).toEqual({
      psp: 'acme',
      settlementDate: '2026-12-07',
      rowCount: 4,
      lateRowCount: 1,
      totalsByCurrency: new Map([
        [
          'KRW',
          {
            rowCount: 2,
            chargeCount: 1,
            refundCount: 1,
            chargedMinor: 10000n,
            refundedMinor: 10000n,
            rowFeesMinor: 250n,
            fileFeeMinor: undefined,
          },
        ],
        [
          'USD',
          {
            rowCount: 1,
            chargeCount: 1,
            refundCount: 0,
            chargedMinor: 2599n,
            refundedMinor: 0n,
            rowFeesMinor: 65n,
            fileFeeMinor: undefined,
          },
        ],
        [
          'EUR',
          {
            rowCount: 1,
            chargeCount: 1,
            refundCount: 0,
            chargedMinor: 1500n,
            refundedMinor: 0n,
            rowFeesMinor: 38n,
            fileFeeMinor: undefined,
          },
        ],
      ]),
    });
  });

  it('reads the same rows from 3-byte chunks and from \\r\\n line ends', async () => {
    const text = readFileSync(GOLDEN, 'utf8');
    const whole = await readAll(parser.parse([text], '2026-12-07'));

    expect(await readAll(parser.parse(chunksOf(text, 3), '2026-12-07'))).toEqual(whole);
    expect((await readAll(parser.parse([text.replace(/\n/g, '\r\n')], '2026-12-07'))).rows).toEqual(
      whole.rows,
    );
  });

  it('reads a file of a header only as no rows', async () => {
    const { rows, summary } = await readAll(parser.parse([fileOf(HEADER)], '2026-12-07'));

    expect(rows).toEqual([]);
    expect(summary.rowCount).toBe(0);
  });

  it("refuses a late row whose settlement_date is its own day, not the file's", async () => {
    const error = await failureOf(
      parser.parse(
        [fileOf(HEADER, '2026-12-06,ch_1,po_1,charge,10,USD,1,2026-12-06T08:00:00.000Z')],
        '2026-12-07',
      ),
    );

    expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({
      problem: SettlementFileProblem.RowNotOfFileDay,
      lineNumber: 2,
    });
  });

  it.each([
    ['an empty file', '', SettlementFileProblem.BadHeader, 1],
    ['another header', fileOf(HEADER.replace('type', 'kind'), ROW), SettlementFileProblem.BadHeader, 1],
    [
      'a missing field',
      fileOf(HEADER, ROW, ROW.replace(',250', '')),
      SettlementFileProblem.WrongFieldCount,
      3,
    ],
    ['an empty line', fileOf(HEADER, '', ROW), SettlementFileProblem.WrongFieldCount, 2],
    [
      'an impossible settlement_date',
      fileOf(HEADER, ROW.replace('2026-12-07,', '2026-02-30,')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an event_time without milliseconds',
      fileOf(HEADER, ROW, ROW.replace('12.345Z', '12Z')),
      SettlementFileProblem.BadDate,
      3,
    ],
    [
      'an event_time with an offset',
      fileOf(HEADER, ROW.replace('.345Z', '.345+01:00')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an event_time that does not exist',
      fileOf(HEADER, ROW.replace('10:11:12', '24:11:12')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an event_time on a day that does not exist',
      fileOf(HEADER, ROW.replace('2026-12-07T', '2026-02-29T')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an event_time with a 60th second',
      fileOf(HEADER, ROW.replace('10:11:12', '10:11:60')),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an amount that is not a number',
      fileOf(HEADER, ROW.replace('10000', '1e4')),
      SettlementFileProblem.BadAmount,
      2,
    ],
    ['a negative amount', fileOf(HEADER, ROW.replace('10000', '-10000')), SettlementFileProblem.BadAmount, 2],
    ['a zero amount', fileOf(HEADER, ROW.replace('10000', '0')), SettlementFileProblem.BadAmount, 2],
    [
      'an amount beyond 64 bits',
      fileOf(HEADER, ROW.replace('10000', '9223372036854775808')),
      SettlementFileProblem.BadAmount,
      2,
    ],
    ['a decimal fee', fileOf(HEADER, ROW.replace(',250,', ',2.5,')), SettlementFileProblem.BadAmount, 2],
    [
      'an unknown currency',
      fileOf(HEADER, ROW, ROW, ROW.replace('KRW', 'XYZ')),
      SettlementFileProblem.UnknownCurrency,
      4,
    ],
    [
      'a lower-case currency',
      fileOf(HEADER, ROW.replace('KRW', 'krw')),
      SettlementFileProblem.UnknownCurrency,
      2,
    ],
    [
      'an unknown type',
      fileOf(HEADER, ROW.replace('charge', 'chargeback')),
      SettlementFileProblem.BadField,
      2,
    ],
    ['an empty psp_reference', fileOf(HEADER, ROW.replace('ch_1', '')), SettlementFileProblem.BadField, 2],
    [
      'a reference over two lines',
      fileOf(HEADER, ROW.replace('po_1', '"po\n1"')),
      SettlementFileProblem.BadField,
      3,
    ],
    [
      'an event two days early',
      fileOf(HEADER, ROW.replace('2026-12-07T', '2026-12-05T')),
      SettlementFileProblem.RowNotOfFileDay,
      2,
    ],
    [
      'an event on the next day',
      fileOf(HEADER, ROW.replace('2026-12-07T', '2026-12-08T')),
      SettlementFileProblem.RowNotOfFileDay,
      2,
    ],
    [
      'a settlement_date of another day',
      fileOf(HEADER, ROW, ROW.replace('2026-12-07,', '2026-12-08,')),
      SettlementFileProblem.RowNotOfFileDay,
      3,
    ],
    [
      'an unclosed quote',
      fileOf(HEADER, ROW, ROW.replace('ch_1', '"ch_1')),
      SettlementFileProblem.MalformedCsv,
      3,
    ],
    ['a stray quote', fileOf(HEADER, ROW.replace('ch_1', '"ch"_1')), SettlementFileProblem.MalformedCsv, 2],
  ])('refuses %s, naming its line', async (_case, text, problem, lineNumber) => {
    const error = await failureOf(parser.parse([text], '2026-12-07'));

    expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({ problem, lineNumber });
    expect(error.message).toMatch(new RegExp(`^line ${lineNumber}: `));
  });

  it('refuses a record longer than the limit before reading it whole', async () => {
    const error = await failureOf(
      new AcmeSettlementParser({ maxLineChars: 200 }).parse(
        [fileOf(HEADER, ROW, ROW.replace('po_1', 'p'.repeat(500)))],
        '2026-12-07',
      ),
    );

    expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({
      problem: SettlementFileProblem.LineTooLong,
      lineNumber: 3,
    });
  });

  it('refuses a settlement date that is no calendar day, before reading', () => {
    expect(() => parser.parse([fileOf(HEADER)], '2026-13-01')).toThrow(RangeError);
  });

  it('is read once, and has a summary only once read to the end', async () => {
    const reading = parser.parse([fileOf(HEADER, ROW)], '2026-12-07');

    expect(() => reading.summary).toThrow('once every row has been read');
    await readAll(reading);
    await expect(readAll(reading)).rejects.toThrow('can be read once');
  });

  it('passes on an error of the stream it reads', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield `${HEADER}\n${ROW}\n`;
      throw new Error('connection reset');
    }

    await expect(readAll(parser.parse(failing(), '2026-12-07'))).rejects.toThrow('connection reset');
  });
});
