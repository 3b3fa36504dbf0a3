import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import {
  buildEnvelope,
  RECONCILIATION_EVENT_TYPES,
  TEXT_LENGTH_MAX,
  type ReconciliationClassCountsPayload,
  type ReconciliationDiscrepancyOpenedPayload,
  type ReconciliationDiscrepancyResolvedPayload,
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
    if (discrepancies.length === 0) return;
    await this.outbox.publish(
      manager,
      discrepancies.map((discrepancy) => {
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

  async discrepanciesResolved(manager: EntityManager, discrepancies: readonly Discrepancy[]): Promise<void> {
    if (discrepancies.length === 0) return;
    await this.outbox.publish(
      manager,
      discrepancies.map((discrepancy) => {
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
}
