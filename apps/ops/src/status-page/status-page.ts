import type { Diagnosis, RoutingChange, RuleKind } from '@keel/ops-domain';
import type { IncidentStatus, MitigationStage } from '../incidents/incident';

/*
 * What a buyer may see, and why. The status page is public, so it says what a buyer can act on —
 * which payment method (and which issuer, easy-pay provider or bank) works, what ops told buyers
 * about one switched off, and that a problem is known and being handled — and nothing else:
 * - no PSP names: which PSPs Keel uses and how traffic is split between them are commercial
 *   arrangements, and a buyer cannot choose a PSP anyway; a PSP's trouble reads as "some <method>
 *   payments" (the methods its mitigation re-routed);
 * - no figures (failure rates, thresholds, volumes, latencies, weights, amounts, payment counts):
 *   they are internal measurements that invite misreading and tell outsiders Keel's traffic;
 * - no free text people wrote for colleagues (notes, resolve notes, post-mortems, rule ids, PSP
 *   messages): they may hold anything, up to a pasted credential. Timeline steps become fixed
 *   sentences; the one text shown as written is the notice, which is written for buyers;
 * - no actors (who acknowledged, who switched what): staff names are nobody's business outside;
 * - Keel's own pipelines (`service:` scopes: an outbox backlog, consumer lag) are not listed: their
 *   effect on buyers, if any, shows as slow or failing payments, which other rules report.
 */

export type ServiceStatus = 'operational' | 'degraded' | 'unavailable';
/** Where an incident stands, in the words status pages use. */
export type IncidentStage = 'investigating' | 'identified' | 'monitoring' | 'resolved';

/** A method, or one provider of it (`*`: the whole method), switched off for buyers. */
export interface SwitchedOff {
  readonly methodType: string;
  readonly provider: string;
  readonly notice: string | null;
  /** On again for a share of its payments (ops' probe), the rest still refused with the notice. */
  readonly limited?: boolean;
}

/** An incident as the page reads it: what the diagnosis and timeline say, without their texts. */
export interface StatusIncident {
  readonly id: string;
  readonly status: IncidentStatus;
  readonly ruleKind: RuleKind;
  readonly diagnosis: Diagnosis;
  readonly mitigation: readonly RoutingChange[] | null;
  readonly mitigationStage: MitigationStage | null;
  readonly startedAt: Date;
  readonly resolvedAt: Date | null;
  /** Oldest first; the kinds only (see BUYER_UPDATE_KINDS). */
  readonly updates: readonly { readonly at: Date; readonly kind: string }[];
}

export interface StatusPageData {
  /** The payment methods Keel accepts, in the order shown. */
  readonly methodTypes: readonly string[];
  readonly switchedOff: readonly SwitchedOff[];
  /** Not resolved, newest first. */
  readonly current: readonly StatusIncident[];
  /** Resolved within `historyDays`, newest first. */
  readonly resolved: readonly StatusIncident[];
  readonly historyDays: number;
  readonly generatedAt: Date;
}

export interface ProviderView {
  readonly provider: string;
  readonly name: string;
  /** `degraded`: on again for part of its payments while ops watches it (the rest get the notice). */
  readonly status: 'unavailable' | 'degraded';
  readonly notice?: string;
}

export interface MethodView {
  readonly type: string;
  readonly name: string;
  readonly status: ServiceStatus;
  /** The notice of the whole method switched off (or on again for part of its payments). */
  readonly notice?: string;
  /** Providers switched off, or on again for part of their payments, while the method works. */
  readonly providers: readonly ProviderView[];
}

export interface IncidentUpdateView {
  readonly at: string;
  readonly text: string;
}

export interface IncidentView {
  readonly id: string;
  readonly title: string;
  readonly stage: IncidentStage;
  /** The method types it touches; empty when that is not known (a PSP's trouble not yet re-routed). */
  readonly methods: readonly string[];
  readonly startedAt: string;
  readonly resolvedAt?: string;
  /** Newest first. */
  readonly updates: readonly IncidentUpdateView[];
}

/** The page's whole content: /status.json as it is, /status rendered from it. */
export interface StatusPage {
  readonly generatedAt: string;
  readonly status: ServiceStatus;
  readonly summary: string;
  readonly methods: readonly MethodView[];
  readonly incidents: readonly IncidentView[];
  readonly history: { readonly days: number; readonly incidents: readonly IncidentView[] };
}

/** The timeline steps a buyer hears of; the rest (notes, post-mortems, skipped changes) stay inside. */
export const BUYER_UPDATE_KINDS = [
  'opened',
  'fired',
  'acknowledged',
  'mitigated',
  'probing',
  'restored',
  'recovered',
  'resolved',
] as const;

const METHOD_NAMES: Readonly<Record<string, string>> = {
  card: 'Card',
  easy_pay: 'Easy pay',
  bank_transfer: 'Bank transfer',
  mobile: 'Mobile',
};

const EVERY_PROVIDER = '*';

/** `kakao_pay` → `Kakao pay`: identifiers as a person reads them. */
function nameOf(identifier: string): string {
  const words = identifier.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function methodNameOf(methodType: string): string {
  return METHOD_NAMES[methodType] ?? nameOf(methodType);
}

/** `service:` scopes are Keel's own pipelines: not a buyer's concern (see the top of this file). */
export function isPublic(incident: Pick<StatusIncident, 'diagnosis'>): boolean {
  const { diagnosis } = incident;
  return (
    (diagnosis.kind !== 'not_routable' && diagnosis.kind !== 'widespread') ||
    diagnosis.scope.level !== 'service'
  );
}

interface Subject {
  readonly methods: readonly string[];
  readonly provider?: string;
  /** Part of the methods' payments only (some PSPs), not all of them. */
  readonly partial: boolean;
}

function subjectOf(incident: StatusIncident, methodTypes: readonly string[]): Subject {
  const { diagnosis } = incident;
  const rerouted = [...new Set((incident.mitigation ?? []).map((change) => change.methodType))];
  switch (diagnosis.kind) {
    case 'psp_down':
      return { methods: rerouted, partial: true };
    case 'provider_at_psps':
      return { methods: [diagnosis.methodType], provider: diagnosis.provider, partial: true };
    case 'provider_down':
      return { methods: [diagnosis.methodType], provider: diagnosis.provider, partial: false };
    case 'widespread':
    case 'not_routable': {
      const { scope } = diagnosis;
      if (scope.level === 'provider' || scope.level === 'psp_provider')
        return { methods: [scope.methodType], provider: scope.provider, partial: scope.level !== 'provider' };
      if (diagnosis.kind === 'widespread') return { methods: methodTypes, partial: false };
      return { methods: rerouted, partial: true };
    }
    default: {
      const unreachable: never = diagnosis;
      return unreachable;
    }
  }
}

function listOf(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** "some Shinhan card payments", "card and easy pay payments", "payments". */
function paymentsOf(subject: Subject, methodTypes: readonly string[]): string {
  const every = methodTypes.length > 0 && methodTypes.every((type) => subject.methods.includes(type));
  const methods = every ? '' : listOf(subject.methods.map((type) => methodNameOf(type).toLowerCase()));
  const provider = subject.provider === undefined ? '' : `${nameOf(subject.provider)} `;
  const words = `${provider}${methods} payments`.replace(/\s+/g, ' ').trim();
  return subject.partial || (subject.methods.length === 0 && subject.provider === undefined)
    ? `some ${words}`
    : words;
}

function titleOf(incident: StatusIncident, subject: Subject, methodTypes: readonly string[]): string {
  const payments = paymentsOf(subject, methodTypes);
  switch (incident.ruleKind) {
    case 'latency_percentile':
      return `Slow processing of ${payments}`;
    case 'unknown_outcomes':
      return `Delayed confirmation of ${payments}`;
    case 'trouble_rate':
    case 'dominant_error':
    case 'approval_drop':
    case 'breaker_open':
    case 'pipeline_lag':
      return `Errors with ${payments}`;
    default: {
      const unreachable: never = incident.ruleKind;
      return unreachable;
    }
  }
}

function stageOf(incident: StatusIncident): IncidentStage {
  if (incident.status === 'resolved') return 'resolved';
  if (incident.status === 'recovered' || incident.mitigationStage === 'probing') return 'monitoring';
  if (incident.mitigationStage === 'restored') return 'monitoring';
  return incident.mitigationStage === 'mitigated' ? 'identified' : 'investigating';
}

function switchedOffBy(incident: StatusIncident): Extract<RoutingChange, { kind: 'method' }> | undefined {
  return (incident.mitigation ?? []).find(
    (change): change is Extract<RoutingChange, { kind: 'method' }> =>
      change.kind === 'method' && !change.enabled,
  );
}

/** A timeline step in a buyer's words; undefined: not told (see BUYER_UPDATE_KINDS). */
function updateText(kind: string, incident: StatusIncident, afterRecovery: boolean): string | undefined {
  const off = switchedOffBy(incident);
  const offPayments =
    off === undefined
      ? ''
      : nameOf(
          `${off.provider === EVERY_PROVIDER ? '' : `${off.provider} `}${methodNameOf(off.methodType).toLowerCase()} payments`,
        );
  switch (kind) {
    case 'opened':
      return 'We are investigating the problem.';
    case 'fired':
      return afterRecovery ? 'The problem is back; we are working on it.' : undefined;
    case 'acknowledged':
      return 'Our team is working on it.';
    case 'mitigated':
      return off === undefined
        ? 'We have routed payments around the problem; most payments should go through.'
        : `${offPayments} are switched off for now.${off.notice === undefined ? '' : ` ${off.notice}`}`;
    // A method switched off comes back for part of its payments; probe traffic to a PSP is internal.
    case 'probing':
      return off === undefined
        ? undefined
        : `${offPayments} are coming back gradually; some may still be refused.`;
    case 'restored':
      return off === undefined
        ? 'Payments are routed as usual again.'
        : `${offPayments} are available again.`;
    case 'recovered':
      return 'The problem has stopped; we are monitoring.';
    case 'resolved':
      return 'This incident is resolved.';
    default:
      return undefined;
  }
}

/** Buyer-worded updates, newest first; one step told once (several groups mitigated say it once). */
function updatesOf(incident: StatusIncident): IncidentUpdateView[] {
  const told: IncidentUpdateView[] = [];
  let afterRecovery = false;
  for (const update of incident.updates) {
    const text = updateText(update.kind, incident, afterRecovery);
    if (update.kind === 'recovered') afterRecovery = true;
    if (update.kind === 'fired' || update.kind === 'opened') afterRecovery = false;
    if (text === undefined || told[told.length - 1]?.text === text) continue;
    told.push({ at: update.at.toISOString(), text });
  }
  return told.reverse();
}

function incidentView(incident: StatusIncident, methodTypes: readonly string[]): IncidentView {
  const subject = subjectOf(incident, methodTypes);
  return {
    id: incident.id,
    title: titleOf(incident, subject, methodTypes),
    stage: stageOf(incident),
    methods: subject.methods,
    startedAt: incident.startedAt.toISOString(),
    ...(incident.resolvedAt === null ? {} : { resolvedAt: incident.resolvedAt.toISOString() }),
    updates: updatesOf(incident),
  };
}

function methodView(
  methodType: string,
  switchedOff: readonly SwitchedOff[],
  troubled: ReadonlySet<string>,
): MethodView {
  const own = switchedOff.filter((status) => status.methodType === methodType);
  const whole = own.find((status) => status.provider === EVERY_PROVIDER);
  const providers = own
    .filter((status) => status.provider !== EVERY_PROVIDER)
    .map((status): ProviderView => ({
      provider: status.provider,
      name: nameOf(status.provider),
      status: status.limited === true ? 'degraded' : 'unavailable',
      ...(status.notice === null ? {} : { notice: status.notice }),
    }));
  const base = { type: methodType, name: methodNameOf(methodType) };
  if (whole !== undefined)
    return {
      ...base,
      status: whole.limited === true ? 'degraded' : 'unavailable',
      ...(whole.notice === null ? {} : { notice: whole.notice }),
      providers: [],
    };
  const degraded = providers.length > 0 || troubled.has(methodType);
  return { ...base, status: degraded ? 'degraded' : 'operational', providers };
}

function overallOf(methods: readonly MethodView[]): ServiceStatus {
  if (methods.length > 0 && methods.every((method) => method.status === 'unavailable')) return 'unavailable';
  return methods.some((method) => method.status !== 'operational') ? 'degraded' : 'operational';
}

const SUMMARIES: Readonly<Record<ServiceStatus, string>> = {
  operational: 'All payment methods are working.',
  degraded: 'Some payment methods have problems.',
  unavailable: 'Payments are unavailable.',
};

/**
 * The status page's content from what ops holds: each method's status (switched off with its
 * notice: unavailable; on again for part of its payments, one of its providers off or on for part
 * of its payments, or an incident on it that is not over: degraded), the
 * incidents not resolved with their buyer-worded updates, and the resolved ones of the history.
 */
export function statusPageOf(data: StatusPageData): StatusPage {
  const current = data.current.filter(isPublic).map((incident) => incidentView(incident, data.methodTypes));
  // An incident that recovered is being watched: the method works again.
  const troubled = new Set(
    current.filter((incident) => incident.stage !== 'monitoring').flatMap((incident) => incident.methods),
  );
  const methodTypes = [
    ...new Set([...data.methodTypes, ...data.switchedOff.map((status) => status.methodType)]),
  ];
  const methods = methodTypes.map((methodType) => methodView(methodType, data.switchedOff, troubled));
  const status = overallOf(methods);
  return {
    generatedAt: data.generatedAt.toISOString(),
    status,
    summary: SUMMARIES[status],
    methods,
    incidents: current,
    history: {
      days: data.historyDays,
      incidents: data.resolved.filter(isPublic).map((incident) => incidentView(incident, data.methodTypes)),
    },
  };
}
