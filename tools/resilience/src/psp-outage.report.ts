import { percent, reportOpening, type ChargeTruth, type PaymentTally } from './drill';

export interface OutageFigures extends ChargeTruth {
  readonly ratePerSecond: number;
  readonly durationS: number;
  readonly outageStartS: number;
  readonly outageEndS: number;
  /** Outage start to the acme breaker's `open` (its changedAt), undefined if it never opened. */
  readonly breakerOpenAfterMs: number | undefined;
  readonly duringOutage: { readonly sent: number; readonly completed: number };
  readonly overall: PaymentTally;
  readonly acmeStates: readonly string[];
  /** Recovery (fault removed) to the acme breaker's `closed`. */
  readonly closedAfterRecoveryMs: number | undefined;
}

export function reportLines(figures: OutageFigures): string[] {
  return [
    `traffic: ${figures.ratePerSecond} card payments/s for ${figures.durationS} s, open loop (${figures.overall.sent} sent, ${figures.overall.accepted} accepted)`,
    `fault: acme outage "refuse" from t=${figures.outageStartS} s to t=${figures.outageEndS} s`,
    `outage start → acme breaker open: ${figures.breakerOpenAfterMs === undefined ? 'never opened' : `${figures.breakerOpenAfterMs} ms`}`,
    `payments sent during the outage that completed: ${figures.duringOutage.completed}/${figures.duringOutage.sent} (${percent(figures.duringOutage.completed, figures.duringOutage.sent)})`,
    `all payments: ${figures.overall.completed} completed, ${figures.overall.failed} failed, ${figures.overall.notTerminal} not terminal after the drain`,
    `acme breaker transitions: ${figures.acmeStates.join(' → ') || 'none'}`,
    `recovery → acme breaker closed: ${figures.closedAfterRecoveryMs === undefined ? 'not closed' : `${figures.closedAfterRecoveryMs} ms`}`,
    `charges (simulator ground truth): ${figures.chargedOrders} orders charged, ${figures.ordersChargedMoreThanOnce} charged more than once; by PSP ${JSON.stringify(figures.chargesByPsp)}`,
  ];
}

export function markdownReport(figures: OutageFigures, command: string, startedAt: Date): string {
  return [
    ...reportOpening('Resilience: single-PSP outage (psp-outage)', command, startedAt),
    'Every Keel service, psp-sim and fresh databases and topics on this one machine (KeelSystem,',
    'isolated like the e2e test); executor breaker settings at their defaults (50 % errors over 10 s,',
    'at least 10 calls, 5 s reset). Card routing: acme 70 / nova 30.',
    '',
    '## Figures',
    '',
    ...reportLines(figures).map((line) => `- ${line}`),
    '',
  ].join('\n');
}
