/* eslint-disable @nx/enforce-module-boundaries -- reused from the chaos suite as they are, not copied (see below) */
/**
 * The parts of other tools the restart drill reuses unchanged: the chaos suite's own Kafka broker
 * and proxies (the drill restarts a broker, never the shared one other runs use), its quiescence
 * wait, fact collection and invariant checker.
 * Tools are apps, which the module-boundary rule keeps from importing each other; this file is the
 * one place that does, so that the checker the chaos run trusts is the one that checks the drill.
 * Moving these into a shared lib would lift the waiver.
 */
export type { KeelPayment } from '../../chaos/src/checker/chaos-facts';
export { checkInvariants } from '../../chaos/src/checker/check-invariants';
export { collectFacts } from '../../chaos/src/checker/collect-facts';
export { invariantLine, type InvariantResult } from '../../chaos/src/checker/invariant-result';
export { waitForQuiescence, type QuiescenceOutcome } from '../../chaos/src/checker/quiescence';
export { factSourcesOf, quiescenceSourcesOf } from '../../chaos/src/chaos-run';
export { startChaosEnvironment, type ChaosEnvironment } from '../../chaos/src/environment/chaos-environment';
export type { CheckoutRecord } from '../../chaos/src/workload/checkout-client';
