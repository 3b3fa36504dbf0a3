import { testFees } from '../test/fees';
import { sequentialIds } from '../test/fixed-ids';
import { ManualScheduler } from '../test/manual-scheduler';
import { ChargeStore, type ChargeRequest } from './charge-store';
import { Simulator, type SimulatorEvent } from './simulator';

function harness(pendingDelayMs = 2_000) {
  const scheduler = new ManualScheduler();
  const events: SimulatorEvent[] = [];
  const simulator = new Simulator({
    store: new ChargeStore({
      maxCharges: 100,
      feeBasisPoints: testFees(),
      ids: sequentialIds(),
    }),
    scheduler,
    pendingDelayMs,
    onEvent: (event) => events.push(event),
  });
  return { scheduler, events, simulator };
}

function request(instrumentToken: string, overrides: Partial<ChargeRequest> = {}): ChargeRequest {
  return {
    psp: 'acme',
    idempotencyKey: `po_${instrumentToken}`,
    amountMinor: 5_000n,
    currency: 'USD',
    method: 'card',
    issuer: undefined,
    instrumentToken,
    reference: undefined,
    fingerprint: 'f',
    twoStep: false,
    ...overrides,
  };
}

const kinds = (events: SimulatorEvent[]) => events.map((event) => `${event.kind}:${event.charge.status}`);

describe('Simulator', () => {
  it('tells of an immediate outcome once, not on replays', () => {
    const { events, simulator } = harness();
    simulator.submit(request('tok_approve'));
    simulator.submit(request('tok_approve'));
    simulator.submit(request('tok_decline_do_not_honor'));
    expect(kinds(events)).toEqual(['approved:approved', 'declined:declined']);
  });

  it('resolves a pending charge after the issuer delay and tells of it', () => {
    const { scheduler, events, simulator } = harness(2_000);
    const { charge } = simulator.submit(request('tok_pending'));
    expect(simulator.pendingCount).toBe(1);
    scheduler.advance(1_999);
    expect(events).toEqual([]);
    scheduler.advance(1);
    expect(kinds(events)).toEqual(['approved:approved']);
    expect(simulator.store.findById('acme', charge.id)?.settledAtMs).toBe(scheduler.nowMs());
    expect(simulator.pendingCount).toBe(0);
  });

  it('decides a two-step charge at authorization', () => {
    const { events, simulator } = harness();
    const { charge } = simulator.submit(request('tok_pending_decline', { psp: 'swiftpay', twoStep: true }));
    expect(events).toEqual([]);
    expect(simulator.authorize('swiftpay', charge.id)?.charge.status).toBe('pending');
    expect(simulator.pendingCount).toBe(1);
  });

  it('tells of refunds but not of refused ones', () => {
    const { events, simulator } = harness();
    const { charge } = simulator.submit(request('tok_approve'));
    simulator.refund('acme', charge.id, undefined);
    simulator.refund('acme', charge.id, undefined);
    expect(kinds(events)).toEqual(['approved:approved', 'refunded:cancelled']);
  });

  it('forgets charges and never resolves pending ones after a reset', () => {
    const { scheduler, events, simulator } = harness();
    simulator.submit(request('tok_pending'));
    simulator.reset();
    scheduler.advance(10_000);
    expect(events).toEqual([]);
    expect(simulator.store.size).toBe(0);
    expect(scheduler.scheduledCount).toBe(0);
  });
});
