import { createHash } from 'node:crypto';

/** A whole method rather than one of its providers, as ops and the executor's routes say it. */
export const EVERY_PROVIDER = '*';

/** Ops' latest word on a payment method, or one provider of it (an issuer, easy-pay provider, bank). */
export interface MethodStatus {
  readonly methodType: string;
  /** A provider, or EVERY_PROVIDER for the whole method. */
  readonly provider: string;
  readonly enabled: boolean;
  /**
   * While ops probes it after a switch-off (enabled): the share of its new payments admitted, in
   * percent; undefined: every payment when enabled.
   */
  readonly admittedPercent?: number;
  /** What buyers are told while it is switched off, or refused while it is probed. */
  readonly notice: string | undefined;
  /** When ops switched it (epoch ms): the newest change wins, whatever the arrival order. */
  readonly changedAtMs: number;
}

export function methodStatusKey(status: Pick<MethodStatus, 'methodType' | 'provider'>): string {
  return `${status.methodType}/${status.provider}`;
}

/**
 * The newest change per method and provider, sorted by its key: one row each for a set-based
 * upsert (which cannot touch a row twice), written in the same order by every chunk.
 */
export function newestPerProvider<T extends MethodStatus>(changes: readonly T[]): T[] {
  const newest = new Map<string, T>();
  mergeStatuses(newest, changes);
  return [...newest.entries()].sort(([left], [right]) => (left < right ? -1 : 1)).map(([, status]) => status);
}

/** Merges changes into what a process knows; one older than what is known changes nothing. */
export function mergeStatuses<T extends MethodStatus>(known: Map<string, T>, changes: readonly T[]): void {
  for (const change of changes) {
    const key = methodStatusKey(change);
    const current = known.get(key);
    if (current === undefined || current.changedAtMs <= change.changedAtMs) known.set(key, change);
  }
}

/**
 * A payment's place (0–99) in a probe's admission: the same for the same key, and spread evenly
 * over payments (the first 32 bits of its SHA-256).
 */
export function admissionBucketOf(admissionKey: string): number {
  return createHash('sha256').update(admissionKey).digest().readUInt32BE(0) % 100;
}

/**
 * Why a payment with this method and provider is refused: the whole method, else the provider,
 * switched off, or probed with the payment outside the share admitted; undefined when it may go
 * ahead. `admissionKey` names the payment (its merchant and checkout), so that asking again for
 * the same payment gets the same answer.
 */
export function refusalOf(
  known: ReadonlyMap<string, MethodStatus>,
  methodType: string,
  provider: string,
  admissionKey: string,
): MethodStatus | undefined {
  for (const key of [
    methodStatusKey({ methodType, provider: EVERY_PROVIDER }),
    methodStatusKey({ methodType, provider }),
  ]) {
    const status = known.get(key);
    if (status === undefined) continue;
    if (!status.enabled) return status;
    if (status.admittedPercent !== undefined && admissionBucketOf(admissionKey) >= status.admittedPercent)
      return status;
  }
  return undefined;
}

/** One method type as a checkout page shows it. */
export interface PaymentMethodOffer {
  readonly type: string;
  readonly available: boolean;
  /** Why not: ops switched the method off, or no PSP can charge it now (the executor's report). */
  readonly unavailableReason?: 'switched_off' | 'no_psp_available';
  /** Ops' notice for buyers while the whole method is switched off, or limited. */
  readonly notice?: string;
  /** The whole method on again for part of its payments (ops' probe): the rest are refused. */
  readonly limited?: boolean;
  /** The executor's estimate, when no PSP can charge it now. */
  readonly retryAfterSeconds?: number;
  /** Providers switched off while the method works, each with its notice, sorted. */
  readonly disabledProviders: readonly ProviderNotice[];
  /** Providers on again for part of their payments (ops' probe), the rest refused with the notice. */
  readonly limitedProviders: readonly ProviderNotice[];
}

export interface ProviderNotice {
  readonly provider: string;
  readonly notice?: string;
}

function isLimited(status: MethodStatus): boolean {
  return status.enabled && status.admittedPercent !== undefined;
}

/** The providers of a method type among `statuses`, sorted, each with its notice. */
function providersOf(statuses: readonly MethodStatus[], type: string): ProviderNotice[] {
  return statuses
    .filter((status) => status.methodType === type && status.provider !== EVERY_PROVIDER)
    .sort((left, right) => (left.provider < right.provider ? -1 : 1))
    .map(({ provider, notice }) => (notice === undefined ? { provider } : { provider, notice }));
}

/**
 * The offer of each method type, in the order given: ops' switches (whole method first) and the
 * executor's availability (`noPspAvailable` gives its retry estimate, or undefined when a PSP can).
 */
export function methodOffers(
  methodTypes: readonly string[],
  known: ReadonlyMap<string, MethodStatus>,
  noPspAvailable: (methodType: string) => { readonly retryAfterSeconds?: number } | undefined,
): PaymentMethodOffer[] {
  const statuses = [...known.values()];
  const disabled = statuses.filter((status) => !status.enabled);
  const limited = statuses.filter(isLimited);
  return methodTypes.map((type) => {
    const providers = {
      disabledProviders: providersOf(disabled, type),
      limitedProviders: providersOf(limited, type),
    };
    const whole = known.get(methodStatusKey({ methodType: type, provider: EVERY_PROVIDER }));
    const notice = whole?.notice === undefined ? {} : { notice: whole.notice };
    if (whole !== undefined && !whole.enabled)
      return { type, available: false, unavailableReason: 'switched_off', ...notice, ...providers };
    const unavailable = noPspAvailable(type);
    if (unavailable !== undefined) {
      const retry =
        unavailable.retryAfterSeconds === undefined
          ? {}
          : { retryAfterSeconds: unavailable.retryAfterSeconds };
      return { type, available: false, unavailableReason: 'no_psp_available', ...retry, ...providers };
    }
    if (whole !== undefined && isLimited(whole))
      return { type, available: true, limited: true, ...notice, ...providers };
    return { type, available: true, ...providers };
  });
}

/** The method types offered per currency; a currency not listed offers every method type. */
export type MethodsByCurrency = ReadonlyMap<string, readonly string[]>;

/**
 * Reads `{"KRW":["card","easy_pay","bank_transfer"],"USD":["card"]}`: ISO 4217 codes to method
 * types out of `methodTypes`. Throws with the reason on anything else.
 */
export function parseMethodsByCurrency(json: string, methodTypes: readonly string[]): MethodsByCurrency {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error('must be a JSON object of currency codes to method types');
  const entries = Object.entries(parsed as Record<string, unknown>).map(
    ([currency, types]): [string, string[]] => {
      if (!/^[A-Z]{3}$/.test(currency)) throw new Error(`${currency} is not an ISO 4217 code`);
      if (
        !Array.isArray(types) ||
        !types.every((type) => typeof type === 'string' && methodTypes.includes(type))
      )
        throw new Error(`${currency} must list method types out of ${methodTypes.join(', ')}`);
      return [currency, [...new Set(types as string[])]];
    },
  );
  return new Map(entries);
}

export function methodTypesFor(
  offered: MethodsByCurrency,
  currency: string,
  methodTypes: readonly string[],
): readonly string[] {
  return offered.get(currency) ?? methodTypes;
}
