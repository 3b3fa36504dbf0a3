import type { Charge } from '../charge';
import type { FaultedRow } from './settlement-faults';
import type { SettlementRow } from './settlement-row';

/** A settlement day's instants, and those of the day before (whose late rows it reports). */
export interface SettlementDay {
  readonly previousStartMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The true money movements of a charge: its capture when it was approved (a cancelled charge was
 * approved, then refunded in full) and each refund. Declined, pending and ready ones move nothing.
 */
export function* movementsOf(charge: Charge): Generator<SettlementRow> {
  if (charge.status !== 'approved' && charge.status !== 'cancelled') return;
  if (charge.settledAtMs === undefined) return;
  const common = {
    pspReference: charge.id,
    merchantReference: charge.idempotencyKey,
    currency: charge.currency,
  };
  yield {
    ...common,
    kind: 'charge',
    movementId: charge.id,
    amountMinor: charge.amountMinor,
    feeMinor: charge.feeMinor,
    eventAtMs: charge.settledAtMs,
  };
  for (const refund of charge.refunds) {
    yield {
      ...common,
      kind: 'refund',
      movementId: refund.id,
      amountMinor: refund.amountMinor,
      feeMinor: 0n,
      eventAtMs: refund.createdAtMs,
    };
  }
}

/**
 * The rows of one day's file, charge by charge in the order given: each movement of the day as the
 * faults make it (left out, changed, written twice), less those reported late, plus the day
 * before's late ones. One charge at a time, so the rows of a million charges are never all held.
 */
export function* settlementRowsOf(
  charges: Iterable<Charge>,
  day: SettlementDay,
  fault: (row: SettlementRow) => FaultedRow,
): Generator<SettlementRow> {
  for (const charge of charges) {
    for (const movement of movementsOf(charge)) {
      if (movement.eventAtMs < day.previousStartMs || movement.eventAtMs >= day.endMs) continue;
      const faulted = fault(movement);
      if (faulted.omitted) continue;
      const ofThisDay = movement.eventAtMs >= day.startMs;
      // This day's rows on time, and the day before's reported late.
      if (ofThisDay === faulted.late) continue;
      for (let copy = 0; copy < faulted.copies; copy += 1) yield faulted.row;
    }
  }
}
