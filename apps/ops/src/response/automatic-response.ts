import { Inject, Injectable } from '@nestjs/common';
import {
  planMitigation,
  planRestore,
  scopeKey,
  type Diagnosis,
  type Firing,
  type ProbeShares,
  type RoutingChange,
  type RoutingPlan,
} from '@keel/ops-domain';
import type { Incident } from '../incidents/incident';
import { Incidents } from '../incidents/incidents.service';
import { AUTOMATION_ACTOR, RoutingControl, type RoutingView } from '../routing/routing-control.service';

export interface AutomaticResponseSettings {
  /** OPS_PROBE_AFTER_MS: a mitigation holds this long before the probe stage. */
  readonly probeAfterMs: number;
  /** OPS_PROBE_PERIOD_MS: the probe stage lasts this long before the old weights come back. */
  readonly probePeriodMs: number;
  /** OPS_PROBE_WEIGHT_PERCENT / 100 of a PSP's weight, OPS_PROBE_ADMITTED_PERCENT of a method's payments. */
  readonly probe: ProbeShares;
  /** OPS_AUTOMATIC_NOTICE, `{provider}` replaced. */
  readonly noticeOf: (methodType: string, provider: string) => string;
}

export const AUTOMATIC_RESPONSE_SETTINGS = Symbol('keel.ops.automatic-response-settings');

/** The mitigation's changes again, over the groups as they are now (after a failed probe). */
function reapplied(mitigation: readonly RoutingChange[], view: RoutingView): RoutingPlan {
  const changes = mitigation.map((change): RoutingChange => {
    if (change.kind === 'method') return change;
    const before = view.routes.filter(
      (route) => route.methodType === change.methodType && route.provider === change.provider,
    );
    return { ...change, before };
  });
  return { changes, skipped: [] };
}

/**
 * The routing response of `auto_act` rules: a firing's diagnosis mitigated (planMitigation), then,
 * once the mitigation has held OPS_PROBE_AFTER_MS or the incident recovered, the PSPs taken out
 * get probe traffic and a method switched off a share of its payments (planRestore 'probe'); after
 * OPS_PROBE_PERIOD_MS the old weights come back and the method fully on (planRestore 'full') once
 * the rules on the scope have recovered; one still breached takes them out again, one that has
 * not seen enough probe traffic to tell keeps the probe going.
 * Every change goes through RoutingControl as `ops:auto`, and each stage is on the incident.
 */
@Injectable()
export class AutomaticResponse {
  constructor(
    private readonly routing: RoutingControl,
    private readonly incidents: Incidents,
    @Inject(AUTOMATIC_RESPONSE_SETTINGS) private readonly settings: AutomaticResponseSettings,
  ) {}

  /**
   * A firing of an auto_act rule on `incident`: mitigate, or take the probe back out. Says whether
   * holds kept the mitigation from every group (to try again once a hold is released).
   */
  async fired(incident: Incident, diagnosis: Diagnosis): Promise<{ heldBack: boolean }> {
    if (incident.mitigationStage === 'mitigated') return { heldBack: false };
    if (incident.mitigationStage === 'probing' && incident.mitigation !== null) {
      await this.#remitigate(incident, incident.mitigation, 'fired again while probing');
      return { heldBack: false };
    }
    const outcome = await this.routing.apply({
      actor: AUTOMATION_ACTOR,
      why: `incident ${incident.id}: ${incident.title}`,
      incidentId: incident.id,
      decide: ({ routes, holds }) => planMitigation(diagnosis, routes, holds, this.settings.noticeOf),
    });
    await this.incidents.stageReached(
      incident.id,
      'mitigated',
      outcome.applied,
      outcome.skipped,
      outcome.applied,
    );
    const heldBack = outcome.skipped.some((skip) => skip.why.startsWith('held by'));
    return { heldBack: outcome.applied.length === 0 && heldBack };
  }

  /** Moves each incident under way to its next stage when it is due; `firing` is what fires now. */
  async progress(nowMs: number, firing: readonly Firing[]): Promise<void> {
    for (const incident of await this.incidents.underway()) {
      const { mitigation, stageSince } = incident;
      if (mitigation === null || stageSince === null) continue;
      const heldMs = nowMs - stageSince.getTime();
      if (incident.mitigationStage === 'mitigated') {
        if (heldMs >= this.settings.probeAfterMs || incident.status !== 'open')
          await this.#probe(incident, mitigation);
        continue;
      }
      if (heldMs < this.settings.probePeriodMs) continue;
      const rulesOnScope = firing.filter(
        (candidate) =>
          candidate.rule.response === 'auto_act' && incident.scopeKey === scopeKey(candidate.scope),
      );
      if (rulesOnScope.some((candidate) => candidate.latest.breached))
        await this.#remitigate(incident, mitigation, 'still in trouble under probe traffic');
      // A rule that still fires unbreached has seen too little probe traffic to recover: keep probing.
      else if (rulesOnScope.length === 0) await this.#restore(incident, mitigation);
    }
  }

  async #probe(incident: Incident, mitigation: readonly RoutingChange[]): Promise<void> {
    const outcome = await this.routing.apply({
      actor: AUTOMATION_ACTOR,
      why: `incident ${incident.id}: probe traffic to see whether it recovered`,
      incidentId: incident.id,
      decide: ({ routes }) => planRestore(mitigation, routes, 'probe', this.settings.probe),
    });
    await this.incidents.stageReached(incident.id, 'probing', outcome.applied, outcome.skipped);
  }

  async #restore(incident: Incident, mitigation: readonly RoutingChange[]): Promise<void> {
    const outcome = await this.routing.apply({
      actor: AUTOMATION_ACTOR,
      why: `incident ${incident.id}: healthy under probe traffic, old weights back`,
      incidentId: incident.id,
      decide: ({ routes }) => planRestore(mitigation, routes, 'full', this.settings.probe),
    });
    await this.incidents.stageReached(incident.id, 'restored', outcome.applied, outcome.skipped);
  }

  async #remitigate(incident: Incident, mitigation: readonly RoutingChange[], why: string): Promise<void> {
    const outcome = await this.routing.apply({
      actor: AUTOMATION_ACTOR,
      why: `incident ${incident.id}: ${why}`,
      incidentId: incident.id,
      decide: (view) => reapplied(mitigation, view),
    });
    await this.incidents.stageReached(incident.id, 'mitigated', outcome.applied, outcome.skipped);
  }
}
