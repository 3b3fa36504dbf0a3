import { scopeKey, type Diagnosis, type Firing, type Route, type RoutingChange } from '@keel/ops-domain';

/** What a firing's diagnosis says in words: a title, what fails, and what was compared and works. */
export interface IncidentWording {
  readonly title: string;
  readonly scope: string;
  readonly affected: readonly string[];
  readonly working: readonly string[];
}

export function wordingOf(ruleId: string, diagnosis: Diagnosis): IncidentWording {
  switch (diagnosis.kind) {
    case 'psp_down':
      return {
        title: `PSP ${diagnosis.pspId} failing`,
        scope: `PSP ${diagnosis.pspId}, every method`,
        affected: [diagnosis.pspId],
        working: diagnosis.healthyPsps,
      };
    case 'provider_at_psps':
      return {
        title: `${diagnosis.methodType} provider ${diagnosis.provider} failing at ${diagnosis.pspIds.join(', ')}`,
        scope: `${diagnosis.methodType} provider ${diagnosis.provider} at ${diagnosis.pspIds.join(', ')}`,
        affected: diagnosis.pspIds.map(
          (pspId) => `${diagnosis.methodType}/${diagnosis.provider} at ${pspId}`,
        ),
        working: diagnosis.healthyPsps.map(
          (pspId) => `${diagnosis.methodType}/${diagnosis.provider} at ${pspId}`,
        ),
      };
    case 'provider_down':
      return {
        title: `${diagnosis.methodType} provider ${diagnosis.provider} failing at every PSP`,
        scope: `${diagnosis.methodType} provider ${diagnosis.provider} at every PSP (${diagnosis.failingAt.join(', ')})`,
        affected: [`${diagnosis.methodType}/${diagnosis.provider}`],
        working: diagnosis.healthyProviders.map((provider) => `${diagnosis.methodType}/${provider}`),
      };
    case 'widespread':
      return {
        title: `Payments failing everywhere alike (${scopeKey(diagnosis.scope)}): Keel's side or the network`,
        scope: `everything seen, from ${scopeKey(diagnosis.scope)}`,
        affected: [scopeKey(diagnosis.scope)],
        working: [],
      };
    case 'not_routable':
      return {
        title: `${ruleId} on ${scopeKey(diagnosis.scope)}`,
        scope: scopeKey(diagnosis.scope),
        affected: [scopeKey(diagnosis.scope)],
        working: [],
      };
    default: {
      const unreachable: never = diagnosis;
      return unreachable;
    }
  }
}

/** A firing's figure against its threshold, as a timeline line says it. */
export function firingText(firing: Firing): string {
  const { rule, latest } = firing;
  const detail = latest.detail === undefined ? '' : ` (${latest.detail})`;
  return `${rule.id} (${rule.kind}) observed ${round(latest.observed)} against ${rule.threshold} over ${latest.volume}${detail}`;
}

/** A routing change as a timeline line says it. */
export function changeText(change: RoutingChange): string {
  if (change.kind === 'method') {
    const state = !change.enabled
      ? 'off'
      : change.admittedPercent === undefined
        ? 'on'
        : `on for ${change.admittedPercent} % of its payments`;
    return `${change.methodType}/${change.provider} switched ${state}${change.notice === undefined ? '' : `: "${change.notice}"`}`;
  }
  const weights = (routes: readonly Route[]) =>
    routes.map((route) => `${route.pspId}=${route.enabled ? route.weight : 'off'}`).join(' ');
  return `${change.methodType}/${change.provider} weights ${weights(change.before)} → ${weights(change.after)}`;
}

function round(value: number): number {
  return Math.round(value * 1_000) / 1_000;
}
