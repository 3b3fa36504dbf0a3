import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { getOrCreateGauge, Registry } from '@keel/observability';
import { DISCREPANCY_CLASSES } from './discrepancy';
import { DiscrepancyRepository } from './discrepancy.repository';

/**
 * Open discrepancies per class and their money at risk per currency, read from the table when
 * `/metrics` is scraped: every instance reports the same totals (alert on `max`), and they are
 * right after a restart or a resolution made by another instance.
 */
@Injectable()
export class DiscrepancyMetrics {
  constructor(dataSource: DataSource, discrepancies: DiscrepancyRepository, metrics: Registry) {
    // One read serves both gauges of a scrape.
    let pending: ReturnType<DiscrepancyRepository['openTotals']> | undefined;
    const totals = (): ReturnType<DiscrepancyRepository['openTotals']> => {
      pending ??= discrepancies.openTotals(dataSource.manager).finally(() => {
        pending = undefined;
      });
      return pending;
    };
    getOrCreateGauge(metrics, {
      name: 'keel_reconciliation_open_discrepancies',
      help: 'Open reconciliation discrepancies, by class.',
      labelNames: ['class'],
      async collect() {
        const { byClass } = await totals();
        for (const name of DISCREPANCY_CLASSES) this.set({ class: name }, byClass.get(name) ?? 0);
      },
    });
    getOrCreateGauge(metrics, {
      name: 'keel_reconciliation_money_at_risk_minor',
      help: 'Money at risk in open reconciliation discrepancies, in minor units, by currency.',
      labelNames: ['currency'],
      async collect() {
        const { atRisk } = await totals();
        this.reset();
        for (const [currency, amount] of atRisk) this.set({ currency }, Number(amount));
      },
    });
  }
}
