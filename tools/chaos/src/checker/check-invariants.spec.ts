import {
  chargeTransaction,
  completedPayment,
  failedPayment,
  healthyFacts,
  orphanRefundTransaction,
  simulatorCharge,
} from './__fixtures__/chaos-facts.fixture';
import type { ChaosFacts } from './chaos-facts';
import { checkInvariants } from './check-invariants';
import { invariantLine, type InvariantId } from './invariant-result';

const SETTINGS = { terminalBoundMs: 120_000 };

function resultOf(facts: ChaosFacts, invariant: InvariantId) {
  const result = checkInvariants(facts, SETTINGS).find((candidate) => candidate.invariant === invariant);
  if (result === undefined) throw new Error(`no result for ${invariant}`);
  return result;
}

describe('checkInvariants', () => {
  it('passes every invariant on a healthy run, in order I1–I8', () => {
    const results = checkInvariants(healthyFacts(), SETTINGS);
    expect(results.map((result) => result.invariant)).toEqual([
      'I1',
      'I2',
      'I3',
      'I4',
      'I5',
      'I6',
      'I7',
      'I8',
    ]);
    expect(results.filter((result) => !result.passed)).toEqual([]);
  });

  describe('I1 at most one successful charge per order', () => {
    it('fails and names the order charged at two PSPs', () => {
      const facts = healthyFacts({
        simulatorCharges: [simulatorCharge('po_1'), simulatorCharge('po_1', { psp: 'nova' })],
      });
      const result = resultOf(facts, 'I1');
      expect(result).toMatchObject({ passed: false, offending: ['po_1'], offendingCount: 1 });
      expect(invariantLine(result)).toMatch(/^I1 FAIL .*offending: po_1$/);
    });

    it('counts a charge refunded since as a charge that happened', () => {
      const refunded = simulatorCharge('po_1', {
        psp: 'nova',
        status: 'cancelled',
        refundedAmountMinor: '10000',
      });
      expect(
        resultOf(healthyFacts({ simulatorCharges: [simulatorCharge('po_1'), refunded] }), 'I1').passed,
      ).toBe(false);
    });

    it('ignores declined and pending attempts at another PSP', () => {
      const declined = simulatorCharge('po_1', { psp: 'nova', status: 'declined' });
      expect(
        resultOf(healthyFacts({ simulatorCharges: [simulatorCharge('po_1'), declined] }), 'I1').passed,
      ).toBe(true);
    });
  });

  describe('I2 credited and posted exactly once', () => {
    it('fails on a second credit with another event id, and ignores a redelivered one', () => {
      const credit = {
        eventId: 'evt_credit_po_1',
        merchantId: 'merchant_a',
        sellerId: 'seller_1',
        paymentOrderId: 'po_1',
      };
      expect(resultOf(healthyFacts({ walletCredits: [credit, credit] }), 'I2').passed).toBe(true);
      const twice = healthyFacts({ walletCredits: [credit, { ...credit, eventId: 'evt_other' }] });
      expect(resultOf(twice, 'I2')).toMatchObject({ passed: false, offending: ['po_1'] });
    });

    it('fails when a succeeded order was never posted to the ledger', () => {
      expect(resultOf(healthyFacts({ ledgerTransactions: [] }), 'I2').offending).toEqual(['po_1']);
    });

    it('fails when an order that did not succeed was credited', () => {
      const facts = healthyFacts({
        walletCredits: [
          {
            eventId: 'evt_credit_po_1',
            merchantId: 'merchant_a',
            sellerId: 'seller_1',
            paymentOrderId: 'po_1',
          },
          {
            eventId: 'evt_credit_po_9',
            merchantId: 'merchant_a',
            sellerId: 'seller_1',
            paymentOrderId: 'po_9',
          },
        ],
      });
      expect(resultOf(facts, 'I2').offending).toEqual(['po_9']);
    });
  });

  describe('I3 orphan charges refunded and in the ledger', () => {
    const failed = failedPayment('pay_2', 'po_2');

    it('passes when the orphan is refunded at the PSP and in the ledger', () => {
      const facts = healthyFacts({
        payments: [completedPayment('pay_1', 'po_1'), failed],
        simulatorCharges: [
          simulatorCharge('po_1'),
          simulatorCharge('po_2', { status: 'cancelled', refundedAmountMinor: '10000' }),
        ],
        ledgerTransactions: [chargeTransaction('po_1'), orphanRefundTransaction('po_2')],
      });
      expect(resultOf(facts, 'I3')).toMatchObject({ passed: true, checked: 1 });
    });

    it('fails on an orphan the PSP still holds and the ledger never refunded', () => {
      const facts = healthyFacts({
        payments: [completedPayment('pay_1', 'po_1'), failed],
        simulatorCharges: [simulatorCharge('po_1'), simulatorCharge('po_2')],
      });
      expect(resultOf(facts, 'I3')).toMatchObject({ passed: false, offending: ['po_2'] });
    });
  });

  describe('I4 balanced ledger', () => {
    it('fails on a transaction whose postings do not sum to zero', () => {
      const broken = chargeTransaction('po_1');
      const unbalanced = { ...broken, postings: broken.postings.slice(0, 2) };
      expect(resultOf(healthyFacts({ ledgerTransactions: [unbalanced] }), 'I4').offending).toEqual([
        'tx_po_1',
      ]);
    });

    it("fails on the ledger's own trial balance and balance check", () => {
      const facts = healthyFacts({
        ledgerSelfCheck: {
          trialBalanced: false,
          unbalancedCurrencies: ['USD'],
          balancesConsistent: false,
          mismatchedAccountIds: ['fee_revenue:USD'],
        },
      });
      expect(resultOf(facts, 'I4').offending).toEqual(['fee_revenue:USD', 'trial-balance:USD']);
    });
  });

  it('I5 fails when a wallet and its payable differ, a missing side reading as zero', () => {
    const facts = healthyFacts({
      walletBalances: [
        { merchantId: 'merchant_a', owner: 'seller_1', currency: 'KRW', balanceMinor: '19400' },
        { merchantId: 'merchant_a', owner: 'seller_2', currency: 'USD', balanceMinor: '50' },
      ],
    });
    expect(resultOf(facts, 'I5').offending).toEqual(['merchant_a/seller_1:KRW', 'merchant_a/seller_2:USD']);
  });

  it('I5 compares per merchant: one seller id of two merchants never nets out', () => {
    const facts = healthyFacts({
      walletBalances: [
        { merchantId: 'merchant_a', owner: 'seller_1', currency: 'KRW', balanceMinor: '9000' },
        { merchantId: 'merchant_b', owner: 'seller_1', currency: 'KRW', balanceMinor: '700' },
      ],
      sellerPayables: [
        { merchantId: 'merchant_a', owner: 'seller_1', currency: 'KRW', balanceMinor: '9700' },
        { merchantId: 'merchant_b', owner: 'seller_1', currency: 'KRW', balanceMinor: '0' },
      ],
    });
    expect(resultOf(facts, 'I5').offending).toEqual(['merchant_a/seller_1:KRW', 'merchant_b/seller_1:KRW']);
  });

  it("I6 fails when psp-sim's captured minus refunded differs from the clearing balance", () => {
    const facts = healthyFacts({ pspClearings: [{ owner: 'acme', currency: 'KRW', balanceMinor: '20000' }] });
    expect(resultOf(facts, 'I6')).toMatchObject({ passed: false, offending: ['acme:KRW'] });
    const refunded = healthyFacts({
      simulatorCharges: [simulatorCharge('po_1', { refundedAmountMinor: '4000' })],
      pspClearings: [{ owner: 'acme', currency: 'KRW', balanceMinor: '6000' }],
    });
    expect(resultOf(refunded, 'I6').passed).toBe(true);
  });

  describe("I6 with reconciliation's runs", () => {
    const run = healthyFacts().reconciliation.runs[0] as ChaosFacts['reconciliation']['runs'][number];
    const reconciled = (overrides: Partial<ChaosFacts['reconciliation']>) =>
      healthyFacts({ reconciliation: { runs: [run], openDiscrepancies: [], ...overrides } });

    it('passes when every run completed, agrees, and nothing is left open', () => {
      expect(resultOf(reconciled({}), 'I6')).toMatchObject({ passed: true, checked: 2 });
    });

    it('fails on an open discrepancy of any class, naming it', () => {
      const facts = reconciled({
        openDiscrepancies: [
          {
            psp: 'nova',
            date: '2026-11-23',
            class: 'missing_in_keel',
            matchKey: 'po_9/ch_9',
            reason: 'no success',
          },
        ],
      });
      expect(resultOf(facts, 'I6')).toMatchObject({
        passed: false,
        offending: ['recon:nova:2026-11-23:missing_in_keel:po_9/ch_9'],
      });
    });

    it.each([
      ['a failed run', { status: 'failed', problem: 'settlement-download-failed' }, 'recon:acme:2026-11-23'],
      ['a lagging view', { walletsLagging: true, walletsAgree: false }, 'recon:acme:2026-11-23'],
      ['wallets that differ from the ledger', { walletsAgree: false }, 'recon:acme:2026-11-23'],
      ['a clearing day no late row explains', { clearingUnexplained: ['KRW'] }, 'recon:acme:2026-11-23:KRW'],
    ])('fails on %s', (_case, change, offending) => {
      expect(resultOf(reconciled({ runs: [{ ...run, ...change }] }), 'I6')).toMatchObject({
        passed: false,
        offending: [offending],
      });
    });
  });

  describe('I7 terminal within the bound', () => {
    it('fails on an accepted payment that is not terminal', () => {
      const pending = { ...completedPayment('pay_1', 'po_1'), status: 'processing' };
      expect(resultOf(healthyFacts({ payments: [pending] }), 'I7')).toMatchObject({
        passed: false,
        offending: ['pay_1'],
      });
    });

    it('fails on a payment that finished later than the bound after the faults stopped', () => {
      const slow = { ...completedPayment('pay_1', 'po_1'), updatedAt: '2026-11-23T10:05:00.000Z' };
      const result = resultOf(healthyFacts({ payments: [slow] }), 'I7');
      expect(result).toMatchObject({ passed: false, offending: ['pay_1'] });
      expect(result.detail).toContain('slowest pay_1, 300000 ms');
    });
  });

  describe('I8 one payment per key', () => {
    it('fails when two 2xx answers for one key carry different payment ids', () => {
      const facts = healthyFacts({
        checkouts: [
          {
            idempotencyKey: 'key_1',
            merchantId: 'merchant_a',
            answeredPaymentIds: ['pay_1', 'pay_x'],
            listedPaymentIds: ['pay_1'],
          },
        ],
      });
      expect(resultOf(facts, 'I8').offending).toEqual(['key_1']);
    });

    it('fails when the payment API lists two payments for one checkout', () => {
      const facts = healthyFacts({
        checkouts: [
          {
            idempotencyKey: 'key_1',
            merchantId: 'merchant_a',
            answeredPaymentIds: ['pay_1'],
            listedPaymentIds: ['pay_1', 'pay_2'],
          },
        ],
      });
      expect(resultOf(facts, 'I8').passed).toBe(false);
    });

    it('fails on a psp-sim charge for an order Keel does not hold', () => {
      const facts = healthyFacts({
        simulatorCharges: [simulatorCharge('po_1'), simulatorCharge('po_ghost', { status: 'declined' })],
      });
      expect(resultOf(facts, 'I8').offending).toEqual(['po_ghost']);
    });
  });

  it('lists at most 20 offending ids but counts them all', () => {
    const charges = Array.from({ length: 25 }, (_, index) => [
      simulatorCharge(`po_${index}`),
      simulatorCharge(`po_${index}`, { psp: 'nova' }),
    ]).flat();
    const result = resultOf(healthyFacts({ simulatorCharges: charges }), 'I1');
    expect(result.offending).toHaveLength(20);
    expect(result.offendingCount).toBe(25);
  });
});
