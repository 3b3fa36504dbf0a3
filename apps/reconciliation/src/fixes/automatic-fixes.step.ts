import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  TEXT_LENGTH_MAX,
  type ReconciliationFeeAdjustmentRequestedPayload,
  type ReconciliationOrphanRefundRequestedPayload,
} from '@keel/contracts';
import { automaticFixOf } from '@keel/reconciliation-domain';
import { ReconciliationEvents } from '../discrepancies/reconciliation-events';
import type { IngestedRun, RunStep } from '../steps/run-step';
import { AutomaticFixRepository } from './automatic-fix.repository';

/** RECON_AUTO_FIX and RECON_AUTO_FIX_PER_RUN_MAX. */
export interface AutomaticFixSettings {
  readonly enabled: boolean;
  readonly perRunMax: number;
}

export const AUTOMATIC_FIX_SETTINGS = Symbol('keel.reconciliation.automatic-fix-settings');

/** What the step adds to a run's summary. */
export type AutomaticFixesSummary = {
  readonly enabled: boolean;
  readonly refundsRequested: number;
  readonly feeAdjustmentsRequested: number;
  /** Discrepancies of the fixed classes the rules left to a person (e.g. Keel holds a success). */
  readonly leftForAPerson: number;
};

/**
 * A run's step after matching: for the open discrepancies of its day that no fix was asked for,
 * asks the executor to refund a `missing_in_keel` charge as an orphan, and the ledger to record a
 * `fee_mismatch` as a fee adjustment — each an event through the outbox in the run's transaction,
 * the discrepancy marked with its fix so no later run asks again. The refunded charge matches on
 * the run of the refund's day, which resolves the discrepancy; the ledger's entry resolves the fee
 * one when reconciliation's view sees it. At most RECON_AUTO_FIX_PER_RUN_MAX per run: a day with
 * more is something a person should look at first.
 */
@Injectable()
export class AutomaticFixesStep implements RunStep {
  readonly name = 'automaticFixes';

  constructor(
    private readonly fixes: AutomaticFixRepository,
    private readonly events: ReconciliationEvents,
    @Inject(AUTOMATIC_FIX_SETTINGS) private readonly settings: AutomaticFixSettings,
  ) {}

  async run(run: IngestedRun, manager: EntityManager): Promise<AutomaticFixesSummary> {
    if (!this.settings.enabled) {
      return { enabled: false, refundsRequested: 0, feeAdjustmentsRequested: 0, leftForAPerson: 0 };
    }
    const day = { runId: run.runId, psp: run.psp, date: run.date };
    const candidates = await this.fixes.unfixedOfDay(manager, day, this.settings.perRunMax);
    const requestedAt = new Date().toISOString();
    const refunds: ReconciliationOrphanRefundRequestedPayload[] = [];
    const feeAdjustments: ReconciliationFeeAdjustmentRequestedPayload[] = [];
    for (const discrepancy of candidates) {
      const fix = automaticFixOf(discrepancy);
      const about = {
        discrepancyId: discrepancy.id,
        runId: run.runId,
        pspId: run.psp,
        settlementDate: run.date,
      };
      if (fix.kind === 'refund') {
        refunds.push({
          ...about,
          paymentOrderId: fix.paymentOrderId,
          pspReference: fix.pspReference,
          amount: { amountMinor: fix.amountMinor.toString(), currency: fix.currency },
          requestedAt,
        });
      } else if (fix.kind === 'fee_adjustment') {
        feeAdjustments.push({
          ...about,
          ...(discrepancy.merchantReference === null
            ? {}
            : { merchantReference: discrepancy.merchantReference }),
          difference: { amountMinor: fix.differenceMinor.toString(), currency: fix.currency },
          reason:
            `${discrepancy.reason} (reconciliation run ${run.runId}, discrepancy ${discrepancy.id})`.slice(
              0,
              TEXT_LENGTH_MAX,
            ),
          requestedAt,
        });
      }
    }
    await this.fixes.markFixes(
      manager,
      refunds.map((each) => each.discrepancyId),
      'refund_requested',
    );
    await this.fixes.markFixes(
      manager,
      feeAdjustments.map((each) => each.discrepancyId),
      'fee_adjustment_requested',
    );
    await this.events.fixesRequested(manager, { refunds, feeAdjustments });
    return {
      enabled: true,
      refundsRequested: refunds.length,
      feeAdjustmentsRequested: feeAdjustments.length,
      leftForAPerson: candidates.length - refunds.length - feeAdjustments.length,
    };
  }
}
