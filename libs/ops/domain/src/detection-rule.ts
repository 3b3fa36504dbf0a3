import { SCOPE_LEVELS, type ScopeLevel } from './attempt-signal';

/**
 * What a rule watches. Windowed over attempts: `trouble_rate` (failed and unknown attempts'
 * share), `dominant_error` (one message's share of the attempts not approved), `approval_drop`
 * (the approval ratio's fall against the window before, while attempts hold), `latency_percentile`
 * (ms), `unknown_outcomes` (attempts whose outcome is still unknown). From state: `breaker_open`
 * (a PSP's breaker), `pipeline_lag` (a service's outbox backlog plus consumer lag, in records).
 */
export const RULE_KINDS = [
  'trouble_rate',
  'dominant_error',
  'approval_drop',
  'latency_percentile',
  'unknown_outcomes',
  'breaker_open',
  'pipeline_lag',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const WINDOWED_RULE_KINDS: readonly RuleKind[] = [
  'trouble_rate',
  'dominant_error',
  'approval_drop',
  'latency_percentile',
  'unknown_outcomes',
];

/** `alert_only`: an incident and a notification; `auto_act`: the routing response as well. */
export const RULE_RESPONSES = ['alert_only', 'auto_act'] as const;
export type RuleResponse = (typeof RULE_RESPONSES)[number];

export interface DetectionRule {
  readonly id: string;
  readonly kind: RuleKind;
  /** The scopes a windowed rule looks at; state rules have their own (a PSP, a service). */
  readonly level?: ScopeLevel;
  /** Fires above it: a share (0–1) for rates, ms for latency, records or attempts for counts. */
  readonly threshold: number;
  readonly windowMs: number;
  /** Attempts a window needs before the rule looks at it: a blip is not an outage. */
  readonly minVolume: number;
  /** After a recovery, the same rule and scope do not fire again for this long. */
  readonly cooldownMs: number;
  readonly response: RuleResponse;
  /** `latency_percentile`: which percentile (0–1). */
  readonly percentile?: number;
  /** `approval_drop`: the window before the current one that sets the usual ratio. */
  readonly baselineWindowMs?: number;
}

const MINUTE_MS = 60_000;

/** Keel's rules out of the box; operators change them at run time. */
export const DEFAULT_DETECTION_RULES: readonly DetectionRule[] = [
  {
    id: 'psp-trouble',
    kind: 'trouble_rate',
    level: 'psp',
    threshold: 0.3,
    windowMs: 20_000,
    minVolume: 20,
    cooldownMs: 2 * MINUTE_MS,
    response: 'auto_act',
  },
  {
    id: 'provider-trouble',
    kind: 'trouble_rate',
    level: 'provider',
    threshold: 0.5,
    windowMs: 30_000,
    minVolume: 20,
    cooldownMs: 2 * MINUTE_MS,
    response: 'auto_act',
  },
  {
    id: 'provider-dominant-error',
    kind: 'dominant_error',
    level: 'provider',
    threshold: 0.8,
    windowMs: MINUTE_MS,
    minVolume: 20,
    cooldownMs: 5 * MINUTE_MS,
    response: 'alert_only',
  },
  {
    id: 'psp-approval-drop',
    kind: 'approval_drop',
    level: 'psp',
    threshold: 0.25,
    windowMs: MINUTE_MS,
    baselineWindowMs: 10 * MINUTE_MS,
    minVolume: 50,
    cooldownMs: 5 * MINUTE_MS,
    response: 'alert_only',
  },
  {
    id: 'psp-slow',
    kind: 'latency_percentile',
    level: 'psp',
    percentile: 0.95,
    threshold: 5_000,
    windowMs: MINUTE_MS,
    minVolume: 20,
    cooldownMs: 5 * MINUTE_MS,
    response: 'alert_only',
  },
  {
    id: 'psp-unknown-outcomes',
    kind: 'unknown_outcomes',
    level: 'psp',
    threshold: 20,
    windowMs: MINUTE_MS,
    minVolume: 1,
    cooldownMs: 5 * MINUTE_MS,
    response: 'alert_only',
  },
  {
    id: 'psp-breaker-open',
    kind: 'breaker_open',
    threshold: 0,
    windowMs: 0,
    minVolume: 0,
    cooldownMs: MINUTE_MS,
    response: 'alert_only',
  },
  {
    id: 'pipeline-lag',
    kind: 'pipeline_lag',
    threshold: 10_000,
    windowMs: 0,
    minVolume: 0,
    cooldownMs: 5 * MINUTE_MS,
    response: 'alert_only',
  },
];

/** The longest history any of the rules reads: the windows' horizon. */
export function horizonOf(rules: readonly DetectionRule[]): number {
  return Math.max(0, ...rules.map((rule) => rule.windowMs + (rule.baselineWindowMs ?? 0)));
}

/** Why a rule set cannot be used, one line per problem; empty when it can. */
export function ruleProblems(rules: readonly DetectionRule[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const rule of rules) {
    const name = `rule ${JSON.stringify(rule.id)}`;
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(rule.id))
      problems.push(`${name}: id must be lowercase letters, digits and dashes`);
    if (ids.has(rule.id)) problems.push(`${name}: id used twice`);
    ids.add(rule.id);
    if (!RULE_KINDS.includes(rule.kind)) problems.push(`${name}: unknown kind ${JSON.stringify(rule.kind)}`);
    if (!RULE_RESPONSES.includes(rule.response))
      problems.push(`${name}: response must be one of ${RULE_RESPONSES.join(', ')}`);
    if (!Number.isFinite(rule.threshold) || rule.threshold < 0)
      problems.push(`${name}: threshold must be ≥ 0`);
    const isRate =
      rule.kind === 'trouble_rate' || rule.kind === 'dominant_error' || rule.kind === 'approval_drop';
    if (isRate && rule.threshold > 1)
      problems.push(`${name}: a ${rule.kind} threshold is a share, at most 1`);
    if (!Number.isInteger(rule.cooldownMs) || rule.cooldownMs < 0)
      problems.push(`${name}: cooldownMs must be a whole number ≥ 0`);
    if (WINDOWED_RULE_KINDS.includes(rule.kind)) {
      if (rule.level === undefined || !SCOPE_LEVELS.includes(rule.level))
        problems.push(`${name}: level must be one of ${SCOPE_LEVELS.join(', ')}`);
      if (!Number.isInteger(rule.windowMs) || rule.windowMs < 1_000)
        problems.push(`${name}: windowMs must be a whole number ≥ 1000`);
      if (!Number.isInteger(rule.minVolume) || rule.minVolume < 1)
        problems.push(`${name}: minVolume must be a whole number ≥ 1`);
    }
    if (
      rule.kind === 'latency_percentile' &&
      !(rule.percentile !== undefined && rule.percentile > 0 && rule.percentile < 1)
    )
      problems.push(`${name}: percentile must be between 0 and 1`);
    if (
      rule.kind === 'approval_drop' &&
      !(rule.baselineWindowMs !== undefined && rule.baselineWindowMs >= rule.windowMs)
    )
      problems.push(`${name}: baselineWindowMs must be at least windowMs`);
  }
  return problems;
}
