import type { SettlementRow } from '../settlement-row';
import { classifyOrder } from './classify-order';
import type { KeelOrderView } from './keel-order-view';

const DAY = '2026-12-07';

const keelOrder = (overrides: Partial<KeelOrderView> = {}): KeelOrderView => ({
  merchantReference: 'po_1',
  pspReference: 'ch_1',
  status: 'succeeded',
  amountMinor: 10_000n,
  currency: 'KRW',
  chargedOn: DAY,
  refundedMinor: 0n,
  expectedFeeMinor: 250n,
  ...overrides,
});

let nextLine = 2;
const row = (overrides: Partial<SettlementRow> = {}): SettlementRow => ({
  psp: 'acme',
  settlementDate: DAY,
  pspReference: 'ch_1',
  merchantReference: 'po_1',
  kind: 'charge',
  amountMinor: 10_000n,
  currency: 'KRW',
  feeMinor: 250n,
  eventAt: '2026-12-07T10:00:00.000Z',
  late: false,
  lineNumber: nextLine++,
  ...overrides,
});
const refund = (amountMinor: bigint, overrides: Partial<SettlementRow> = {}): SettlementRow =>
  row({ kind: 'refund', amountMinor, feeMinor: 0n, eventAt: '2026-12-07T11:00:00.000Z', ...overrides });

const verdictOf = (keel: KeelOrderView | undefined, rows: SettlementRow[]) => {
  const { class: reconciliationClass, moneyAtRisk } = classifyOrder(keel, rows, DAY);
  return { class: reconciliationClass, atRisk: moneyAtRisk.amountMinor, currency: moneyAtRisk.currency };
};

describe('classifyOrder', () => {
  describe('matched', () => {
    it('a charge as Keel holds it, with the contract fee', () => {
      expect(verdictOf(keelOrder(), [row()])).toEqual({ class: 'matched', atRisk: 0n, currency: 'KRW' });
    });

    it('a charge and a part refund both sides hold', () => {
      expect(verdictOf(keelOrder({ refundedMinor: 4_000n }), [row(), refund(4_000n)])).toEqual(
        expect.objectContaining({ class: 'matched' }),
      );
    });

    it('a refund on a later day of an earlier charge', () => {
      expect(
        verdictOf(keelOrder({ chargedOn: '2026-12-01', refundedMinor: 10_000n }), [refund(10_000n)]),
      ).toEqual(expect.objectContaining({ class: 'matched' }));
    });

    it('a fee-less dialect (nova) compares no per-row fee', () => {
      expect(verdictOf(keelOrder(), [row({ psp: 'nova', feeMinor: undefined })])).toEqual(
        expect.objectContaining({ class: 'matched' }),
      );
    });

    it("an orphan charge Keel failed and refunded the same day (the executor's orphan refund)", () => {
      expect(
        verdictOf(keelOrder({ status: 'failed', refundedMinor: 10_000n }), [row(), refund(10_000n)]),
      ).toEqual(expect.objectContaining({ class: 'matched', atRisk: 0n }));
    });

    it("the refund of an orphan charge, in the next day's file", () => {
      expect(
        verdictOf(keelOrder({ status: 'unknown', chargedOn: undefined, refundedMinor: 10_000n }), [
          refund(10_000n),
        ]),
      ).toEqual(expect.objectContaining({ class: 'matched' }));
    });

    it('a declined order the file rightly lacks', () => {
      expect(verdictOf(keelOrder({ status: 'declined', chargedOn: undefined }), [])).toEqual(
        expect.objectContaining({ class: 'matched' }),
      );
    });

    it('names the order by Keel, or by the row when Keel has none', () => {
      expect(classifyOrder(keelOrder(), [row()], DAY)).toEqual(
        expect.objectContaining({
          merchantReference: 'po_1',
          pspReference: 'ch_1',
          reason: 'both sides agree',
        }),
      );
      expect(
        classifyOrder(undefined, [row({ merchantReference: 'po_9', pspReference: 'ch_9' })], DAY),
      ).toEqual(expect.objectContaining({ merchantReference: 'po_9', pspReference: 'ch_9' }));
    });
  });

  describe('missing_in_keel: the PSP charged, Keel has no success', () => {
    it('for an order Keel never held: the net charge at risk', () => {
      expect(verdictOf(undefined, [row({ amountMinor: 7_000n })])).toEqual({
        class: 'missing_in_keel',
        atRisk: 7_000n,
        currency: 'KRW',
      });
    });

    it.each(['failed', 'declined', 'unknown'] as const)('for an order Keel holds as %s', (status) => {
      expect(verdictOf(keelOrder({ status, chargedOn: undefined }), [row()])).toEqual({
        class: 'missing_in_keel',
        atRisk: 10_000n,
        currency: 'KRW',
      });
    });

    it('net of what the PSP refunded already', () => {
      expect(
        verdictOf(keelOrder({ status: 'failed', chargedOn: undefined }), [row(), refund(4_000n)]),
      ).toEqual(expect.objectContaining({ class: 'missing_in_keel', atRisk: 6_000n }));
    });
  });

  describe('missing_at_psp: Keel has a success the file lacks', () => {
    it("a charge of the file's day: Keel's amount at risk", () => {
      expect(verdictOf(keelOrder(), [])).toEqual({
        class: 'missing_at_psp',
        atRisk: 10_000n,
        currency: 'KRW',
      });
    });

    it('a charge the file lacks, though it has the refund', () => {
      expect(verdictOf(keelOrder({ refundedMinor: 10_000n }), [refund(10_000n)])).toEqual(
        expect.objectContaining({ class: 'missing_at_psp', atRisk: 10_000n }),
      );
    });

    it('a refund Keel made that the file lacks', () => {
      expect(verdictOf(keelOrder({ chargedOn: '2026-12-01', refundedMinor: 3_000n }), [])).toEqual(
        expect.objectContaining({ class: 'missing_at_psp', atRisk: 3_000n }),
      );
    });

    it('an orphan refund Keel made that the file lacks', () => {
      expect(
        verdictOf(keelOrder({ status: 'failed', chargedOn: undefined, refundedMinor: 3_000n }), []),
      ).toEqual(expect.objectContaining({ class: 'missing_at_psp', atRisk: 3_000n }));
    });

    it('not for a success of an earlier day with nothing to settle today', () => {
      expect(verdictOf(keelOrder({ chargedOn: '2026-12-01' }), [])).toEqual(
        expect.objectContaining({ class: 'matched' }),
      );
    });
  });

  describe('amount_mismatch', () => {
    it('a charge of another amount: the difference at risk', () => {
      expect(verdictOf(keelOrder(), [row({ amountMinor: 10_500n })])).toEqual({
        class: 'amount_mismatch',
        atRisk: 500n,
        currency: 'KRW',
      });
    });

    it("a charge in another currency: Keel's whole amount at risk", () => {
      expect(verdictOf(keelOrder(), [row({ currency: 'JPY' })])).toEqual({
        class: 'amount_mismatch',
        atRisk: 10_000n,
        currency: 'KRW',
      });
    });

    it('two different charges for one order', () => {
      expect(verdictOf(keelOrder(), [row(), row({ eventAt: '2026-12-07T10:00:01.000Z' })])).toEqual(
        expect.objectContaining({ class: 'amount_mismatch', atRisk: 10_000n }),
      );
    });
  });

  describe('status_mismatch', () => {
    it('the PSP refunded, Keel shows the order charged', () => {
      expect(verdictOf(keelOrder(), [row(), refund(10_000n)])).toEqual({
        class: 'status_mismatch',
        atRisk: 10_000n,
        currency: 'KRW',
      });
    });

    it('Keel refunded, the PSP shows the order charged', () => {
      const classified = classifyOrder(keelOrder({ refundedMinor: 2_500n }), [row()], DAY);

      expect(classified).toEqual(
        expect.objectContaining({
          class: 'status_mismatch',
          moneyAtRisk: { amountMinor: 2_500n, currency: 'KRW' },
        }),
      );
      expect(classified.reason).toBe('Keel refunded 2500 KRW; the PSP refunded 0 KRW that day');
    });

    it('the PSP refunded an order Keel failed and never refunded', () => {
      expect(verdictOf(keelOrder({ status: 'failed', chargedOn: undefined }), [refund(10_000n)])).toEqual(
        expect.objectContaining({ class: 'status_mismatch', atRisk: 10_000n }),
      );
    });
  });

  describe('fee_mismatch', () => {
    it('a fee above the contract: the difference at risk', () => {
      expect(verdictOf(keelOrder(), [row({ feeMinor: 300n })])).toEqual({
        class: 'fee_mismatch',
        atRisk: 50n,
        currency: 'KRW',
      });
    });

    it('a fee below the contract', () => {
      expect(verdictOf(keelOrder(), [row({ feeMinor: 0n })])).toEqual(
        expect.objectContaining({ class: 'fee_mismatch', atRisk: 250n }),
      );
    });

    it('a fee on a refund', () => {
      expect(
        verdictOf(keelOrder({ refundedMinor: 1_000n }), [row(), refund(1_000n, { feeMinor: 10n })]),
      ).toEqual(expect.objectContaining({ class: 'fee_mismatch', atRisk: 10n }));
    });
  });

  describe('duplicate', () => {
    it('the same row twice: the copy at risk, before any other rule', () => {
      const first = row();
      const copy = { ...first, lineNumber: 40 };

      expect(verdictOf(keelOrder(), [first, copy])).toEqual({
        class: 'duplicate',
        atRisk: 10_000n,
        currency: 'KRW',
      });
      expect(classifyOrder(keelOrder(), [first, copy], DAY).reason).toBe(
        'line 40 repeats an earlier row exactly',
      );
    });

    it('a refund repeated for an order Keel never held', () => {
      const first = refund(3_000n);

      expect(
        verdictOf(undefined, [first, { ...first, lineNumber: 9 }, { ...first, lineNumber: 10 }]),
      ).toEqual(expect.objectContaining({ class: 'duplicate', atRisk: 6_000n }));
    });
  });

  describe('timing', () => {
    it("a late row matching the previous day's order", () => {
      expect(
        verdictOf(keelOrder({ chargedOn: '2026-12-06' }), [
          row({ late: true, eventAt: '2026-12-06T23:00:00.000Z' }),
        ]),
      ).toEqual({
        class: 'timing',
        atRisk: 0n,
        currency: 'KRW',
      });
    });

    it('not when the late row disagrees on the amount', () => {
      expect(
        verdictOf(keelOrder({ chargedOn: '2026-12-06' }), [row({ late: true, amountMinor: 9_000n })]),
      ).toEqual(expect.objectContaining({ class: 'amount_mismatch' }));
    });
  });

  it('refuses to classify nothing', () => {
    expect(() => classifyOrder(undefined, [], DAY)).toThrow(RangeError);
  });
});
