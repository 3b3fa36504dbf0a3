import { setTimeout as sleep } from 'node:timers/promises';
import {
  addSimulatorFault,
  postCardPayment,
  removeSimulatorFault,
  SteadyTraffic,
  TERMINAL_PAYMENT_STATUSES,
  waitUntilTerminal,
  type DrillCheckout,
} from '@keel/traffic';
import type { DrillOptions } from './drill-options';
import type { BuyerView, DrillObservations, ObservedCheckout } from './drill-observations';
import { drillIncident, sameRoutes, showsSwitchedOff } from './drill-figures';
import type { DrillScenario } from './drill-scenarios';
import type { DrillSystem } from './drill-system';
import {
  buyerView,
  executorRoutes,
  fullyOn,
  incidentsSince,
  opsMethodStatuses,
  routingChangesSince,
} from './keel-reads';
import { OrphanChargeWatch } from './orphan-charges';

const CURRENCY = 'KRW';
const POLL_INTERVAL_MS = 2_000;
/** How long the accepted payments get to become terminal once the traffic stops. */
const SETTLE_TIMEOUT_MS = 180_000;
/** Traffic runs past the recovery wait by this much at most (it is stopped as soon as the drill is done). */
const TRAFFIC_SLACK_S = 60;
/** Indexes of the flood's checkouts start here, so its mix does not repeat the base traffic's order. */
const FLOOD_INDEX_OFFSET = 1_000_000;

function observedCheckout(scenario: DrillScenario, checkout: DrillCheckout, index: number): ObservedCheckout {
  const { methodType, provider } = scenario.methodOf(index);
  const { answer } = checkout;
  const base = { sentAtMs: checkout.sentAtMs, methodType, provider };
  if (answer === undefined || answer.failure !== undefined) return { ...base, outcome: 'unanswered' };
  if (answer.paymentId === undefined)
    return {
      ...base,
      outcome: 'refused',
      refusal: answer.problemType?.split('/').pop() ?? `http_${answer.httpStatus ?? 0}`,
    };
  if (checkout.status === 'completed') return { ...base, outcome: 'completed' };
  return {
    ...base,
    outcome: TERMINAL_PAYMENT_STATUSES.has(checkout.status ?? '') ? 'failed' : 'not_terminal',
  };
}

/**
 * The drill's provider as buyers see it, read until every place shows it switched off (the
 * payment service learns it from ops' event a little later) or the fault ends; the fault lasts
 * its period either way.
 */
async function watchBuyerView(
  system: DrillSystem,
  scenario: DrillScenario,
  untilMs: number,
  log: (line: string) => void,
): Promise<BuyerView | undefined> {
  const target = scenario.targets.providerSwitchedOff;
  let view: BuyerView | undefined;
  while (Date.now() < untilMs) {
    if (target !== undefined && !showsSwitchedOff(view)) {
      view = await buyerView(system.keel, target.methodType, target.provider, CURRENCY).catch(() => view);
      if (showsSwitchedOff(view))
        log(`buyers see ${target.methodType}/${target.provider} switched off: ${JSON.stringify(view)}`);
    }
    await sleep(Math.min(POLL_INTERVAL_MS, Math.max(0, untilMs - Date.now())));
  }
  return view;
}

/** Waits after the fault until the drill's incident recovered and the routing is as before, or the wait ends. */
async function waitForRecovery(
  system: DrillSystem,
  scenario: DrillScenario,
  since: { readonly trafficStartMs: number; readonly routesBefore: DrillObservations['routesBefore'] },
  untilMs: number,
): Promise<void> {
  while (Date.now() < untilMs) {
    const [incidents, routes, methods] = await Promise.all([
      incidentsSince(system.keel, since.trafficStartMs),
      executorRoutes(system.keel),
      opsMethodStatuses(system.keel),
    ]);
    const incident = drillIncident(incidents, scenario.expectedScope);
    const settled = incident === undefined || incident.status !== 'open';
    const restored = sameRoutes(routes, since.routesBefore) && methods.every(fullyOn);
    if (settled && restored) return;
    await sleep(POLL_INTERVAL_MS);
  }
}

/**
 * One drill: traffic of the scenario's mix, a warm-up, the fault for its period (or the flood),
 * the wait for the recovery once it is lifted, the payments settled, then everything read back
 * from the system: incidents, the routing audit, the routes, the method statuses, orphan charges.
 */
export async function runDrill(
  options: DrillOptions,
  system: DrillSystem,
  log: (line: string) => void,
): Promise<DrillObservations> {
  const { scenario, ratePerSecond, faultSeconds, warmupSeconds, recoverySeconds } = options;
  const { keel, payment } = system;
  const send = (index: number) =>
    postCardPayment(payment.url, {
      apiKey: payment.apiKey,
      sellerId: 'seller_drill',
      amountMinor: 10_000n,
      checkoutPrefix: `drill-${scenario.name}`,
      paymentMethod: scenario.methodOf(index).paymentMethod,
    });
  const routesBefore = await executorRoutes(keel);
  const orphanWatch = await OrphanChargeWatch.start(system.kafka, system.topicNamespace);
  try {
    const trafficStartMs = Date.now();
    const traffic = SteadyTraffic.start(
      send,
      ratePerSecond,
      warmupSeconds + faultSeconds + recoverySeconds + TRAFFIC_SLACK_S,
    );
    log(`traffic: ${ratePerSecond} checkouts/s; warm-up ${warmupSeconds} s`);
    await sleep(warmupSeconds * 1_000);

    const faultStartMs = Date.now();
    const faultId =
      scenario.fault === undefined ? undefined : await addSimulatorFault(keel.pspSimUrl, scenario.fault);
    const floodRate = ratePerSecond * ((scenario.faultRateMultiplier ?? 1) - 1);
    const flood =
      floodRate > 0
        ? SteadyTraffic.start((index) => send(FLOOD_INDEX_OFFSET + index), floodRate, faultSeconds)
        : undefined;
    log(
      `fault in force for ${faultSeconds} s: ${JSON.stringify(scenario.fault ?? { floodRatePerSecond: floodRate })}`,
    );
    const view = await watchBuyerView(system, scenario, faultStartMs + faultSeconds * 1_000, log);
    if (faultId !== undefined) await removeSimulatorFault(keel.pspSimUrl, faultId);
    await flood?.stop();
    const faultEndMs = Date.now();
    log(`fault lifted; waiting up to ${recoverySeconds} s for the recovery`);

    await waitForRecovery(
      system,
      scenario,
      { trafficStartMs, routesBefore },
      faultEndMs + recoverySeconds * 1_000,
    );
    const endMs = Date.now();
    await traffic.stop();
    log(
      `traffic stopped: ${traffic.checkouts.length + (flood?.checkouts.length ?? 0)} checkouts; settling the payments`,
    );
    const checkouts = [
      ...traffic.checkouts.map((checkout, index) => ({ checkout, index })),
      ...(flood?.checkouts ?? []).map((checkout, index) => ({ checkout, index: FLOOD_INDEX_OFFSET + index })),
    ];
    await waitUntilTerminal(
      payment,
      checkouts.map(({ checkout }) => checkout).sort((a, b) => a.sentAtMs - b.sentAtMs),
      Date.now(),
      SETTLE_TIMEOUT_MS,
    );

    const [incidents, routingChanges, routesAfter, methods, orphans] = await Promise.all([
      incidentsSince(keel, trafficStartMs),
      routingChangesSince(keel, trafficStartMs),
      executorRoutes(keel),
      opsMethodStatuses(keel),
      orphanWatch.orphans(trafficStartMs),
    ]);
    return {
      scenario: scenario.name,
      ratePerSecond,
      faultSeconds,
      recoverySeconds,
      trafficStartMs,
      faultStartMs,
      faultEndMs,
      endMs,
      checkouts: checkouts.map(({ checkout, index }) => observedCheckout(scenario, checkout, index)),
      incidents,
      routingChanges,
      orphans,
      routesBefore,
      routesAfter,
      switchedOffAfter: methods
        .filter((method) => !fullyOn(method))
        .map((method) => `${method.methodType}/${method.provider}`),
      ...(view === undefined ? {} : { buyerView: view }),
    };
  } finally {
    await orphanWatch.stop();
  }
}
