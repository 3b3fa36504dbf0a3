import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  DISCREPANCY_CLASS_NAMES,
  RECONCILIATION_EVENT_TYPES,
  TEXT_LENGTH_MAX,
  type DiscrepancyClassName,
  type ReconciliationClassCountsPayload,
  type ReconciliationDiscrepancyOpenedPayload,
  type ReconciliationDiscrepancyResolvedPayload,
  type ReconciliationFeeAdjustmentRequestedPayload,
  type ReconciliationOrphanRefundRequestedPayload,
  type ReconciliationRunCompletedPayload,
} from '@keel/contracts';
import { OutboxPublisher } from '@keel/messaging';
import type { Discrepancy } from './discrepancy';

export const RECONCILIATION_EVENT_SOURCE = '/keel/reconciliation';

/** What a completed run announces. */
export interface RunCompletion {
  readonly runId: string;
  readonly psp: string;
  readonly date: string;
  readonly fileId: string;
  readonly counts: ReconciliationClassCountsPayload;
  readonly discrepancyCount: number;
  readonly openedCount: number;
  readonly resolvedCount: number;
  readonly moneyAtRisk: Readonly<Record<string, string>>;
}

/**
 * Reconciliation's events on `keel.reconciliation.v1`, published through the outbox in the
 * transaction that decides them: a discrepancy opened or resolved, a run completed.
 */
@Injectable()
export class ReconciliationEvents {
  constructor(private readonly outbox: OutboxPublisher) {}

  async discrepanciesOpened(
    manager: EntityManager,
    runId: string,
    discrepancies: readonly Discrepancy[],
  ): Promise<void> {
    const announced = discrepancies.filter(isAnnounced);
    if (announced.length === 0) return;
    await this.outbox.publish(
      manager,
      announced.map((discrepancy) => {
        const data: ReconciliationDiscrepancyOpenedPayload = {
          discrepancyId: discrepancy.id,
          runId,
          pspId: discrepancy.psp,
          settlementDate: discrepancy.date,
          class: discrepancy.class,
          ...(discrepancy.merchantReference === null
            ? {}
            : { merchantReference: discrepancy.merchantReference }),
          ...(discrepancy.pspReference === null ? {} : { pspReference: discrepancy.pspReference }),
          moneyAtRisk: { ...discrepancy.moneyAtRisk },
          openedAt: discrepancy.openedAt,
        };
        return buildEnvelope({
          type: RECONCILIATION_EVENT_TYPES.discrepancyOpened,
          source: RECONCILIATION_EVENT_SOURCE,
          data,
        });
      }),
    );
  }

  async discrepanciesResolved(
    manager: EntityManager,
    discrepancies: readonly Pick<
      Discrepancy,
      'id' | 'psp' | 'date' | 'class' | 'resolvedBy' | 'resolutionNote' | 'resolvedAt'
    >[],
  ): Promise<void> {
    const announced = discrepancies.filter(isAnnounced);
    if (announced.length === 0) return;
    await this.outbox.publish(
      manager,
      announced.map((discrepancy) => {
        const data: ReconciliationDiscrepancyResolvedPayload = {
          discrepancyId: discrepancy.id,
          pspId: discrepancy.psp,
          settlementDate: discrepancy.date,
          class: discrepancy.class,
          resolvedBy: discrepancy.resolvedBy ?? '',
          note: (discrepancy.resolutionNote ?? '').slice(0, TEXT_LENGTH_MAX),
          resolvedAt: discrepancy.resolvedAt ?? '',
        };
        return buildEnvelope({
          type: RECONCILIATION_EVENT_TYPES.discrepancyResolved,
          source: RECONCILIATION_EVENT_SOURCE,
          data,
        });
      }),
    );
  }

  async runCompleted(manager: EntityManager, run: RunCompletion): Promise<void> {
    const data: ReconciliationRunCompletedPayload = {
      runId: run.runId,
      pspId: run.psp,
      settlementDate: run.date,
      fileId: run.fileId,
      counts: { ...run.counts },
      discrepancyCount: run.discrepancyCount,
      openedCount: run.openedCount,
      resolvedCount: run.resolvedCount,
      moneyAtRisk: Object.entries(run.moneyAtRisk).map(([currency, amountMinor]) => ({
        amountMinor,
        currency,
      })),
      completedAt: new Date().toISOString(),
    };
    await this.outbox.publish(manager, [
      buildEnvelope({
        type: RECONCILIATION_EVENT_TYPES.runCompleted,
        source: RECONCILIATION_EVENT_SOURCE,
        data,
      }),
    ]);
  }

  /** The automatic fixes a run asks for: orphan refunds of the executor, fee adjustments of the ledger. */
  async fixesRequested(
    manager: EntityManager,
    fixes: {
      readonly refunds: readonly ReconciliationOrphanRefundRequestedPayload[];
      readonly feeAdjustments: readonly ReconciliationFeeAdjustmentRequestedPayload[];
    },
  ): Promise<void> {
    const envelopes = [
      ...fixes.refunds.map((data) =>
        buildEnvelope({
          type: RECONCILIATION_EVENT_TYPES.orphanRefundRequested,
          source: RECONCILIATION_EVENT_SOURCE,
          data,
        }),
      ),
      ...fixes.feeAdjustments.map((data) =>
        buildEnvelope({
          type: RECONCILIATION_EVENT_TYPES.feeAdjustmentRequested,
          source: RECONCILIATION_EVENT_SOURCE,
          data,
        }),
      ),
    ];
    if (envelopes.length > 0) await this.outbox.publish(manager, envelopes);
  }
}

/**
 * The classes the v1 events name: the wallet leg's `wallet_ledger_mismatch` is not among them, and
 * adding it to their enum would break consumers validating v1, so it waits for v2 of both types.
 */
function isAnnounced<T extends Pick<Discrepancy, 'class'>>(
  discrepancy: T,
): discrepancy is T & { class: DiscrepancyClassName } {
  return (DISCREPANCY_CLASS_NAMES as readonly string[]).includes(discrepancy.class);
}
