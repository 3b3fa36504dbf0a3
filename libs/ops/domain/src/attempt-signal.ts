/**
 * How one PSP attempt ended, as ops counts it. `declined` is the PSP working (a buyer's card said
 * no); `failed` is the PSP's own trouble (refused, unavailable, an error); `unknown` is a charge
 * whose outcome the executor must still find out (timeout, lost answer).
 */
export const ATTEMPT_OUTCOMES = ['approved', 'declined', 'failed', 'unknown'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

/** One PSP attempt, from the executor's attempt event: what ops aggregates. */
export interface AttemptSignal {
  readonly atMs: number;
  readonly pspId: string;
  /** `card`, `easy_pay`, `bank_transfer`. */
  readonly methodType: string;
  /** The card issuer, easy-pay provider or bank. */
  readonly provider: string;
  readonly outcome: AttemptOutcome;
  /** The PSP's message for a failure or decline, as the executor recorded it. */
  readonly errorMessage?: string;
  readonly latencyMs: number;
}

/**
 * Where a signal is counted: a PSP across every method, a provider (issuer, easy-pay provider,
 * bank) across every PSP, and the provider at one PSP — the three views incident scoping compares.
 */
export type SignalScope =
  | { readonly level: 'psp'; readonly pspId: string }
  | { readonly level: 'provider'; readonly methodType: string; readonly provider: string }
  | {
      readonly level: 'psp_provider';
      readonly pspId: string;
      readonly methodType: string;
      readonly provider: string;
    };

export type ScopeLevel = SignalScope['level'];
export const SCOPE_LEVELS: readonly ScopeLevel[] = ['psp', 'provider', 'psp_provider'];

/** What a rule can find in trouble: a signal scope, or a service whose pipeline falls behind. */
export type DetectionScope = SignalScope | { readonly level: 'service'; readonly service: string };

/**
 * A stable, readable key: `psp:acme`, `provider:card/shinhan`, `psp_provider:acme/card/shinhan`,
 * `service:wallet`.
 */
export function scopeKey(scope: DetectionScope): string {
  switch (scope.level) {
    case 'service':
      return `service:${scope.service}`;
    case 'psp':
      return `psp:${scope.pspId}`;
    case 'provider':
      return `provider:${scope.methodType}/${scope.provider}`;
    case 'psp_provider':
      return `psp_provider:${scope.pspId}/${scope.methodType}/${scope.provider}`;
    default: {
      const unreachable: never = scope;
      return unreachable;
    }
  }
}

/** Every scope one signal counts in. */
export function scopesOf(signal: AttemptSignal): SignalScope[] {
  const { pspId, methodType, provider } = signal;
  return [
    { level: 'psp', pspId },
    { level: 'provider', methodType, provider },
    { level: 'psp_provider', pspId, methodType, provider },
  ];
}
