import type { SettlementFileSummary } from '../settlement-file-summary';
import type { SettlementRow } from '../settlement-row';
import {
  contractFeeMinor,
  contractFeeOfRow,
  DEFAULT_PSP_FEE_CONTRACTS,
  FileFeeCheck,
  parsePspFeeContracts,
} from './fee-contract';

const row = (overrides: Partial<SettlementRow>): SettlementRow => ({
  psp: 'nova',
  settlementDate: '2026-12-07',
  pspReference: 'nv_1',
  merchantReference: 'po_1',
  kind: 'charge',
  amountMinor: 1_000n,
  currency: 'EUR',
  feeMinor: undefined,
  eventAt: '2026-12-07T10:00:00.000Z',
  late: false,
  lineNumber: 2,
  ...overrides,
});

const summaryWithFileFees = (fees: Record<string, bigint>): SettlementFileSummary => ({
  psp: 'nova',
  settlementDate: '2026-12-07',
  rowCount: 0,
  lateRowCount: 0,
  totalsByCurrency: new Map(
    Object.entries(fees).map(([currency, fileFeeMinor]) => [
      currency as 'EUR',
      {
        rowCount: 0,
        chargeCount: 0,
        refundCount: 0,
        chargedMinor: 0n,
        refundedMinor: 0n,
        rowFeesMinor: undefined,
        fileFeeMinor,
      },
    ]),
  ),
});

describe('PSP fee contracts', () => {
  it.each([
    [250, 10_000n, 'KRW', 250n],
    // 2.5 % of 1,010 won is 25.25: half-up rounds to 25.
    [250, 1_010n, 'KRW', 25n],
    // 2.5 % of 1,020 won is 25.5: half-up rounds the tie up.
    [250, 1_020n, 'KRW', 26n],
    [180, 1_999n, 'USD', 36n],
    [0, 5_000n, 'EUR', 0n],
  ] as const)('%i bp of %i %s is %i, rounded half-up', (basisPoints, amountMinor, currency, feeMinor) => {
    expect(contractFeeMinor({ basisPoints }, amountMinor, currency)).toBe(feeMinor);
  });

  it('allows no fee on a refund', () => {
    expect(contractFeeOfRow({ basisPoints: 250 }, row({ kind: 'refund' }))).toBe(0n);
    expect(contractFeeOfRow({ basisPoints: 250 }, row({ kind: 'charge' }))).toBe(25n);
  });

  it("defaults to psp-sim's contracts", () => {
    expect(parsePspFeeContracts('{"acme":250,"nova":290,"swiftpay":320}')).toEqual(DEFAULT_PSP_FEE_CONTRACTS);
  });

  it('reads contracts for every PSP from configuration', () => {
    expect(parsePspFeeContracts('{"acme":250,"nova":180,"swiftpay":300}')).toEqual({
      acme: { basisPoints: 250 },
      nova: { basisPoints: 180 },
      swiftpay: { basisPoints: 300 },
    });
  });

  it.each([
    ['not JSON', '{acme:250}', 'must be JSON'],
    ['an array', '[250]', 'must be a JSON object'],
    ['an unknown PSP', '{"acme":250,"nova":180,"swiftpay":300,"zeta":1}', 'unknown PSP zeta'],
    ['a missing PSP', '{"acme":250,"nova":180}', 'swiftpay must be whole basis points'],
    ['a fraction', '{"acme":2.5,"nova":180,"swiftpay":300}', 'acme must be whole basis points'],
    ['the whole amount', '{"acme":10000,"nova":180,"swiftpay":300}', 'acme must be whole basis points'],
  ])('refuses %s', (_case, json, message) => {
    expect(() => parsePspFeeContracts(json)).toThrow(message);
  });

  describe('FileFeeCheck (nova: a fee per file)', () => {
    it("compares the file's fee with the sum of per-row contract fees, per currency", () => {
      const check = new FileFeeCheck({ basisPoints: 250 });
      // 2.5 % of 1,010 cents is 25.25 → 25 per row: the file may keep 50, not round(50.5) = 51.
      check.add(row({ amountMinor: 1_010n }));
      check.add(row({ amountMinor: 1_010n }));
      check.add(row({ kind: 'refund', amountMinor: 500n }));
      check.add(row({ currency: 'KRW', amountMinor: 10_000n }));

      expect(check.differences(summaryWithFileFees({ EUR: 50n, KRW: 250n }))).toEqual([]);
      expect(check.differences(summaryWithFileFees({ EUR: 51n, KRW: 200n }))).toEqual([
        { currency: 'EUR', statedMinor: 51n, contractMinor: 50n, differenceMinor: 1n },
        { currency: 'KRW', statedMinor: 200n, contractMinor: 250n, differenceMinor: -50n },
      ]);
    });

    it('finds a fee stated for a currency without rows', () => {
      expect(new FileFeeCheck({ basisPoints: 250 }).differences(summaryWithFileFees({ EUR: 5n }))).toEqual([
        { currency: 'EUR', statedMinor: 5n, contractMinor: 0n, differenceMinor: 5n },
      ]);
    });
  });
});
