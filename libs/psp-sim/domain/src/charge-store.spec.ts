import { testFees } from '../test/fees';
import { sequentialIds } from '../test/fixed-ids';
import { ChargeStore, type ChargeRequest } from './charge-store';
import { SimulatorErrorCode } from './simulator.error';
import { thrownBy } from '../test/thrown-by';

const NOW_MS = 1_700_000_000_000;

function request(overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    psp: 'acme',
    idempotencyKey: 'po_1',
    amountMinor: 10_000n,
    currency: 'KRW',
    method: 'card',
    issuer: 'shinhan',
    instrumentToken: 'tok_approve',
    reference: 'ref_1',
    fingerprint: 'body-1',
    twoStep: false,
    ...overrides,
  };
}

function newStore(maxCharges = 100): ChargeStore {
  return new ChargeStore({
    maxCharges,
    feeBasisPoints: testFees({ nova: 290, swiftpay: 320 }),
    ids: sequentialIds(),
  });
}

describe('ChargeStore', () => {
  describe('idempotency by (psp, key)', () => {
    it('answers a repeat with the same fingerprint with the same charge and counts the attempt', () => {
      const store = newStore();
      const first = store.submit(request(), NOW_MS);
      const again = store.submit(request(), NOW_MS + 10);
      expect(first.kind).toBe('created');
      expect(again.kind).toBe('replayed');
      expect(again.charge.id).toBe(first.charge.id);
      expect(again.charge.attempts).toBe(2);
      expect(store.size).toBe(1);
    });

    it('reports a repeat with another fingerprint as a conflict and charges nothing', () => {
      const store = newStore();
      store.submit(request(), NOW_MS);
      const conflict = store.submit(request({ fingerprint: 'body-2', amountMinor: 99n }), NOW_MS);
      expect(conflict.kind).toBe('conflict');
      expect(conflict.charge.amountMinor).toBe(10_000n);
      expect(conflict.charge.attempts).toBe(2);
      expect(store.size).toBe(1);
    });

    it('keeps the same key apart on two PSPs', () => {
      const store = newStore();
      store.submit(request(), NOW_MS);
      const nova = store.submit(request({ psp: 'nova' }), NOW_MS);
      expect(nova.kind).toBe('created');
      expect(store.list({ idempotencyKey: 'po_1' }).map((charge) => charge.psp)).toEqual(['acme', 'nova']);
    });

    it('refuses new charges beyond its capacity instead of evicting ground truth', () => {
      const store = newStore(1);
      store.submit(request(), NOW_MS);
      expect(store.submit(request(), NOW_MS).kind).toBe('replayed');
      expect(thrownBy(() => store.submit(request({ idempotencyKey: 'po_2' }), NOW_MS))).toMatchObject({
        code: SimulatorErrorCode.CapacityExceeded,
      });
      expect(store.size).toBe(1);
    });
  });

  describe('outcomes', () => {
    it('approves with the fee rounded half up and the settlement time', () => {
      const { charge } = newStore().submit(request({ amountMinor: 1_234n }), NOW_MS);
      expect(charge).toMatchObject({ status: 'approved', feeMinor: 31n, settledAtMs: NOW_MS });
    });

    it("takes the fee of the charge's own PSP", () => {
      const store = newStore();
      const nova = store.submit(request({ psp: 'nova', amountMinor: 1_234n }), NOW_MS).charge;
      const swiftpay = store.submit(request({ psp: 'swiftpay', amountMinor: 1_234n }), NOW_MS).charge;
      expect([nova.feeMinor, swiftpay.feeMinor]).toEqual([36n, 39n]);
    });

    it('declines with the code and no fee', () => {
      const { charge } = newStore().submit(request({ instrumentToken: 'tok_decline_expired_card' }), NOW_MS);
      expect(charge).toMatchObject({ status: 'declined', declineCode: 'expired_card', feeMinor: 0n });
    });

    it('resolves a pending charge once, to its eventual outcome', () => {
      const store = newStore();
      const { charge } = store.submit(request({ instrumentToken: 'tok_pending_decline' }), NOW_MS);
      expect(charge.status).toBe('pending');
      expect(charge.settledAtMs).toBeUndefined();
      const resolved = store.resolvePending('acme', charge.id, NOW_MS + 2_000);
      expect(resolved).toMatchObject({
        status: 'declined',
        declineCode: 'insufficient_funds',
        settledAtMs: NOW_MS + 2_000,
      });
      expect(store.resolvePending('acme', charge.id, NOW_MS + 3_000)).toBeUndefined();
    });

    it("declines do_not_honor with the issuer's message when a fault says so, at the decision", () => {
      const asked: unknown[] = [];
      const store = new ChargeStore({
        maxCharges: 10,
        feeBasisPoints: testFees(),
        ids: sequentialIds(),
        issuerDecline: (target, nowMs) => {
          asked.push({ target, nowMs });
          return target.issuer === 'shinhan' ? { message: 'Issuer unavailable' } : undefined;
        },
      });
      const { charge } = store.submit(request(), NOW_MS);
      expect(charge).toMatchObject({
        status: 'declined',
        declineCode: 'do_not_honor',
        declineMessage: 'Issuer unavailable',
        settledAtMs: NOW_MS,
        feeMinor: 0n,
      });
      expect(store.submit(request({ idempotencyKey: 'po_2', issuer: 'kb' }), NOW_MS).charge).toMatchObject({
        status: 'approved',
        declineMessage: undefined,
      });
      // A replay is answered as decided: the issuer is not asked again.
      expect(store.submit(request(), NOW_MS + 1).charge.status).toBe('declined');
      const ready = store.submit(request({ psp: 'swiftpay', idempotencyKey: 'po_3', twoStep: true }), NOW_MS);
      expect(ready.charge.status).toBe('ready');
      expect(store.authorize('swiftpay', ready.charge.id, NOW_MS + 5)?.charge.status).toBe('declined');
      expect(asked).toEqual([
        { target: { psp: 'acme', method: 'card', issuer: 'shinhan' }, nowMs: NOW_MS },
        { target: { psp: 'acme', method: 'card', issuer: 'kb' }, nowMs: NOW_MS },
        { target: { psp: 'swiftpay', method: 'card', issuer: 'shinhan' }, nowMs: NOW_MS + 5 },
      ]);
    });

    it('keeps a two-step charge ready until authorized, then replays the authorization', () => {
      const store = newStore();
      const { charge } = store.submit(request({ psp: 'swiftpay', twoStep: true }), NOW_MS);
      expect(charge.status).toBe('ready');
      expect(store.authorize('swiftpay', charge.id, NOW_MS)).toMatchObject({
        kind: 'authorized',
        charge: { status: 'approved', attempts: 2 },
      });
      expect(store.authorize('swiftpay', charge.id, NOW_MS)).toMatchObject({
        kind: 'replayed',
        charge: { status: 'approved', attempts: 3 },
      });
      expect(store.authorize('swiftpay', 'unknown', NOW_MS)).toBeUndefined();
    });
  });

  describe('refunds', () => {
    it('refunds in parts and cancels the charge once refunded in full', () => {
      const store = newStore();
      const { charge } = store.submit(request(), NOW_MS);
      expect(store.refund('acme', charge.id, 4_000n, NOW_MS)).toMatchObject({
        kind: 'refunded',
        charge: { status: 'approved', refundedAmountMinor: 4_000n },
      });
      expect(store.refund('acme', charge.id, undefined, NOW_MS)).toMatchObject({
        kind: 'refunded',
        refund: { amountMinor: 6_000n },
        charge: { status: 'cancelled', refundedAmountMinor: 10_000n },
      });
    });

    it('answers a retry of the refund that completed it with that refund again', () => {
      const store = newStore();
      const { charge } = store.submit(request(), NOW_MS);
      const first = store.refund('acme', charge.id, 10_000n, NOW_MS);
      if (first.kind !== 'refunded') throw new Error(`expected a refund, got ${first.kind}`);
      expect(store.refund('acme', charge.id, 10_000n, NOW_MS)).toMatchObject({
        kind: 'replayed',
        refund: first.refund,
      });
      expect(store.refund('acme', charge.id, undefined, NOW_MS)).toMatchObject({
        kind: 'replayed',
        refund: first.refund,
      });
      expect(store.refund('acme', charge.id, 5n, NOW_MS).kind).toBe('exceeds_remaining');
      expect(store.findById('acme', charge.id)?.refundedAmountMinor).toBe(10_000n);
    });

    it('refuses what cannot be refunded', () => {
      const store = newStore();
      const declined = store.submit(
        request({ idempotencyKey: 'd', instrumentToken: 'tok_decline_do_not_honor' }),
        NOW_MS,
      );
      const pending = store.submit(request({ idempotencyKey: 'p', instrumentToken: 'tok_pending' }), NOW_MS);
      const approved = store.submit(request({ idempotencyKey: 'a' }), NOW_MS);
      expect(store.refund('acme', declined.charge.id, undefined, NOW_MS).kind).toBe('not_refundable');
      expect(store.refund('acme', pending.charge.id, undefined, NOW_MS).kind).toBe('not_refundable');
      expect(store.refund('acme', approved.charge.id, 10_001n, NOW_MS).kind).toBe('exceeds_remaining');
      expect(store.refund('acme', approved.charge.id, 0n, NOW_MS).kind).toBe('invalid_amount');
      expect(store.refund('acme', 'nope', undefined, NOW_MS).kind).toBe('not_found');
      expect(store.refund('nova', approved.charge.id, undefined, NOW_MS).kind).toBe('not_found');
    });
  });

  it('returns snapshots that later changes do not alter', () => {
    const store = newStore();
    const { charge } = store.submit(request(), NOW_MS);
    store.refund('acme', charge.id, 1n, NOW_MS);
    expect(charge.refundedAmountMinor).toBe(0n);
    expect(charge.refunds).toEqual([]);
  });

  it('forgets everything on clear', () => {
    const store = newStore();
    store.submit(request(), NOW_MS);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.findByKey('acme', 'po_1')).toBeUndefined();
  });
});
