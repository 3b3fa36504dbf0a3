import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope, LedgerTransactionRecordedPayload } from '@keel/contracts';
import { ReconciliationEvents } from '../discrepancies/reconciliation-events';
import { AutomaticFixRepository } from './automatic-fix.repository';

/** The ledger's kind for the adjustment reconciliation asked for (its reference: the discrepancy id). */
export const PSP_FEE_ADJUSTMENT_KIND = 'psp_fee_adjustment';

/** A discrepancy id; an adjustment the ledger recorded under anything else is not reconciliation's. */
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Resolves the fee discrepancies whose adjustment the ledger announced, in the chunk's transaction
 * that applies the ledger's events to the view: resolved by `reconciliation`, "fee adjusted in
 * ledger: <transaction id>", and announced.
 */
@Injectable()
export class FeeAdjustmentResolutions {
  constructor(
    private readonly fixes: AutomaticFixRepository,
    private readonly events: ReconciliationEvents,
  ) {}

  async apply(
    manager: EntityManager,
    transactions: readonly EventEnvelope<LedgerTransactionRecordedPayload>[],
  ): Promise<void> {
    const adjustments = transactions
      .filter(
        (event) =>
          event.data.kind === PSP_FEE_ADJUSTMENT_KIND && UUID_PATTERN.test(event.data.paymentOrderId),
      )
      .map((event) => ({
        discrepancyId: event.data.paymentOrderId,
        transactionId: event.data.transactionId,
      }));
    if (adjustments.length === 0) return;
    const resolved = await this.fixes.resolveFeeAdjusted(manager, adjustments);
    await this.events.discrepanciesResolved(manager, resolved);
  }
}
