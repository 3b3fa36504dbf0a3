/** What a drill saw, read from the system itself: the input of the figures (drill-figures.ts). */

/** How a checkout ended, by the payment API's account. */
export type CheckoutOutcome = 'completed' | 'failed' | 'not_terminal' | 'refused' | 'unanswered';

export interface ObservedCheckout {
  readonly sentAtMs: number;
  readonly methodType: string;
  readonly provider: string;
  readonly outcome: CheckoutOutcome;
  /** A refusal's problem type (its last path segment), e.g. `method-unavailable`. */
  readonly refusal?: string;
}

export interface ObservedIncidentUpdate {
  readonly atMs: number;
  readonly actor: string;
  /** `opened`, `mitigated`, `probing`, `restored`, `recovered`, … (ops' incident timeline). */
  readonly kind: string;
  readonly text: string;
}

export interface ObservedIncident {
  readonly id: string;
  readonly scopeKey: string;
  readonly title: string;
  readonly status: string;
  readonly ruleId: string;
  readonly diagnosisKind: string;
  readonly detectedAtMs: number;
  readonly updates: readonly ObservedIncidentUpdate[];
}

/** One entry of ops' routing audit. */
export interface ObservedRoutingChange {
  readonly atMs: number;
  readonly actor: string;
  readonly kind: string;
  readonly methodType: string;
  readonly provider: string;
  readonly why: string;
  readonly incidentId?: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ObservedOrphan {
  readonly paymentOrderId: string;
  readonly pspId: string;
  readonly detectedAtMs: number;
  readonly refundedAtMs?: number;
}

export interface RouteRow {
  readonly methodType: string;
  readonly provider: string;
  readonly pspId: string;
  readonly weight: number;
  readonly enabled: boolean;
}

/** A provider as buyers are told about it, by each place that tells them; undefined = not offered there. */
export interface BuyerView {
  readonly atMs: number;
  /** ops' method status (GET /v1/ops/routing). */
  readonly ops: { readonly enabled: boolean; readonly notice?: string } | undefined;
  /** The payment service's GET /v1/payment-methods, or 'absent' when the system has none. */
  readonly paymentMethods: { readonly enabled: boolean; readonly notice?: string } | 'absent' | undefined;
  /** ops' /status.json, or 'absent'; `mentioned`: the provider or its notice appears in it. */
  readonly statusPage: { readonly mentioned: boolean } | 'absent';
}

export interface DrillObservations {
  readonly scenario: string;
  readonly ratePerSecond: number;
  readonly faultSeconds: number;
  /** The longest wait for the recovery once the fault was lifted. */
  readonly recoverySeconds: number;
  readonly trafficStartMs: number;
  readonly faultStartMs: number;
  readonly faultEndMs: number;
  readonly endMs: number;
  readonly checkouts: readonly ObservedCheckout[];
  /** Incidents opened from the start of the traffic on. */
  readonly incidents: readonly ObservedIncident[];
  /** Routing changes from the start of the traffic on, oldest first. */
  readonly routingChanges: readonly ObservedRoutingChange[];
  readonly orphans: readonly ObservedOrphan[];
  readonly routesBefore: readonly RouteRow[];
  readonly routesAfter: readonly RouteRow[];
  /** Methods and providers still switched off for buyers at the end. */
  readonly switchedOffAfter: readonly string[];
  /** The drill's provider as buyers saw it once it was mitigated, for scenarios that switch one off. */
  readonly buyerView?: BuyerView;
}
