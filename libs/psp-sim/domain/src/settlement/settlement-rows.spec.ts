import { settlementWorld } from '../../test/settlement-world';

describe('the rows of a settlement day', () => {
  it("puts a charge in the day of the PSP's own zone: UTC, Berlin, Seoul", () => {
    const world = settlementWorld();
    for (const psp of ['acme', 'nova', 'swiftpay'] as const) {
      world.charge(psp, `${psp}_before`, '2026-12-06T14:59:59.999Z');
      world.charge(psp, `${psp}_seoul_midnight`, '2026-12-06T15:00:00.000Z');
      world.charge(psp, `${psp}_berlin_last`, '2026-12-06T22:59:59.999Z');
      world.charge(psp, `${psp}_berlin_midnight`, '2026-12-06T23:00:00.000Z');
    }
    const references = (psp: 'acme' | 'nova' | 'swiftpay', date: string) =>
      [...world.settlements.rows(psp, date)].map((row) => row.merchantReference);
    expect(references('acme', '2026-12-06')).toEqual([
      'acme_before',
      'acme_seoul_midnight',
      'acme_berlin_last',
      'acme_berlin_midnight',
    ]);
    expect(references('nova', '2026-12-06')).toEqual([
      'nova_before',
      'nova_seoul_midnight',
      'nova_berlin_last',
    ]);
    expect(references('nova', '2026-12-07')).toEqual(['nova_berlin_midnight']);
    expect(references('swiftpay', '2026-12-06')).toEqual(['swiftpay_before']);
    expect(references('swiftpay', '2026-12-07')).toEqual([
      'swiftpay_seoul_midnight',
      'swiftpay_berlin_last',
      'swiftpay_berlin_midnight',
    ]);
  });

  it("takes Berlin's 25-hour day in October and 23-hour day in March whole", () => {
    const world = settlementWorld();
    world.charge('nova', 'first_of_autumn_day', '2026-10-24T22:00:00Z');
    world.charge('nova', 'last_of_autumn_day', '2026-10-25T22:59:59.999Z');
    world.charge('nova', 'next_day', '2026-10-25T23:00:00Z');
    world.charge('nova', 'last_of_spring_day', '2026-03-29T21:59:59.999Z');
    world.charge('nova', 'after_spring_day', '2026-03-29T22:00:00Z');
    const references = (date: string) =>
      [...world.settlements.rows('nova', date)].map((row) => row.merchantReference);
    expect(references('2026-10-25')).toEqual(['first_of_autumn_day', 'last_of_autumn_day']);
    expect(references('2026-10-26')).toEqual(['next_day']);
    expect(references('2026-03-29')).toEqual(['last_of_spring_day']);
    expect(references('2026-03-30')).toEqual(['after_spring_day']);
  });

  it('lists a cancelled charge as its charge and a refund of the whole amount, the refund without fee', () => {
    const world = settlementWorld();
    const { id } = world.charge('nova', 'po_cancelled', '2026-12-07T10:00:00Z');
    world.refund('nova', id, '2026-12-07T10:40:00Z');
    expect(world.store.findById('nova', id)?.status).toBe('cancelled');
    expect(world.rowsOf('nova', '2026-12-07')).toEqual([
      'charge po_cancelled 10000 EUR fee 290 at 2026-12-07T10:00:00.000Z',
      'refund po_cancelled 10000 EUR fee 0 at 2026-12-07T10:40:00.000Z',
    ]);
  });

  it('lists each refund in the day it happened, the charge in its own', () => {
    const world = settlementWorld();
    const { id } = world.charge('acme', 'po_partial', '2026-12-06T20:00:00Z');
    world.refund('acme', id, '2026-12-07T09:00:00Z', 3_000n);
    world.refund('acme', id, '2026-12-08T09:00:00Z');
    expect(world.rowsOf('acme', '2026-12-06')).toEqual([
      'charge po_partial 10000 EUR fee 250 at 2026-12-06T20:00:00.000Z',
    ]);
    expect(world.rowsOf('acme', '2026-12-07')).toEqual([
      'refund po_partial 3000 EUR fee 0 at 2026-12-07T09:00:00.000Z',
    ]);
    expect(world.rowsOf('acme', '2026-12-08')).toEqual([
      'refund po_partial 7000 EUR fee 0 at 2026-12-08T09:00:00.000Z',
    ]);
  });

  it('leaves out declined and pending charges, and lists a pending one in the day it was approved', () => {
    const world = settlementWorld();
    world.charge('swiftpay', 'po_declined', '2026-12-07T01:00:00Z', {
      instrumentToken: 'tok_decline_do_not_honor',
    });
    const pending = world.charge('swiftpay', 'po_pending', '2026-12-07T14:59:00Z', {
      instrumentToken: 'tok_pending',
    });
    expect(world.rowsOf('swiftpay', '2026-12-07')).toEqual([]);
    world.store.resolvePending('swiftpay', pending.id, Date.parse('2026-12-07T15:01:00Z'));
    expect(world.rowsOf('swiftpay', '2026-12-07')).toEqual([]);
    expect(world.rowsOf('swiftpay', '2026-12-08')).toEqual([
      'charge po_pending 10000 EUR fee 320 at 2026-12-07T15:01:00.000Z',
    ]);
  });

  it('moves a late row to the next day with its own event time', () => {
    const world = settlementWorld();
    world.charge('acme', 'po_on_time', '2026-12-07T08:00:00Z');
    world.charge('acme', 'po_late', '2026-12-07T23:59:00Z');
    world.charge('acme', 'po_next_day', '2026-12-08T00:01:00Z');
    world.settlements.addFault(
      { psp: 'acme', kind: 'late_row', merchantReference: 'po_late' },
      Date.parse('2026-12-08T01:00:00Z'),
    );
    expect(world.rowsOf('acme', '2026-12-07')).toEqual([
      'charge po_on_time 10000 EUR fee 250 at 2026-12-07T08:00:00.000Z',
    ]);
    expect(world.rowsOf('acme', '2026-12-08')).toEqual([
      'charge po_late 10000 EUR fee 250 at 2026-12-07T23:59:00.000Z',
      'charge po_next_day 10000 EUR fee 250 at 2026-12-08T00:01:00.000Z',
    ]);
  });

  it('has a file for today (the day so far) and none for tomorrow', () => {
    const world = settlementWorld();
    world.charge('swiftpay', 'po_today', '2026-12-07T16:00:00Z');
    const nowMs = Date.parse('2026-12-07T16:30:00Z');
    expect(world.settlements.today('swiftpay', nowMs)).toBe('2026-12-08');
    expect(world.settlements.file('swiftpay', '2026-12-09', nowMs)).toBeUndefined();
    const today = world.settlements.file('swiftpay', '2026-12-08', nowMs);
    expect(today).toMatchObject({
      fileName: 'swiftpay_settlement_20261208.txt',
      contentType: 'text/plain; charset=utf-8',
    });
    expect([...(today?.lines ?? [])]).toHaveLength(3);
    expect(world.settlements.endOf('swiftpay', '2026-12-08')).toBe(Date.parse('2026-12-08T15:00:00Z'));
  });
});
