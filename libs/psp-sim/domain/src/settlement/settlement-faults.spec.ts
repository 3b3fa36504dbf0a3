import { SeededRandom } from '@keel/seeded-random';
import { settlementWorld } from '../../test/settlement-world';
import { thrownBy } from '../../test/thrown-by';
import { SimulatorError, SimulatorErrorCode } from '../simulator.error';
import { applyFaults, type SettlementFault } from './settlement-faults';
import type { SettlementRow } from './settlement-row';

const DAY = '2026-12-07';
const NOW_MS = Date.parse('2026-12-08T12:00:00Z');

/** One acme charge of 10000 EUR (fee 250) and its refund of 4000, on DAY. */
function oneOrder() {
  const world = settlementWorld();
  const { id } = world.charge('acme', 'po_1', '2026-12-07T09:00:00Z');
  world.refund('acme', id, '2026-12-07T10:00:00Z', 4_000n);
  world.charge('acme', 'po_2', '2026-12-07T11:00:00Z', { currency: 'KRW' });
  return world;
}

function simulatorErrorOf(action: () => unknown): SimulatorError {
  const error = thrownBy(action);
  if (!(error instanceof SimulatorError)) throw error;
  return error;
}

describe('settlement faults', () => {
  it('missing_row leaves the rows of the order out', () => {
    const world = oneOrder();
    world.settlements.addFault({ psp: 'acme', kind: 'missing_row', merchantReference: 'po_1' }, NOW_MS);
    expect(world.rowsOf('acme', DAY)).toEqual(['charge po_2 10000 KRW fee 250 at 2026-12-07T11:00:00.000Z']);
  });

  it('rowKind narrows a fault to the refund rows', () => {
    const world = oneOrder();
    world.settlements.addFault(
      { psp: 'acme', kind: 'missing_row', merchantReference: 'po_1', rowKind: 'refund' },
      NOW_MS,
    );
    expect(world.rowsOf('acme', DAY)).toEqual([
      'charge po_1 10000 EUR fee 250 at 2026-12-07T09:00:00.000Z',
      'charge po_2 10000 KRW fee 250 at 2026-12-07T11:00:00.000Z',
    ]);
  });

  it('duplicate_row writes the row twice', () => {
    const world = oneOrder();
    world.settlements.addFault({ psp: 'acme', kind: 'duplicate_row', merchantReference: 'po_2' }, NOW_MS);
    expect(world.rowsOf('acme', DAY).slice(2)).toEqual([
      'charge po_2 10000 KRW fee 250 at 2026-12-07T11:00:00.000Z',
      'charge po_2 10000 KRW fee 250 at 2026-12-07T11:00:00.000Z',
    ]);
  });

  it('amount_mismatch adds 1 minor unit by default, or the delta asked for, to every row of the order', () => {
    const world = oneOrder();
    world.settlements.addFault({ psp: 'acme', kind: 'amount_mismatch', merchantReference: 'po_1' }, NOW_MS);
    world.settlements.addFault(
      { psp: 'acme', kind: 'amount_mismatch', merchantReference: 'po_2', amountDeltaMinor: -500 },
      NOW_MS,
    );
    expect(world.rowsOf('acme', DAY)).toEqual([
      'charge po_1 10001 EUR fee 250 at 2026-12-07T09:00:00.000Z',
      'refund po_1 4001 EUR fee 0 at 2026-12-07T10:00:00.000Z',
      'charge po_2 9500 KRW fee 250 at 2026-12-07T11:00:00.000Z',
    ]);
  });

  it('amount_mismatch keeps an amount it would bring to zero or below', () => {
    const world = oneOrder();
    world.settlements.addFault(
      { psp: 'acme', kind: 'amount_mismatch', merchantReference: 'po_1', amountDeltaMinor: -4_000 },
      NOW_MS,
    );
    expect(world.rowsOf('acme', DAY).slice(0, 2)).toEqual([
      'charge po_1 6000 EUR fee 250 at 2026-12-07T09:00:00.000Z',
      'refund po_1 4000 EUR fee 0 at 2026-12-07T10:00:00.000Z',
    ]);
  });

  it('currency_mismatch reports KRW for another currency, USD for KRW, or the currency asked for', () => {
    const world = oneOrder();
    world.settlements.addFault(
      { psp: 'acme', kind: 'currency_mismatch', merchantReference: 'po_1', rowKind: 'charge' },
      NOW_MS,
    );
    world.settlements.addFault({ psp: 'acme', kind: 'currency_mismatch', merchantReference: 'po_2' }, NOW_MS);
    expect(world.rowsOf('acme', DAY)).toEqual([
      'charge po_1 10000 KRW fee 250 at 2026-12-07T09:00:00.000Z',
      'refund po_1 4000 EUR fee 0 at 2026-12-07T10:00:00.000Z',
      'charge po_2 10000 USD fee 250 at 2026-12-07T11:00:00.000Z',
    ]);
    world.settlements.faults.clear();
    world.settlements.addFault(
      { psp: 'acme', kind: 'currency_mismatch', merchantReference: 'po_2', currency: 'JPY' },
      NOW_MS,
    );
    expect(world.rowsOf('acme', DAY)[2]).toBe('charge po_2 10000 JPY fee 250 at 2026-12-07T11:00:00.000Z');
  });

  it('fee_mismatch changes the fee of charge rows only', () => {
    const world = oneOrder();
    world.settlements.addFault(
      { psp: 'acme', kind: 'fee_mismatch', merchantReference: 'po_1', feeDeltaMinor: 50 },
      NOW_MS,
    );
    world.settlements.addFault({ psp: 'acme', kind: 'fee_mismatch', merchantReference: 'po_2' }, NOW_MS);
    expect(world.rowsOf('acme', DAY)).toEqual([
      'charge po_1 10000 EUR fee 300 at 2026-12-07T09:00:00.000Z',
      'refund po_1 4000 EUR fee 0 at 2026-12-07T10:00:00.000Z',
      'charge po_2 10000 KRW fee 251 at 2026-12-07T11:00:00.000Z',
    ]);
  });

  it('late_row moves the row to the next day, and a missing row is missing on either day', () => {
    const world = oneOrder();
    world.settlements.addFault({ psp: 'acme', kind: 'late_row', merchantReference: 'po_1' }, NOW_MS);
    world.settlements.addFault({ psp: 'acme', kind: 'late_row', merchantReference: 'po_2' }, NOW_MS);
    world.settlements.addFault({ psp: 'acme', kind: 'missing_row', merchantReference: 'po_2' }, NOW_MS);
    expect(world.rowsOf('acme', DAY)).toEqual([]);
    expect(world.rowsOf('acme', '2026-12-08')).toEqual([
      'charge po_1 10000 EUR fee 250 at 2026-12-07T09:00:00.000Z',
      'refund po_1 4000 EUR fee 0 at 2026-12-07T10:00:00.000Z',
    ]);
  });

  it('faults of one PSP leave the files of the others alone', () => {
    const world = oneOrder();
    world.charge('nova', 'po_1', '2026-12-07T09:00:00Z');
    world.settlements.addFault({ psp: 'acme', kind: 'missing_row', merchantReference: 'po_1' }, NOW_MS);
    expect(world.rowsOf('nova', DAY)).toEqual(['charge po_1 10000 EUR fee 290 at 2026-12-07T09:00:00.000Z']);
  });

  describe('a share of the rows', () => {
    const rows: SettlementRow[] = Array.from({ length: 2_000 }, (_, index) => ({
      kind: 'charge',
      pspReference: `ch_${index}`,
      merchantReference: `po_${index}`,
      movementId: `ch_${index}`,
      amountMinor: 1_000n,
      currency: 'KRW',
      feeMinor: 25n,
      eventAtMs: 0,
    }));
    const fault = (seed: number): SettlementFault => ({
      id: 'f',
      createdAtMs: 0,
      psp: 'acme',
      kind: 'missing_row',
      share: 0.1,
      seed,
    });
    const struck = (seed: number, order: readonly SettlementRow[]) =>
      order
        .filter((row) => applyFaults([fault(seed)], row).omitted)
        .map((row) => row.movementId)
        .sort();

    it('strikes about that share, the same rows for the same seed whatever the order, others for another seed', () => {
      const first = struck(7, rows);
      expect(first.length).toBeGreaterThan(150);
      expect(first.length).toBeLessThan(250);
      expect(struck(7, [...rows].reverse())).toEqual(first);
      expect(struck(8, rows)).not.toEqual(first);
    });

    it('takes a seed from the seeded source when none is given, and shows it', () => {
      const world = settlementWorld();
      const added = world.settlements.addFault({ psp: 'nova', kind: 'duplicate_row', share: 0.5 }, NOW_MS);
      expect(added.seed).toBe(Math.floor(new SeededRandom(1).next() * 0x1_0000_0000));
      expect(world.faults.list()).toEqual([added]);
    });
  });

  describe('unknown_charge', () => {
    it('makes an approved charge with the contract fee that the file reports like any other', () => {
      const world = settlementWorld();
      const fault = world.settlements.addFault(
        {
          psp: 'nova',
          kind: 'unknown_charge',
          merchantReference: 'po_keel_failed',
          amountMinor: 5_000,
          currency: 'EUR',
          occurredAtMs: Date.parse('2026-12-07T12:00:00Z'),
        },
        NOW_MS,
      );
      expect(fault).toMatchObject({ kind: 'unknown_charge', merchantReference: 'po_keel_failed' });
      const charge = world.store.findByKey('nova', 'po_keel_failed');
      expect(charge).toMatchObject({
        id: fault.chargeId,
        status: 'approved',
        amountMinor: 5_000n,
        feeMinor: 145n,
      });
      expect(world.rowsOf('nova', DAY)).toEqual([
        'charge po_keel_failed 5000 EUR fee 145 at 2026-12-07T12:00:00.000Z',
      ]);
    });

    it('charges 10000 KRW now under a reference of its own when given none', () => {
      const world = settlementWorld();
      const fault = world.settlements.addFault({ psp: 'acme', kind: 'unknown_charge' }, NOW_MS);
      expect(fault.merchantReference).toMatch(/^po_unknown-\d+$/);
      expect(world.store.findByKey('acme', fault.merchantReference ?? '')).toMatchObject({
        amountMinor: 10_000n,
        currency: 'KRW',
        settledAtMs: NOW_MS,
        reference: fault.merchantReference,
      });
    });

    it('refuses a reference the PSP already charged, and records nothing', () => {
      const world = oneOrder();
      const error = simulatorErrorOf(() =>
        world.settlements.addFault(
          { psp: 'acme', kind: 'unknown_charge', merchantReference: 'po_1' },
          NOW_MS,
        ),
      );
      expect(error.code).toBe(SimulatorErrorCode.MerchantReferenceTaken);
      expect(world.faults.list()).toEqual([]);
    });

    it("refuses a swiftpay reference longer than its file's field", () => {
      const world = settlementWorld();
      const error = simulatorErrorOf(() =>
        world.settlements.addFault(
          { psp: 'swiftpay', kind: 'unknown_charge', merchantReference: 'p'.repeat(65) },
          NOW_MS,
        ),
      );
      expect(error.code).toBe(SimulatorErrorCode.InvalidSettlementFault);
      expect(world.store.size).toBe(0);
    });
  });

  it('refuses faults that do not say what they strike, or carry fields of another kind', () => {
    const world = settlementWorld();
    const problemOf = (spec: Parameters<typeof world.settlements.addFault>[0]) =>
      simulatorErrorOf(() => world.settlements.addFault(spec, NOW_MS)).message;
    expect(problemOf({ psp: 'acme', kind: 'missing_row' })).toContain('either merchantReference or share');
    expect(problemOf({ psp: 'acme', kind: 'missing_row', merchantReference: 'po', share: 0.5 })).toContain(
      'not both',
    );
    expect(problemOf({ psp: 'acme', kind: 'late_row', share: 0 })).toContain('share must be within (0, 1]');
    expect(problemOf({ psp: 'acme', kind: 'unknown_charge', share: 0.5 })).toContain('takes no share');
    expect(problemOf({ psp: 'acme', kind: 'unknown_charge', occurredAtMs: NOW_MS + 1 })).toContain(
      'not in the future',
    );
    expect(problemOf({ psp: 'acme', kind: 'unknown_charge', amountMinor: 100_000_001 })).toContain(
      'amountMinor must be',
    );
    expect(problemOf({ psp: 'acme', kind: 'missing_row', share: 0.5, amountDeltaMinor: 3 })).toContain(
      'amountDeltaMinor belongs to amount_mismatch faults',
    );
    expect(problemOf({ psp: 'acme', kind: 'amount_mismatch', share: 0.5, amountDeltaMinor: 0 })).toContain(
      'non-zero integer',
    );
    expect(
      problemOf({ psp: 'acme', kind: 'fee_mismatch', merchantReference: 'po', rowKind: 'refund' }),
    ).toContain('refund rows carry no fee');
    expect(problemOf({ psp: 'acme', kind: 'duplicate_row', share: 0.5, currency: 'USD' })).toContain(
      'currency belongs to',
    );
    expect(world.faults.list()).toEqual([]);
  });

  it('holds at most its maximum, and removes one or all', () => {
    const world = settlementWorld(2);
    const first = world.settlements.addFault({ psp: 'acme', kind: 'missing_row', share: 0.1 }, NOW_MS);
    world.settlements.addFault({ psp: 'acme', kind: 'late_row', share: 0.1 }, NOW_MS);
    const error = simulatorErrorOf(() =>
      world.settlements.addFault({ psp: 'acme', kind: 'duplicate_row', share: 0.1 }, NOW_MS),
    );
    expect(error.code).toBe(SimulatorErrorCode.TooManySettlementFaults);
    expect(world.faults.remove(first.id)).toBe(true);
    expect(world.faults.remove(first.id)).toBe(false);
    expect(world.faults.list().map((fault) => fault.kind)).toEqual(['late_row']);
    world.faults.clear();
    expect(world.faults.list()).toEqual([]);
  });
});
