import type { RuleKind } from '@keel/ops-domain';
import type { IncidentStage, IncidentSummary, ObservedUnit } from '../alerting/incident-summary';
import type { Incident } from './incident';
import type { IncidentWording } from './incident-wording';

function unitOf(kind: RuleKind): ObservedUnit {
  switch (kind) {
    case 'trouble_rate':
    case 'dominant_error':
    case 'approval_drop':
      return 'share';
    case 'latency_percentile':
      return 'milliseconds';
    case 'unknown_outcomes':
    case 'breaker_open':
    case 'pipeline_lag':
      return 'count';
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/** The incident as the alert tells it (alerting/): automation's incidents wake someone, the rest warn. */
export function announcementOf(
  incident: Incident,
  wording: IncidentWording,
  stage: IncidentStage,
): IncidentSummary {
  const { postMortem } = incident;
  return {
    incidentId: incident.id,
    title: incident.title,
    severity: incident.rule.response === 'auto_act' ? 'critical' : 'warning',
    stage,
    scope: wording.scope,
    affected: wording.affected,
    working: wording.working,
    rule: { id: incident.rule.id, kind: incident.rule.kind },
    observed: incident.observed,
    threshold: incident.threshold,
    unit: unitOf(incident.rule.kind),
    startedAt: postMortem.startedAt,
    detectedAt: postMortem.detectedAt,
    ...(postMortem.mitigatedAt === null ? {} : { mitigatedAt: postMortem.mitigatedAt }),
  };
}
