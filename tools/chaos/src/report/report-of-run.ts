import type { ChaosRunOutcome } from '../chaos-run';
import { machineFacts, type ChaosReport } from './chaos-report';
import { clientFigures, faultTally, paymentFigures } from './run-figures';

export function reportOfRun(
  outcome: ChaosRunOutcome,
  context: { command: string; seed: number; profile: string; breakName?: string },
): ChaosReport {
  return {
    ...context,
    machine: machineFacts(),
    startedAt: outcome.startedAt,
    endedAt: outcome.endedAt,
    paymentInstances: outcome.paymentInstances,
    quiescence: { settled: outcome.quiescence.settled, waitedMs: outcome.quiescence.waitedMs },
    faults: faultTally(outcome.injected),
    injectedFaults: outcome.injected,
    payments: paymentFigures(outcome.checkouts, outcome.payments),
    clients: clientFigures(outcome.checkouts),
    invariants: outcome.results,
    acceptance: outcome.acceptance,
    crashes: outcome.crashes,
    passed: outcome.passed,
  };
}
