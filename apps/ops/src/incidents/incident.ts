import type { Diagnosis, RoutingChange, RuleKind, RuleResponse } from '@keel/ops-domain';

export const INCIDENT_STATUSES = ['open', 'recovered', 'resolved'] as const;
/** `open`: a rule fires; `recovered`: none fires any more; `resolved`: a person closed it. */
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * Where the automatic response stands: `mitigated` (the routing change made), `probing` (the PSPs
 * taken out get probe traffic), `restored` (the old weights are back).
 */
export type MitigationStage = 'mitigated' | 'probing' | 'restored';

export interface AffectedAmount {
  /** Integer minor units, as text (bigint-safe). */
  readonly amountMinor: string;
  readonly currency: string;
}

/** What people write after the fact; the times come filled from what ops saw and may be corrected. */
export interface PostMortem {
  readonly startedAt: Date;
  readonly detectedAt: Date;
  readonly mitigatedAt: Date | null;
  readonly recoveredAt: Date | null;
  readonly cause: string | null;
  readonly scope: string | null;
  readonly affectedPayments: number | null;
  readonly affectedAmount: AffectedAmount | null;
}

export interface Incident {
  readonly id: string;
  /** The detection scope (`psp:acme`, `provider:card/shinhan`…): one unresolved incident per scope. */
  readonly scopeKey: string;
  readonly title: string;
  readonly status: IncidentStatus;
  /** The rule that opened it (the latest to fire on it). */
  readonly rule: { readonly id: string; readonly kind: RuleKind; readonly response: RuleResponse };
  /** Which PSP, method or provider is affected and which still works. */
  readonly diagnosis: Diagnosis;
  readonly observed: number;
  readonly threshold: number;
  /** The automatic routing changes made for it, which the restore undoes. */
  readonly mitigation: readonly RoutingChange[] | null;
  readonly mitigationStage: MitigationStage | null;
  readonly stageSince: Date | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: Date | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: Date | null;
  readonly postMortem: PostMortem;
}

export interface IncidentUpdate {
  readonly at: Date;
  /** `ops:auto` or the person. */
  readonly actor: string;
  /** `opened`, `fired`, `recovered`, `mitigated`, `probing`, `restored`, `acknowledged`, `note`, `resolved`, `post_mortem`. */
  readonly kind: string;
  readonly text: string;
}

export interface IncidentWithUpdates extends Incident {
  readonly updates: readonly IncidentUpdate[];
}
