import type { DetectionScope, SignalScope } from './attempt-signal';
import type { DetectionRule } from './detection-rule';
import type { Firing } from './detector';
import type { ScopeWindow, SignalWindows } from './signal-window';

/**
 * Which part of the payment world a firing shows in trouble, and which part is not: what the
 * routing response acts on and what the incident names as its scope.
 * - `psp_down`: one PSP fails for every provider while other PSPs serve.
 * - `provider_at_psps`: one provider (issuer, easy-pay provider, bank) fails at some PSPs only.
 * - `provider_down`: one provider fails at every PSP that carries it while its siblings work (seen
 *   failing at one PSP at least).
 * - `widespread`: everything seen fails alike — likely Keel's side or the network: no routing
 *   change can help, people decide.
 * - `not_routable`: the rule's kind says nothing routing can fix (latency, unknown outcomes, a
 *   dominant message, a breaker, a pipeline), or a provider fails only at PSPs that fail for their
 *   other providers too (those PSPs' own firings act on them) or at no PSP seen: an alert only.
 */
export type Diagnosis =
  | { readonly kind: 'psp_down'; readonly pspId: string; readonly healthyPsps: readonly string[] }
  | {
      readonly kind: 'provider_at_psps';
      readonly methodType: string;
      readonly provider: string;
      readonly pspIds: readonly string[];
      readonly healthyPsps: readonly string[];
    }
  | {
      readonly kind: 'provider_down';
      readonly methodType: string;
      readonly provider: string;
      readonly failingAt: readonly string[];
      readonly healthyProviders: readonly string[];
    }
  | { readonly kind: 'widespread'; readonly scope: DetectionScope }
  | { readonly kind: 'not_routable'; readonly scope: DetectionScope };

type Health = 'troubled' | 'healthy' | 'unseen';

/** Attempts a scope needs to be judged: probe-sized, a quarter of the rule's minimum volume. */
function judgedVolume(rule: DetectionRule): number {
  return Math.max(1, Math.ceil(rule.minVolume / 4));
}

/** A scope's health by the firing rule's own threshold and window, with probe-sized volume. */
function healthOf(rule: DetectionRule, window: ScopeWindow | undefined, nowMs: number): Health {
  if (window === undefined) return 'unseen';
  const totals = window.totals(nowMs, rule.windowMs);
  if (totals.attempts < judgedVolume(rule)) return 'unseen';
  return totals.troubleRate > rule.threshold ? 'troubled' : 'healthy';
}

/** The recent part of a rule's window, as a share of it: where a fault that just began shows. */
const RECENT_WINDOW_SHARE = 0.25;

function recentWindowMs(rule: DetectionRule): number {
  return Math.max(1, Math.round(rule.windowMs * RECENT_WINDOW_SHARE));
}

/**
 * A provider's health at one PSP: troubled over the rule's window, or over its recent part alone
 * (with probe-sized volume there too). A fault that began seconds ago is diluted over the whole
 * window by the approvals before it — most at the PSP with the larger share — which would call a
 * provider failing everywhere "failing at some PSPs" and leave its traffic on the others.
 */
function providerHealthAt(rule: DetectionRule, window: ScopeWindow | undefined, nowMs: number): Health {
  const overWindow = healthOf(rule, window, nowMs);
  if (overWindow === 'troubled' || window === undefined) return overWindow;
  const recent = healthOf({ ...rule, windowMs: recentWindowMs(rule) }, window, nowMs);
  return recent === 'troubled' ? 'troubled' : overWindow;
}

/**
 * A PSP's other providers failing at this share of the rule's threshold (together, over the window
 * or its recent part) show a PSP in trouble: a PSP-wide fault hits every provider at about the same
 * rate, and with a few attempts each, some land above the threshold and some just below.
 */
const OTHERS_TROUBLE_SHARE = 0.5;

/**
 * Whether a PSP fails for the other providers it carries too: then a provider's trouble there is
 * the PSP's, whatever share of the provider's traffic that PSP had. A PSP seen for no other
 * provider explains nothing.
 */
function troubledForOthers(
  rule: DetectionRule,
  entries: readonly { readonly scope: SignalScope; readonly window: ScopeWindow }[],
  pspId: string,
  methodType: string,
  provider: string,
  nowMs: number,
): boolean {
  const others = entries.filter(
    ({ scope }) =>
      scope.level === 'psp_provider' &&
      scope.pspId === pspId &&
      !(scope.methodType === methodType && scope.provider === provider),
  );
  return [rule.windowMs, recentWindowMs(rule)].some((windowMs) => {
    let attempts = 0;
    let troubles = 0;
    for (const { window } of others) {
      const totals = window.totals(nowMs, windowMs);
      attempts += totals.attempts;
      troubles += totals.counts.failed + totals.counts.unknown;
    }
    return attempts >= judgedVolume(rule) && troubles / attempts > rule.threshold * OTHERS_TROUBLE_SHARE;
  });
}

function byHealth(entries: readonly [string, Health][]): Record<Health, string[]> {
  const grouped: Record<Health, string[]> = { troubled: [], healthy: [], unseen: [] };
  for (const [name, health] of entries) grouped[health].push(name);
  for (const names of Object.values(grouped)) names.sort();
  return grouped;
}

export function diagnose(firing: Firing, windows: SignalWindows, nowMs: number): Diagnosis {
  const { rule, scope } = firing;
  if (rule.kind !== 'trouble_rate') return { kind: 'not_routable', scope };
  const entries = [...windows.entries()];
  switch (scope.level) {
    case 'psp': {
      const others = byHealth(
        entries
          .filter((entry) => entry.scope.level === 'psp' && entry.scope.pspId !== scope.pspId)
          .map((entry) => [(entry.scope as { pspId: string }).pspId, healthOf(rule, entry.window, nowMs)]),
      );
      if (others.healthy.length === 0 && others.troubled.length > 0) return { kind: 'widespread', scope };
      // A PSP failing for one provider only is that provider's trouble there, not the PSP's.
      const providers = entries.flatMap((entry) =>
        entry.scope.level === 'psp_provider' && entry.scope.pspId === scope.pspId
          ? [
              {
                methodType: entry.scope.methodType,
                provider: entry.scope.provider,
                health: healthOf(rule, entry.window, nowMs),
              },
            ]
          : [],
      );
      const troubled = providers.filter((provider) => provider.health === 'troubled');
      const healthy = providers.filter((provider) => provider.health === 'healthy');
      if (troubled.length === 1 && healthy.length > 0) {
        const [only] = troubled;
        return {
          kind: 'provider_at_psps',
          methodType: only.methodType,
          provider: only.provider,
          pspIds: [scope.pspId],
          healthyPsps: others.healthy,
        };
      }
      return { kind: 'psp_down', pspId: scope.pspId, healthyPsps: others.healthy };
    }
    case 'provider':
    case 'psp_provider': {
      const { methodType, provider } = scope;
      const atPsps = byHealth(
        entries.flatMap((entry): [string, Health][] =>
          entry.scope.level === 'psp_provider' &&
          entry.scope.methodType === methodType &&
          entry.scope.provider === provider
            ? [[entry.scope.pspId, providerHealthAt(rule, entry.window, nowMs)]]
            : [],
        ),
      );
      // Seen failing only where the PSP fails for everyone (its breaker, an outage): nothing to
      // switch off or reroute for this provider; the PSP's own firing moves its traffic.
      const ownTrouble = atPsps.troubled.filter(
        (pspId) => !troubledForOthers(rule, entries, pspId, methodType, provider, nowMs),
      );
      if (atPsps.troubled.length > 0 && ownTrouble.length === 0) return { kind: 'not_routable', scope };
      if (atPsps.healthy.length > 0 && ownTrouble.length > 0)
        return {
          kind: 'provider_at_psps',
          methodType,
          provider,
          pspIds: ownTrouble,
          healthyPsps: atPsps.healthy,
        };
      const siblings = byHealth(
        entries.flatMap((entry): [string, Health][] =>
          entry.scope.level === 'provider' &&
          entry.scope.methodType === methodType &&
          entry.scope.provider !== provider
            ? [[entry.scope.provider, healthOf(rule, entry.window, nowMs)]]
            : [],
        ),
      );
      if (siblings.healthy.length === 0 && siblings.troubled.length > 0) return { kind: 'widespread', scope };
      // No PSP shows the provider failing with volume enough to judge (its attempts reached none,
      // or too few at each): nothing says which PSPs, nor that switching it off would help.
      if (ownTrouble.length === 0) return { kind: 'not_routable', scope };
      return {
        kind: 'provider_down',
        methodType,
        provider,
        failingAt: atPsps.troubled,
        healthyProviders: siblings.healthy,
      };
    }
    case 'service':
      return { kind: 'not_routable', scope };
    default: {
      const unreachable: never = scope;
      return unreachable;
    }
  }
}
