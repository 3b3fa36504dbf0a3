/**
 * How bad an incident is, as a person reading the alert should take it: `critical` wakes someone
 * (payments are failing), `warning` wants a look within the hour, `info` is for the record.
 */
export const INCIDENT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** Where the incident stands: the template's headline says which change this message reports. */
export const INCIDENT_STAGES = ['opened', 'updated', 'mitigated', 'resolved'] as const;
export type IncidentStage = (typeof INCIDENT_STAGES)[number];

/** What a rule's figures are, so they read as people say them: 62.0 %, 5,200 ms, 31. */
export type ObservedUnit = 'share' | 'milliseconds' | 'count';

/**
 * One incident as an alert tells it, plain values only: ops fills it from its incident and the rule
 * that fired, and the notifier knows nothing else about either.
 */
export interface IncidentSummary {
  readonly incidentId: string;
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly stage: IncidentStage;
  /** The scope in words, e.g. `PSP acme, every method` or `card issuer shinhan at every PSP`. */
  readonly scope: string;
  /** What fails: PSPs, methods or providers. */
  readonly affected: readonly string[];
  /** What was compared and still works: where traffic can go, what buyers can still use. */
  readonly working: readonly string[];
  /** The detection rule that fired, by id and kind (e.g. `psp-trouble`, `trouble_rate`). */
  readonly rule: { readonly id: string; readonly kind: string };
  readonly observed: number;
  readonly threshold: number;
  readonly unit: ObservedUnit;
  /** When the trouble began (the window's first bad signal), when a rule saw it, when it was contained. */
  readonly startedAt: Date;
  readonly detectedAt: Date;
  readonly mitigatedAt?: Date;
  /** Where people read and act on the incident (the back office or the status page). */
  readonly link?: string;
}
