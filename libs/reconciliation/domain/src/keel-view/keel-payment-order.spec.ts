import {
  applyPaymentOrderFact,
  foldPaymentOrderFacts,
  keelOrderStatusOf,
  PaymentOrderFactConflict,
  recordKeyOf,
  type KeelPaymentOrderRecord,
  type OrphanChargeFact,
  type PaymentOrderOutcomeFact,
} from './keel-payment-order';
import { pspClearingMovementsOf, PspClearingAccountError } from './psp-clearing-movement';

const AT = new Date('2026-12-07T10:00:00.000Z');
const LATER = new Date('2026-12-07T11:00:00.000Z');

function outcome(overrides: Partial<PaymentOrderOutcomeFact> = {}): PaymentOrderOutcomeFact {
  return {
    kind: 'outcome',
    eventId: 'e-outcome',
    psp: 'acme',
    paymentOrderId: 'po_1',
    status: 'succeeded',
    at: AT,
    amountMinor: 10_000n,
    currency: 'KRW',
    merchantId: 'merchant-1',
    pspReference: 'ch_1',
    ...overrides,
  };
}

function orphan(overrides: Partial<OrphanChargeFact> = {}): OrphanChargeFact {
  return {
    kind: 'orphan_charge',
    eventId: 'e-orphan',
    psp: 'acme',
    paymentOrderId: 'po_1',
    pspReference: 'ch_1',
    amountMinor: 10_000n,
    currency: 'KRW',
    detectedAt: LATER,
    ...overrides,
  };
}

const failed = (overrides: Partial<PaymentOrderOutcomeFact> = {}) =>
  outcome({ status: 'failed', merchantId: undefined, pspReference: undefined, ...overrides });

describe('applyPaymentOrderFact', () => {
  it('records a success with its reference, merchant, amount and instant', () => {
    expect(applyPaymentOrderFact(undefined, outcome())).toEqual({
      psp: 'acme',
      paymentOrderId: 'po_1',
      merchantId: 'merchant-1',
      pspReference: 'ch_1',
      amountMinor: 10_000n,
      currency: 'KRW',
      status: 'succeeded',
      outcomeAt: AT,
      orphanDetectedAt: undefined,
    });
  });

  it('changes nothing for the same outcome again, under another event id and instant', () => {
    const record = applyPaymentOrderFact(undefined, outcome());
    expect(applyPaymentOrderFact(record, outcome({ eventId: 'e-again', at: LATER }))).toBe(record);
  });

  it('refuses another outcome, or the same with another amount, naming the event', () => {
    const record = applyPaymentOrderFact(undefined, outcome());
    expect(() => applyPaymentOrderFact(record, failed({ eventId: 'e-failed' }))).toThrow(
      expect.objectContaining({ name: 'PaymentOrderFactConflict', eventId: 'e-failed' }),
    );
    expect(() => applyPaymentOrderFact(record, outcome({ amountMinor: 9_999n }))).toThrow(
      PaymentOrderFactConflict,
    );
    expect(() => applyPaymentOrderFact(record, outcome({ pspReference: 'ch_other' }))).toThrow(
      /PSP reference ch_1/,
    );
  });

  it('keeps a failed order failed when its orphan charge is detected, gaining the reference', () => {
    const record = applyPaymentOrderFact(undefined, failed());
    const after = applyPaymentOrderFact(record, orphan());
    expect(after).toMatchObject({
      status: 'failed',
      pspReference: 'ch_1',
      outcomeAt: AT,
      orphanDetectedAt: LATER,
    });
    expect(keelOrderStatusOf(after.status)).toBe('failed');
    // The refund event repeats the orphan charge: nothing new.
    expect(applyPaymentOrderFact(after, orphan({ eventId: 'e-refunded' }))).toBe(after);
  });

  it('starts a record without status for an orphan charge at a PSP where Keel recorded no outcome', () => {
    const record = applyPaymentOrderFact(undefined, orphan({ psp: 'nova', pspReference: 'N1' }));
    expect(record).toMatchObject({ status: undefined, outcomeAt: LATER, orphanDetectedAt: LATER });
    expect(keelOrderStatusOf(record.status)).toBe('failed');
    const declined = applyPaymentOrderFact(record, failed({ psp: 'nova', status: 'declined', at: AT }));
    expect(declined).toMatchObject({
      status: 'declined',
      outcomeAt: AT,
      pspReference: 'N1',
      orphanDetectedAt: LATER,
    });
  });

  it('refuses an orphan charge where the order succeeded, and a success where an orphan charge is', () => {
    const succeeded = applyPaymentOrderFact(undefined, outcome());
    expect(() => applyPaymentOrderFact(succeeded, orphan())).toThrow(PaymentOrderFactConflict);
    const orphaned = applyPaymentOrderFact(undefined, orphan());
    expect(() => applyPaymentOrderFact(orphaned, outcome())).toThrow(PaymentOrderFactConflict);
  });
});

describe('foldPaymentOrderFacts', () => {
  it('folds a chunk per order over the stored records, returning only changed ones in key order', () => {
    const stored = applyPaymentOrderFact(undefined, outcome({ paymentOrderId: 'po_b' }));
    const storedMap = new Map<string, KeelPaymentOrderRecord>([[recordKeyOf(stored), stored]]);
    const written = foldPaymentOrderFacts(storedMap, [
      outcome({ paymentOrderId: 'po_b', eventId: 'again' }),
      failed({ psp: 'nova', paymentOrderId: 'po_a' }),
      failed({ paymentOrderId: 'po_c' }),
      orphan({ paymentOrderId: 'po_c', pspReference: 'ch_c' }),
      failed({ paymentOrderId: 'po_C' }),
    ]);
    expect(written.map((record) => [record.psp, record.paymentOrderId, record.pspReference])).toEqual([
      ['acme', 'po_C', undefined],
      ['acme', 'po_c', 'ch_c'],
      ['nova', 'po_a', undefined],
    ]);
  });
});

describe('pspClearingMovementsOf', () => {
  it('signs clearing postings as the asset grows and leaves other accounts out', () => {
    expect(
      pspClearingMovementsOf([
        { accountId: 'psp_clearing:nova:EUR', direction: 'credit', amountMinor: 500n, currency: 'EUR' },
        {
          accountId: 'orphan_refund_payable:nova:EUR',
          direction: 'debit',
          amountMinor: 500n,
          currency: 'EUR',
        },
        { accountId: 'psp_clearing:acme:KRW', direction: 'debit', amountMinor: 10_000n, currency: 'KRW' },
        { accountId: 'seller_payable:abc:KRW', direction: 'credit', amountMinor: 9_700n, currency: 'KRW' },
      ]),
    ).toEqual([
      { psp: 'acme', currency: 'KRW', amountMinor: 10_000n },
      { psp: 'nova', currency: 'EUR', amountMinor: -500n },
    ]);
  });

  it('refuses a clearing account without a PSP or of another currency', () => {
    const posting = { direction: 'debit', amountMinor: 1n, currency: 'KRW' } as const;
    expect(() => pspClearingMovementsOf([{ ...posting, accountId: 'psp_clearing:KRW' }])).toThrow(
      PspClearingAccountError,
    );
    expect(() => pspClearingMovementsOf([{ ...posting, accountId: 'psp_clearing:acme:USD' }])).toThrow(
      PspClearingAccountError,
    );
  });
});
