import type { ChaosFacts } from './chaos-facts';
import { checkIdempotentRequests, checkTerminalInBound } from './flow-invariants';
import type { InvariantResult } from './invariant-result';
import {
  checkCreditedAndPostedOnce,
  checkLedgerBalanced,
  checkOrphansRefunded,
  checkPspTruthMatchesClearing,
  checkSingleCharge,
  checkWalletMatchesLedger,
} from './money-invariants';

export interface CheckSettings {
  /** I7's bound: how long after the faults stop every accepted payment may take to finish. */
  readonly terminalBoundMs: number;
}

/** Every invariant of docs/architecture.md over the collected facts, in order I1–I8. */
export function checkInvariants(facts: ChaosFacts, settings: CheckSettings): InvariantResult[] {
  return [
    checkSingleCharge(facts),
    checkCreditedAndPostedOnce(facts),
    checkOrphansRefunded(facts),
    checkLedgerBalanced(facts),
    checkWalletMatchesLedger(facts),
    checkPspTruthMatchesClearing(facts),
    checkTerminalInBound(facts, settings.terminalBoundMs),
    checkIdempotentRequests(facts),
  ];
}
