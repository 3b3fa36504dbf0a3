import type { PaymentMethod, PspId } from './psp';

export const OUTAGE_KINDS = ['503', 'refuse'] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number];

/** The message of a fault's decline when it names none: what an issuer that is down answers. */
export const ISSUER_DOWN_MESSAGE = 'Issuer unavailable';

/**
 * What POST /admin/faults asks for (API.md); every effect optional, at least one present. `psp`
 * may be left out only when `issuer` is given: the fault is then that issuer's, at every PSP.
 */
export interface FaultSpec {
  readonly psp?: PspId;
  readonly method?: PaymentMethod;
  readonly issuer?: string;
  /** Delay before answering. */
  readonly latencyMs?: number;
  /** Share of requests answered 503 before anything is processed. */
  readonly errorRate?: number;
  /** Share of requests left hanging without being processed. */
  readonly timeoutRate?: number;
  /** Share of requests processed (the charge is recorded) and then left hanging. */
  readonly chargeThenTimeoutRate?: number;
  /**
   * Share of charges the issuer declines (`do_not_honor`) when the charge is decided: the PSP
   * works, records the charge as declined and answers the decline, as in an issuer's outage.
   */
  readonly declineRate?: number;
  /** The declines' message; ISSUER_DOWN_MESSAGE when absent. */
  readonly declineMessage?: string;
  /** "503" answers 503 to everything; "refuse" closes the PSP's own port. */
  readonly outage?: OutageKind;
  /** Share of webhooks sent twice or three times (the same event, the same delivery id). */
  readonly webhookDuplicateRate?: number;
  /** Each webhook (and each duplicate) waits a random time up to this before it is sent, so the events of one charge can arrive out of order. */
  readonly webhookDelayMs?: number;
  /** The fault ends at this epoch millisecond; it lasts until deleted when absent. */
  readonly untilMs?: number;
}

export interface Fault extends FaultSpec {
  readonly id: string;
  readonly createdAtMs: number;
}

/** What a request is about, as far as faults can target it. */
export interface FaultTarget {
  readonly psp: PspId;
  readonly method: PaymentMethod | undefined;
  readonly issuer: string | undefined;
}

/**
 * What to do with one request: `refuse` cuts the connection (the main port cannot close for one
 * PSP), `unavailable` answers 503, `hang` never answers, `proceed_then_hang` processes and then
 * never answers.
 */
export type FaultAction = 'proceed' | 'unavailable' | 'hang' | 'proceed_then_hang' | 'refuse';

export interface FaultPlan {
  readonly latencyMs: number;
  readonly action: FaultAction;
}

/** A decline a fault makes the issuer answer. */
export interface IssuerDecline {
  readonly message: string;
}

export const NO_FAULT: FaultPlan = { latencyMs: 0, action: 'proceed' };

/** How one webhook is sent: one delay per copy (one copy unless duplicated). */
export interface WebhookPlan {
  readonly delaysMs: readonly number[];
}

export const PLAIN_WEBHOOK: WebhookPlan = { delaysMs: [0] };
