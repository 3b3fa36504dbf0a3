import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { SettlementFileProblem } from '../settlement-file.error';
import { chunksOf, failureOf, readAll } from '../settlement-reading.fixture';
import { SwiftpaySettlementParser } from './swiftpay.parser';

const GOLDEN = join(__dirname, '__fixtures__', 'swiftpay-2026-12-07.txt');
const parser = new SwiftpaySettlementParser();

const text = (value: string, width: number): string => value.padEnd(width, ' ');
const number = (value: bigint | number, width: number): string => String(value).padStart(width, '0');
const header = (day = '20261207', created = '20261208010000'): string =>
  `H${day}${text('keel-merchant', 20)}${created}`;
interface Detail {
  kind?: string;
  token?: string;
  order?: string;
  amount?: string;
  currency?: string;
  fee?: string;
  time?: string;
}
const detail = ({
  kind = 'C',
  token = 'sp_tok_1',
  order = 'po_1',
  amount,
  currency = 'KRW',
  fee,
  time = '20261207120000',
}: Detail = {}): string =>
  `D${kind}${text(token, 32)}${text(order, 64)}${amount ?? number(1000, 15)}${currency}${fee ?? number(kind === 'C' ? 25 : 0, 11)}${time}`;
const trailer = (count: number, charged: number, refunded: number, fees: number): string =>
  `T${number(count, 10)}${number(charged, 18)}${number(refunded, 18)}${number(fees, 15)}`;
const fileOf = (...lines: string[]): string => `${lines.join('\n')}\n`;
const ONE_ROW = [header(), detail(), trailer(1, 1000, 0, 25)];

describe('SwiftpaySettlementParser', () => {
  it('reads the golden file: fixed-width records, Seoul time, a fee per row, a checked trailer', async () => {
    const { rows, summary } = await readAll(parser.parse(createReadStream(GOLDEN), '2026-12-07'));

    expect(rows).toEqual([
      {
        psp: 'swiftpay',
        settlementDate: '2026-12-07',
        pspReference: 'sp_tok_0001',
        merchantReference: 'po_sw01',
        kind: 'charge',
        amountMinor: 15000n,
        currency: 'KRW',
        feeMinor: 375n,
        // One second past midnight in Seoul (UTC+9) is the day before in UTC; the row is of the file's day.
        eventAt: '2026-12-06T15:00:01.000Z',
        late: false,
        lineNumber: 2,
      },
      expect.objectContaining({
        kind: 'refund',
        amountMinor: 5000n,
        feeMinor: 0n,
        eventAt: '2026-12-07T03:00:00.000Z',
      }),
      expect.objectContaining({
        merchantReference: 'po_sw02',
        currency: 'USD',
        amountMinor: 1999n,
        late: true,
        lineNumber: 4,
      }),
    ]);
    expect(summary).toEqual({
      psp: 'swiftpay',
      settlementDate: '2026-12-07',
      rowCount: 3,
      lateRowCount: 1,
      totalsByCurrency: new Map([
        [
          'KRW',
          {
            rowCount: 2,
            chargeCount: 1,
            refundCount: 1,
            chargedMinor: 15000n,
            refundedMinor: 5000n,
            rowFeesMinor: 375n,
            fileFeeMinor: undefined,
          },
        ],
        [
          'USD',
          {
            rowCount: 1,
            chargeCount: 1,
            refundCount: 0,
            chargedMinor: 1999n,
            refundedMinor: 0n,
            rowFeesMinor: 50n,
            fileFeeMinor: undefined,
          },
        ],
      ]),
    });
  });

  it("reads docs/settlement-files.md's example", async () => {
    const example = fileOf(
      'H20261207swift_mid_test      20261208001005',
      'DCS3F0A9C21B7D4E5F60718293A       b7e0c1a2-5d3f-4e8a-9c71-2f6d8e4a1b90                            000000000010000KRW0000000032020261207191112',
      'DRS3F0A9C21B7D4E5F60718293A       b7e0c1a2-5d3f-4e8a-9c71-2f6d8e4a1b90                            000000000004000KRW0000000000020261207200002',
      'T0000000002000000000000010000000000000000004000000000000000320',
    );

    const { rows } = await readAll(parser.parse([example], '2026-12-07'));

    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'charge',
        pspReference: 'S3F0A9C21B7D4E5F60718293A',
        merchantReference: 'b7e0c1a2-5d3f-4e8a-9c71-2f6d8e4a1b90',
        amountMinor: 10000n,
        feeMinor: 320n,
        eventAt: '2026-12-07T10:11:12.000Z',
      }),
      expect.objectContaining({
        kind: 'refund',
        amountMinor: 4000n,
        feeMinor: 0n,
        eventAt: '2026-12-07T11:00:02.000Z',
      }),
    ]);
  });

  it('reads the same rows from 5-byte chunks and \\r\\n line ends', async () => {
    const file = fileOf(...ONE_ROW);
    const whole = await readAll(parser.parse([file], '2026-12-07'));

    expect(await readAll(parser.parse(chunksOf(file.replace(/\n/g, '\r\n'), 5), '2026-12-07'))).toEqual(
      whole,
    );
    expect(whole.rows).toHaveLength(1);
  });

  it('reads a file without details', async () => {
    const { rows, summary } = await readAll(
      parser.parse([fileOf(header(), trailer(0, 0, 0, 0))], '2026-12-07'),
    );

    expect(rows).toEqual([]);
    expect(summary.rowCount).toBe(0);
  });

  it.each([
    // Korea keeps no daylight saving time: the nights European and American clocks change are ordinary.
    ['the night Berlin springs forward', '2026-03-29', '20260329023000', '2026-03-28T17:30:00.000Z'],
    ['the night Berlin falls back', '2026-10-25', '20261025023000', '2026-10-24T17:30:00.000Z'],
    ['the first second of the day', '2026-12-07', '20261207000000', '2026-12-06T15:00:00.000Z'],
    ['the last second of the day', '2026-12-07', '20261207235959', '2026-12-07T14:59:59.000Z'],
  ])('converts Seoul time on %s', async (_case, settlementDate, time, eventAt) => {
    const day = settlementDate.replace(/-/g, '');
    const { rows } = await readAll(
      parser.parse(
        [fileOf(header(day, `${day}235959`), detail({ time }), trailer(1, 1000, 0, 25))],
        settlementDate,
      ),
    );

    expect(rows[0]?.eventAt).toBe(eventAt);
  });

  it.each([
    ['an empty file', '', SettlementFileProblem.BadHeader, 1],
    ['a detail first', fileOf(detail(), trailer(1, 1000, 0, 25)), SettlementFileProblem.BadHeader, 1],
    [
      'a short header',
      fileOf(header().slice(0, 42), detail(), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.BadHeader,
      1,
    ],
    [
      'a header date that does not exist',
      fileOf(header('20261232'), trailer(0, 0, 0, 0)),
      SettlementFileProblem.BadDate,
      1,
    ],
    [
      'a header of another day',
      fileOf(header('20261206'), trailer(0, 0, 0, 0)),
      SettlementFileProblem.WrongSettlementDate,
      1,
    ],
    [
      'a detail a character short',
      fileOf(header(), detail().slice(0, -1), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.WrongFieldCount,
      2,
    ],
    [
      'an unknown kind',
      fileOf(header(), detail(), detail({ kind: 'X' }), trailer(2, 2000, 0, 50)),
      SettlementFileProblem.BadField,
      3,
    ],
    [
      'an unknown record type',
      fileOf(header(), 'X'.repeat(141), trailer(0, 0, 0, 0)),
      SettlementFileProblem.BadField,
      2,
    ],
    ['a blank line', fileOf(header(), '', trailer(0, 0, 0, 0)), SettlementFileProblem.BadField, 2],
    [
      'a space-padded amount',
      fileOf(header(), detail({ amount: text('1000', 15) }), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.BadAmount,
      2,
    ],
    [
      'a zero amount',
      fileOf(header(), detail({ amount: number(0, 15) }), trailer(1, 0, 0, 25)),
      SettlementFileProblem.BadAmount,
      2,
    ],
    [
      'a refund with a fee',
      fileOf(header(), detail({ kind: 'R', fee: number(5, 11) }), trailer(1, 0, 1000, 5)),
      SettlementFileProblem.BadAmount,
      2,
    ],
    [
      'an unknown currency',
      fileOf(header(), detail({ currency: 'ABC' }), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.UnknownCurrency,
      2,
    ],
    [
      'an event hour 24',
      fileOf(header(), detail({ time: '20261207240000' }), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.BadDate,
      2,
    ],
    [
      'an event two days early',
      fileOf(header(), detail({ time: '20261205120000' }), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.RowNotOfFileDay,
      2,
    ],
    [
      'a blank order token',
      fileOf(header(), detail({ token: '' }), trailer(1, 1000, 0, 25)),
      SettlementFileProblem.BadField,
      2,
    ],
    ['no trailer', fileOf(header(), detail(), detail()), SettlementFileProblem.MissingTrailer, 4],
    ['a line after the trailer', fileOf(...ONE_ROW, detail()), SettlementFileProblem.RowAfterTrailer, 4],
    [
      'a trailer counting another number of records',
      fileOf(header(), detail(), trailer(2, 1000, 0, 25)),
      SettlementFileProblem.TrailerMismatch,
      3,
    ],
    [
      'a trailer with another sum of charges',
      fileOf(header(), detail(), trailer(1, 999, 0, 25)),
      SettlementFileProblem.TrailerMismatch,
      3,
    ],
    [
      'a trailer with another sum of refunds',
      fileOf(header(), detail(), trailer(1, 1000, 1, 25)),
      SettlementFileProblem.TrailerMismatch,
      3,
    ],
    [
      'a trailer with another sum of fees',
      fileOf(header(), detail(), trailer(1, 1000, 0, 26)),
      SettlementFileProblem.TrailerMismatch,
      3,
    ],
    [
      'a trailer a character long',
      fileOf(header(), detail(), `${trailer(1, 1000, 0, 25)}0`),
      SettlementFileProblem.WrongFieldCount,
      3,
    ],
  ])('refuses %s, naming its line', async (_case, file, problem, lineNumber) => {
    const error = await failureOf(parser.parse([file], '2026-12-07'));

    expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({ problem, lineNumber });
  });

  it('refuses a line longer than the limit without waiting for its end', async () => {
    async function* endless(): AsyncGenerator<string> {
      yield `${header()}\n`;
      for (;;) yield 'D'.repeat(1_000);
    }

    const error = await failureOf(
      new SwiftpaySettlementParser({ maxLineChars: 4_096 }).parse(endless(), '2026-12-07'),
    );

    expect({ problem: error.problem, lineNumber: error.lineNumber }).toEqual({
      problem: SettlementFileProblem.LineTooLong,
      lineNumber: 2,
    });
  });
});
