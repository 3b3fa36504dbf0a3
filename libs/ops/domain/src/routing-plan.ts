import type { Diagnosis } from './diagnosis';

/** Any provider of a method type: the routes a provider without its own follows. */
export const ANY_PROVIDER = '*';

/** One PSP's share of a method's (or one provider's) traffic, as the executor's routes hold it. */
export interface Route {
  readonly methodType: string;
  readonly provider: string;
  readonly pspId: string;
  readonly weight: number;
  readonly enabled: boolean;
}

/** A person's hold on a route group or a method: automation leaves it alone until released. */
export interface ManualHold {
  readonly methodType: string;
  readonly provider: string;
  readonly actor: string;
}

export type RoutingChange =
  | {
      readonly kind: 'weights';
      readonly methodType: string;
      readonly provider: string;
      /** The group's routes before: its own, or the method's `*` routes it followed. */
      readonly before: readonly Route[];
      readonly after: readonly Route[];
    }
  | {
      readonly kind: 'method';
      readonly methodType: string;
      readonly provider: string;
      readonly enabled: boolean;
      /**
       * While it is probed (enabled): the share of its new payments admitted, in percent (1–99);
       * absent, every payment when enabled.
       */
      readonly admittedPercent?: number;
      /** What buyers are told while it is off, or refused while it is probed. */
      readonly notice?: string;
    };

export interface RoutingPlan {
  readonly changes: readonly RoutingChange[];
  /** What the plan would have changed and did not, and why (a hold, the last PSP of a method). */
  readonly skipped: readonly {
    readonly methodType: string;
    readonly provider: string;
    readonly why: string;
  }[];
}

const groupKey = (methodType: string, provider: string) => `${methodType}/${provider}`;

function serving(routes: readonly Route[]): Route[] {
  return routes.filter((route) => route.enabled && route.weight > 0);
}

/** The routes a provider's traffic follows: its own group, else its method's `*` group. */
export function routesOf(routes: readonly Route[], methodType: string, provider: string): Route[] {
  const own = routes.filter((route) => route.methodType === methodType && route.provider === provider);
  if (own.length > 0 || provider === ANY_PROVIDER) return own;
  return routes.filter((route) => route.methodType === methodType && route.provider === ANY_PROVIDER);
}

/**
 * What the routing response does for a diagnosis: a PSP down gets weight 0 in every group it
 * serves; one provider failing at some PSPs gets a group of its own with those PSPs at 0 (the rest
 * keeping their weights, so traffic redistributes by them); a provider down everywhere is switched
 * off with its notice. A group a person holds is left alone, and no group loses its last PSP:
 * both are reported as skipped. Widespread or unroutable trouble changes nothing.
 */
export function planMitigation(
  diagnosis: Diagnosis,
  routes: readonly Route[],
  holds: readonly ManualHold[],
  noticeOf: (methodType: string, provider: string) => string,
): RoutingPlan {
  const changes: RoutingChange[] = [];
  const skipped: { methodType: string; provider: string; why: string }[] = [];
  const holder = (methodType: string, provider: string) =>
    holds.find((hold) => groupKey(hold.methodType, hold.provider) === groupKey(methodType, provider))?.actor;
  const zeroIn = (methodType: string, provider: string, pspIds: readonly string[]) => {
    const actor = holder(methodType, provider);
    if (actor !== undefined) {
      skipped.push({ methodType, provider, why: `held by ${actor}` });
      return;
    }
    const before = routesOf(routes, methodType, provider);
    const after = before.map((route) => ({
      ...route,
      provider,
      weight: pspIds.includes(route.pspId) ? 0 : route.weight,
    }));
    if (serving(after).length === 0) {
      skipped.push({ methodType, provider, why: `no other PSP serves ${groupKey(methodType, provider)}` });
      return;
    }
    changes.push({ kind: 'weights', methodType, provider, before, after });
  };

  switch (diagnosis.kind) {
    case 'psp_down': {
      const groups = new Map<string, { methodType: string; provider: string }>();
      for (const route of serving(routes).filter((candidate) => candidate.pspId === diagnosis.pspId))
        groups.set(groupKey(route.methodType, route.provider), route);
      for (const { methodType, provider } of groups.values()) zeroIn(methodType, provider, [diagnosis.pspId]);
      break;
    }
    case 'provider_at_psps':
      zeroIn(diagnosis.methodType, diagnosis.provider, diagnosis.pspIds);
      break;
    case 'provider_down': {
      const { methodType, provider } = diagnosis;
      const actor = holder(methodType, provider);
      if (actor !== undefined) skipped.push({ methodType, provider, why: `held by ${actor}` });
      else
        changes.push({
          kind: 'method',
          methodType,
          provider,
          enabled: false,
          notice: noticeOf(methodType, provider),
        });
      break;
    }
    case 'widespread':
    case 'not_routable':
      break;
    default: {
      const unreachable: never = diagnosis;
      return unreachable;
    }
  }
  return { changes, skipped };
}

/** The weight a PSP taken out gets at the probe stage: a share of its old weight, at least 1. */
function probeWeight(old: Route, probeShare: number): number {
  return Math.max(1, Math.round(old.weight * probeShare));
}

/** A group still as the mitigation (or its probe stage) left it: nobody changed it since. */
function unchangedSince(
  change: Extract<RoutingChange, { kind: 'weights' }>,
  current: readonly Route[],
  probeShare: number,
): boolean {
  if (current.length !== change.after.length) return false;
  return change.after.every((planned) => {
    const route = current.find((candidate) => candidate.pspId === planned.pspId);
    const old = change.before.find((candidate) => candidate.pspId === planned.pspId);
    if (route === undefined || route.enabled !== planned.enabled) return false;
    const probed =
      old !== undefined && old.weight !== planned.weight && route.weight === probeWeight(old, probeShare);
    return route.weight === planned.weight || probed;
  });
}

/** What the probe stage lets through of what a mitigation took out. */
export interface ProbeShares {
  /** Of a PSP's old weight (0–1; the weight is at least 1). */
  readonly weightShare: number;
  /** Of a switched-off method's or provider's new payments, in percent (1–99). */
  readonly admittedPercent: number;
}

/**
 * Undoing a mitigation in two stages once its signal recovers: `probe` gives each PSP taken out a
 * small share of its old weight (at least 1), and a method switched off a share of its payments
 * (the rest still refused with its notice), so that traffic can show it
 * healthy without the whole of it failing again; `full` puts the old weights back and the method
 * fully on. A group someone changed since the mitigation is left as it is.
 */
export function planRestore(
  mitigation: readonly RoutingChange[],
  routes: readonly Route[],
  stage: 'probe' | 'full',
  probe: ProbeShares,
): RoutingPlan {
  const changes: RoutingChange[] = [];
  const skipped: { methodType: string; provider: string; why: string }[] = [];
  for (const change of mitigation) {
    if (change.kind === 'method') {
      const { methodType, provider, notice } = change;
      changes.push(
        stage === 'full'
          ? { kind: 'method', methodType, provider, enabled: true }
          : {
              kind: 'method',
              methodType,
              provider,
              enabled: true,
              admittedPercent: probe.admittedPercent,
              ...(notice === undefined ? {} : { notice }),
            },
      );
      continue;
    }
    const current = routes.filter(
      (route) => route.methodType === change.methodType && route.provider === change.provider,
    );
    if (!unchangedSince(change, current, probe.weightShare)) {
      skipped.push({
        methodType: change.methodType,
        provider: change.provider,
        why: 'changed since the mitigation',
      });
      continue;
    }
    const after = change.after.map((planned) => {
      const old = change.before.find((route) => route.pspId === planned.pspId);
      if (old === undefined || old.weight === planned.weight) return planned;
      return { ...planned, weight: stage === 'full' ? old.weight : probeWeight(old, probe.weightShare) };
    });
    changes.push({
      kind: 'weights',
      methodType: change.methodType,
      provider: change.provider,
      before: current,
      after,
    });
  }
  return { changes, skipped };
}
