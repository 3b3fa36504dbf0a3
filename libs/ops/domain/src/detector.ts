import { scopeKey, type DetectionScope, type SignalScope } from './attempt-signal';
import type { DetectionRule } from './detection-rule';
import type { ScopeWindow, SignalWindows, WindowTotals } from './signal-window';

/** A PSP breaker's state, from the executor's breaker events. */
export interface BreakerReading {
  readonly pspId: string;
  readonly state: 'closed' | 'half_open' | 'open';
}

/** A service's outbox backlog plus consumer lag, in records. */
export interface PipelineReading {
  readonly service: string;
  readonly backlogRecords: number;
}

export interface DetectionInputs {
  readonly nowMs: number;
  readonly windows: SignalWindows;
  readonly breakers: readonly BreakerReading[];
  readonly pipeline: readonly PipelineReading[];
}

/** What a rule saw in a scope: the figure it compares with its threshold, and over how much. */
export interface Observation {
  readonly observed: number;
  /** Attempts (or records) behind the figure. */
  readonly volume: number;
  /**
   * Attempts that can show a recovery, when more than `volume`: every attempt for a share of the
   * failures (approvals show a recovery too), where `volume` counts the failures only.
   */
  readonly recoveryVolume?: number;
  readonly breached: boolean;
  /** For a `dominant_error`: the message. */
  readonly detail?: string;
}

export interface Firing {
  readonly rule: DetectionRule;
  readonly scope: DetectionScope;
  readonly firedAtMs: number;
  readonly latest: Observation;
}

export type DetectionChange =
  | { readonly kind: 'fired'; readonly firing: Firing }
  | { readonly kind: 'recovered'; readonly firing: Firing; readonly recoveredAtMs: number };

/** Of a firing rule's volume, the share that is enough to see it recover (probe traffic). */
const RECOVERY_VOLUME_SHARE = 0.25;

function windowedObservation(
  rule: DetectionRule,
  window: ScopeWindow,
  nowMs: number,
): Observation | undefined {
  const current = window.totals(nowMs, rule.windowMs);
  const breachedBy = (observed: number, volume: number, detail?: string): Observation => ({
    observed,
    volume,
    breached: observed > rule.threshold,
    detail,
  });
  switch (rule.kind) {
    case 'trouble_rate':
      return breachedBy(current.troubleRate, current.attempts);
    case 'dominant_error': {
      const notApproved = current.attempts - current.counts.approved;
      return {
        ...breachedBy(current.topError?.share ?? 0, notApproved, current.topError?.message),
        recoveryVolume: current.attempts,
      };
    }
    case 'approval_drop':
      return approvalDrop(rule, window, current, nowMs);
    case 'latency_percentile':
      return breachedBy(current.latencyPercentileMs(rule.percentile ?? 0.95), current.attempts);
    case 'unknown_outcomes':
      return breachedBy(current.counts.unknown, current.attempts);
    case 'breaker_open':
    case 'pipeline_lag':
      return undefined;
    default: {
      const unreachable: never = rule.kind;
      return unreachable;
    }
  }
}

/** The fall of the approval ratio against the baseline before the window, while attempts hold. */
function approvalDrop(
  rule: DetectionRule,
  window: ScopeWindow,
  current: WindowTotals,
  nowMs: number,
): Observation | undefined {
  const baselineMs = rule.baselineWindowMs ?? rule.windowMs;
  const baseline = window.totals(nowMs - rule.windowMs, baselineMs);
  if (baseline.attempts < rule.minVolume) return undefined;
  const drop = baseline.approvalRate - current.approvalRate;
  // Fewer attempts than half the usual pace is traffic moving away, not approvals falling.
  const attemptsHold = current.attempts / rule.windowMs >= baseline.attempts / baselineMs / 2;
  return { observed: drop, volume: current.attempts, breached: attemptsHold && drop > rule.threshold };
}

/**
 * Runs the rules over the inputs and keeps which rule fires in which scope. A rule looks at a
 * window only with at least its minimum volume (a blip is not an outage); it fires once when its
 * figure goes over the threshold and recovers once the figure is back under it with at least a
 * quarter of that volume (probe traffic is enough); after a recovery the same rule and scope stay
 * quiet for the rule's cool-down. State rules fire while the state holds.
 */
export class Detector {
  readonly #firing = new Map<string, Firing>();
  readonly #recoveredAtMs = new Map<string, number>();

  constructor(private rules: readonly DetectionRule[]) {}

  /** New rules from now on; firings of rules that are gone recover at the next evaluation. */
  replaceRules(rules: readonly DetectionRule[]): void {
    this.rules = rules;
  }

  firing(): Firing[] {
    return [...this.#firing.values()];
  }

  evaluate(inputs: DetectionInputs): DetectionChange[] {
    const changes: DetectionChange[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      for (const [scope, observation] of observationsOf(rule, inputs)) {
        const key = `${rule.id}|${scopeKey(scope)}`;
        seen.add(key);
        const change = this.#apply(key, rule, scope, observation, inputs.nowMs);
        if (change !== undefined) changes.push(change);
      }
    }
    for (const [key, firing] of this.#firing) {
      const ruleStillThere = this.rules.some((rule) => rule.id === firing.rule.id);
      const stateGone = firing.rule.windowMs === 0 && !seen.has(key);
      if (!ruleStillThere || stateGone) changes.push(this.#recover(key, firing, inputs.nowMs));
    }
    return changes;
  }

  #apply(
    key: string,
    rule: DetectionRule,
    scope: DetectionScope,
    observation: Observation,
    nowMs: number,
  ): DetectionChange | undefined {
    const firing = this.#firing.get(key);
    if (firing !== undefined) {
      const updated = { ...firing, rule, latest: observation };
      this.#firing.set(key, updated);
      const enough =
        (observation.recoveryVolume ?? observation.volume) >=
        Math.ceil(rule.minVolume * RECOVERY_VOLUME_SHARE);
      return !observation.breached && enough ? this.#recover(key, updated, nowMs) : undefined;
    }
    if (!observation.breached || observation.volume < rule.minVolume) return undefined;
    const recoveredAtMs = this.#recoveredAtMs.get(key);
    if (recoveredAtMs !== undefined && nowMs - recoveredAtMs < rule.cooldownMs) return undefined;
    const fired: Firing = { rule, scope, firedAtMs: nowMs, latest: observation };
    this.#firing.set(key, fired);
    return { kind: 'fired', firing: fired };
  }

  #recover(key: string, firing: Firing, nowMs: number): DetectionChange {
    this.#firing.delete(key);
    this.#recoveredAtMs.set(key, nowMs);
    return { kind: 'recovered', firing, recoveredAtMs: nowMs };
  }
}

function observationsOf(rule: DetectionRule, inputs: DetectionInputs): [DetectionScope, Observation][] {
  switch (rule.kind) {
    case 'breaker_open':
      return inputs.breakers
        .filter((breaker) => breaker.state === 'open')
        .map((breaker) => [
          { level: 'psp', pspId: breaker.pspId },
          { observed: 1, volume: 1, breached: true },
        ]);
    case 'pipeline_lag':
      return inputs.pipeline
        .filter((reading) => reading.backlogRecords > rule.threshold)
        .map((reading) => [
          { level: 'service', service: reading.service },
          { observed: reading.backlogRecords, volume: reading.backlogRecords, breached: true },
        ]);
    case 'trouble_rate':
    case 'dominant_error':
    case 'approval_drop':
    case 'latency_percentile':
    case 'unknown_outcomes': {
      const found: [DetectionScope, Observation][] = [];
      for (const { scope, window } of inputs.windows.entries()) {
        if (scope.level !== rule.level) continue;
        const observation = windowedObservation(rule, window, inputs.nowMs);
        if (observation !== undefined) found.push([scope satisfies SignalScope, observation]);
      }
      return found;
    }
    default: {
      const unreachable: never = rule.kind;
      return unreachable;
    }
  }
}
