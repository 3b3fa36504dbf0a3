import { percentile } from '@keel/traffic';
import type { DrillScenario } from './drill-scenarios';
import type {
  BuyerView,
  CheckoutOutcome,
  DrillObservations,
  ObservedCheckout,
  ObservedIncident,
  ObservedRoutingChange,
  RouteRow,
} from './drill-observations';

/** The actor of ops' automatic changes (apps/ops AUTOMATION_ACTOR). */
export const AUTOMATION_ACTOR = 'ops:auto';

export type OutcomeCounts = Readonly<Record<CheckoutOutcome, number>> & { readonly sent: number };

export interface IncidentSummary {
  readonly id: string;
  readonly scopeKey: string;
  readonly ruleId: string;
  readonly diagnosisKind: string;
  readonly status: string;
  /** From the fault's start (negative: before it). */
  readonly detectedAfterMs: number;
}

export interface Verdict {
  readonly name: string;
  readonly target: string;
  readonly observed: string;
  readonly met: boolean;
}

export interface DrillFigures {
  readonly scenario: string;
  readonly ratePerSecond: number;
  readonly faultSeconds: number;
  /** Fault start → the expected incident opened (its detection time). */
  readonly detectMs: number | undefined;
  /** Fault start → ops' first automatic routing change. */
  readonly mitigateMs: number | undefined;
  readonly firstMitigation: string | undefined;
  readonly incidents: readonly IncidentSummary[];
  readonly automaticChanges: number;
  readonly manualChanges: number;
  /** Checkouts sent while the fault was in force, all and the scenario's watched ones. */
  readonly duringFault: OutcomeCounts;
  readonly watched: OutcomeCounts & { readonly label: string; readonly succeededShare: number | undefined };
  /** Checkouts sent during the fault, by `methodType/provider`. */
  readonly byProvider: Readonly<Record<string, OutcomeCounts>>;
  readonly overall: OutcomeCounts;
  readonly orphans: {
    readonly detected: number;
    readonly refunded: number;
    readonly refundDelayMs: { readonly median: number; readonly max: number } | undefined;
  };
  /** Fault lifted → the expected incident's last recovery (negative: it recovered under the mitigation). */
  readonly incidentRecoveredMs: number | undefined;
  /** Fault lifted → the last automatic change that put the routing back as it was before. */
  readonly routingRestoredMs: number | undefined;
  readonly routingAsBefore: boolean;
  readonly switchedOffAfter: readonly string[];
  readonly verdicts: readonly Verdict[];
  readonly passed: boolean;
}

const EMPTY_COUNTS: OutcomeCounts = {
  sent: 0,
  completed: 0,
  failed: 0,
  not_terminal: 0,
  refused: 0,
  unanswered: 0,
};

export function countOutcomes(checkouts: readonly ObservedCheckout[]): OutcomeCounts {
  return checkouts.reduce<OutcomeCounts>(
    (counts, checkout) => ({
      ...counts,
      sent: counts.sent + 1,
      [checkout.outcome]: counts[checkout.outcome] + 1,
    }),
    EMPTY_COUNTS,
  );
}

/** The incident the scenario is about: the first on its expected scope, else the first opened. */
export function drillIncident(
  incidents: readonly ObservedIncident[],
  expectedScope: string | undefined,
): ObservedIncident | undefined {
  const byDetection = [...incidents].sort((a, b) => a.detectedAtMs - b.detectedAtMs);
  if (expectedScope === undefined) return byDetection[0];
  return byDetection.find((incident) => incident.scopeKey === expectedScope);
}

const routeText = (route: RouteRow) => `${route.pspId}=${route.weight}:${route.enabled}`;

/**
 * The table as traffic sees it: a provider's own group that routes exactly as its method's `*`
 * group is left out (a mitigation's group restored to the old weights stays in the table, and
 * changes nothing).
 */
function effectiveRoutes(routes: readonly RouteRow[]): string[] {
  const groupOf = (methodType: string, provider: string) =>
    routes
      .filter((route) => route.methodType === methodType && route.provider === provider)
      .map(routeText)
      .sort()
      .join(',');
  return routes
    .filter(
      (route) =>
        route.provider === '*' ||
        groupOf(route.methodType, route.provider) !== groupOf(route.methodType, '*'),
    )
    .map((route) => `${route.methodType}/${route.provider}/${routeText(route)}`)
    .sort();
}

/** Whether two tables route every payment alike. */
export function sameRoutes(a: readonly RouteRow[], b: readonly RouteRow[]): boolean {
  return JSON.stringify(effectiveRoutes(a)) === JSON.stringify(effectiveRoutes(b));
}

/**
 * One line for a routing change: `card/* acme 70→0, nova 30`, `card/hyundai switched off: "…"`,
 * `card/hyundai switched on for 10 % of its payments` (a probe) or `card/hyundai switched on`.
 */
export function describeChange(change: ObservedRoutingChange): string {
  const group = `${change.methodType}/${change.provider}`;
  if (change.kind === 'method') {
    const after = change.after as {
      enabled?: boolean;
      admittedPercent?: number | null;
      notice?: string;
    } | null;
    if (after?.enabled === false) return `${group} switched off: "${after.notice ?? ''}"`;
    const admitted = after?.admittedPercent ?? null;
    return admitted === null
      ? `${group} switched on`
      : `${group} switched on for ${admitted} % of its payments`;
  }
  if (change.kind !== 'weights') return `${group} ${change.kind}`;
  const before = Array.isArray(change.before) ? (change.before as RouteRow[]) : [];
  const after = Array.isArray(change.after) ? (change.after as RouteRow[]) : [];
  const weights = after.map((route) => {
    const old = before.find((candidate) => candidate.pspId === route.pspId);
    return old === undefined || old.weight === route.weight
      ? `${route.pspId} ${route.weight}`
      : `${route.pspId} ${old.weight}→${route.weight}`;
  });
  return `${group} ${weights.join(', ')}`;
}

/** Every place that tells buyers (and is there) shows the provider switched off. */
export function showsSwitchedOff(view: BuyerView | undefined): boolean {
  if (view?.ops === undefined || view.ops.enabled) return false;
  const listed = view.paymentMethods === 'absent' || view.paymentMethods?.enabled === false;
  const statusPage = view.statusPage === 'absent' || view.statusPage.mentioned;
  return listed && statusPage;
}

function fromMs(atMs: number | undefined, originMs: number): number | undefined {
  return atMs === undefined ? undefined : atMs - originMs;
}

const seconds = (ms: number | undefined): string =>
  ms === undefined ? 'never' : `${(ms / 1_000).toFixed(1)} s`;
const share = (value: number | undefined): string =>
  value === undefined ? 'n/a' : `${(100 * value).toFixed(1)} %`;

function verdictsOf(
  scenario: DrillScenario,
  observations: DrillObservations,
  figures: Omit<DrillFigures, 'verdicts' | 'passed'>,
): Verdict[] {
  const { targets } = scenario;
  const verdicts: Verdict[] = [];
  if (targets.detectMsMax !== undefined)
    verdicts.push({
      name: 'time to detect',
      target: `≤ ${seconds(targets.detectMsMax)}`,
      observed: seconds(figures.detectMs),
      met: figures.detectMs !== undefined && figures.detectMs <= targets.detectMsMax,
    });
  if (targets.mitigateMsMax !== undefined)
    verdicts.push({
      name: 'time to mitigate',
      target: `≤ ${seconds(targets.mitigateMsMax)}`,
      observed: seconds(figures.mitigateMs),
      met: figures.mitigateMs !== undefined && figures.mitigateMs <= targets.mitigateMsMax,
    });
  if (targets.watchedSucceededMin !== undefined) {
    const observed = figures.watched.succeededShare;
    verdicts.push({
      name: `${figures.watched.label} sent during the fault that succeeded`,
      target: `≥ ${share(targets.watchedSucceededMin)}`,
      observed: `${share(observed)} (${figures.watched.completed}/${figures.watched.sent})`,
      met: observed !== undefined && observed >= targets.watchedSucceededMin,
    });
  }
  if (targets.providerSwitchedOff !== undefined) {
    const { methodType, provider } = targets.providerSwitchedOff;
    const view = observations.buyerView;
    const off = view?.ops !== undefined && !view.ops.enabled && (view.ops.notice ?? '') !== '';
    verdicts.push({
      name: `${methodType}/${provider} switched off for buyers with a notice`,
      target: 'off, with its notice',
      observed:
        view?.ops === undefined
          ? 'never switched'
          : view.ops.enabled
            ? 'still on'
            : `off: "${view.ops.notice ?? ''}"`,
      met: off,
    });
    if (view !== undefined && view.paymentMethods !== 'absent')
      verdicts.push({
        name: `${methodType}/${provider} switched off in GET /v1/payment-methods`,
        target: 'listed as switched off, with its notice',
        observed:
          view.paymentMethods === undefined
            ? `${methodType} not listed`
            : view.paymentMethods.enabled
              ? 'listed as available'
              : `switched off: "${view.paymentMethods.notice ?? ''}"`,
        met: view.paymentMethods?.enabled === false && (view.paymentMethods.notice ?? '') !== '',
      });
    if (view !== undefined && view.statusPage !== 'absent')
      verdicts.push({
        name: `${provider} on the status page (/status.json)`,
        target: 'named',
        observed: view.statusPage.mentioned ? 'named' : 'not named',
        met: view.statusPage.mentioned,
      });
  }
  if (targets.noIncident === true)
    verdicts.push({
      name: 'incidents opened',
      target: 'none',
      observed: String(figures.incidents.length),
      met: figures.incidents.length === 0,
    });
  if (figures.automaticChanges > 0)
    verdicts.push({
      name: 'routing as before once the fault was lifted',
      target: `weights and methods restored within the recovery wait (${seconds(observations.recoverySeconds * 1_000)})`,
      observed: figures.routingAsBefore
        ? `restored after ${seconds(figures.routingRestoredMs)}`
        : `not restored (${figures.switchedOffAfter.length === 0 ? 'weights differ' : `still off: ${figures.switchedOffAfter.join(', ')}`})`,
      met: figures.routingAsBefore,
    });
  return verdicts;
}

/** The drill's figures and verdicts from what it observed. */
export function drillFigures(scenario: DrillScenario, observations: DrillObservations): DrillFigures {
  const { faultStartMs, faultEndMs } = observations;
  const incident = drillIncident(observations.incidents, scenario.expectedScope);
  const automatic = observations.routingChanges.filter((change) => change.actor === AUTOMATION_ACTOR);
  const firstAutomatic = automatic.find((change) => change.atMs >= faultStartMs);
  const during = observations.checkouts.filter(
    (checkout) => checkout.sentAtMs >= faultStartMs && checkout.sentAtMs < faultEndMs,
  );
  const watchedCheckouts = during.filter((checkout) => scenario.watched.includes(checkout));
  const watchedCounts = countOutcomes(watchedCheckouts);
  const byProvider: Record<string, OutcomeCounts> = {};
  for (const key of [
    ...new Set(during.map((checkout) => `${checkout.methodType}/${checkout.provider}`)),
  ].sort())
    byProvider[key] = countOutcomes(
      during.filter((checkout) => `${checkout.methodType}/${checkout.provider}` === key),
    );
  const delays = observations.orphans
    .flatMap((orphan) =>
      orphan.refundedAtMs === undefined ? [] : [orphan.refundedAtMs - orphan.detectedAtMs],
    )
    .sort((a, b) => a - b);
  // The last recovery: one rule may recover while another still fires on the incident.
  const recoveredAtMs =
    incident?.status === 'open'
      ? undefined
      : incident?.updates.filter((update) => update.kind === 'recovered').pop()?.atMs;
  const routingAsBefore =
    sameRoutes(observations.routesBefore, observations.routesAfter) &&
    observations.switchedOffAfter.length === 0;
  const lastAutomatic = automatic[automatic.length - 1];
  const figures = {
    scenario: scenario.name,
    ratePerSecond: observations.ratePerSecond,
    faultSeconds: observations.faultSeconds,
    detectMs: fromMs(incident?.detectedAtMs, faultStartMs),
    mitigateMs: fromMs(firstAutomatic?.atMs, faultStartMs),
    firstMitigation: firstAutomatic === undefined ? undefined : describeChange(firstAutomatic),
    incidents: observations.incidents.map((candidate) => ({
      id: candidate.id,
      scopeKey: candidate.scopeKey,
      ruleId: candidate.ruleId,
      diagnosisKind: candidate.diagnosisKind,
      status: candidate.status,
      detectedAfterMs: candidate.detectedAtMs - faultStartMs,
    })),
    automaticChanges: automatic.length,
    manualChanges: observations.routingChanges.length - automatic.length,
    duringFault: countOutcomes(during),
    watched: {
      ...watchedCounts,
      label: scenario.watched.label,
      succeededShare: watchedCounts.sent === 0 ? undefined : watchedCounts.completed / watchedCounts.sent,
    },
    byProvider,
    overall: countOutcomes(observations.checkouts),
    orphans: {
      detected: observations.orphans.length,
      refunded: delays.length,
      refundDelayMs:
        delays.length === 0
          ? undefined
          : { median: percentile(delays, 50) ?? 0, max: delays[delays.length - 1] ?? 0 },
    },
    incidentRecoveredMs: fromMs(recoveredAtMs, faultEndMs),
    routingRestoredMs:
      routingAsBefore && lastAutomatic !== undefined ? lastAutomatic.atMs - faultEndMs : undefined,
    routingAsBefore,
    switchedOffAfter: observations.switchedOffAfter,
  };
  const verdicts = verdictsOf(scenario, observations, figures);
  return { ...figures, verdicts, passed: verdicts.every((verdict) => verdict.met) };
}
