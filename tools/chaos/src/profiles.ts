import { DEFAULT_CHECKOUT_MIX, type CheckoutMix } from './workload/checkout-plan';
import type { RetryPolicy } from './workload/retry-policy';

export const PROFILE_NAMES = ['short', 'long'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** Everything that sizes one chaos run; the seed decides the rest. */
export interface ChaosProfile {
  readonly name: ProfileName;
  /** Traffic and faults run together this long; the schedule leaves its last tenth quiet. */
  readonly trafficMs: number;
  readonly mix: CheckoutMix;
  readonly faultsPerClass: number;
  readonly retry: RetryPolicy;
  /** How long the system may take to settle once faults are healed, before the checks run. */
  readonly quiescenceTimeoutMs: number;
  /** I7: every accepted payment terminal within this long after the faults stop. */
  readonly terminalBoundMs: number;
  /** How long reading one topic to its end may take. */
  readonly topicReadTimeoutMs: number;
  /**
   * The run fails when fewer checkouts than this share are accepted within the clients' retries
   * (refusals for a method no PSP can take are not counted): faults must not close checkout.
   */
  readonly minAcceptedShare: number;
  /**
   * Payment API instances behind the readiness-aware balancer, as Keel's deployments run it: a
   * service-kill of payment takes one down while the others answer.
   */
  readonly paymentInstances: number;
}

/**
 * Patient enough to outlast a single fault (each lasts at most 15 s), as a merchant's server
 * creating a checkout would be: it keeps trying for 30 s from its first attempt, each attempt
 * timing out after 3 s, honouring Retry-After. A count of attempts alone would not do: quick
 * refusals with `Retry-After: 1` would spend six attempts in as many seconds.
 */
const CLIENT_RETRY: RetryPolicy = {
  requestTimeoutMs: 3_000,
  attemptsMax: 20,
  patienceMs: 30_000,
  retryInitialDelayMs: 250,
  retryMaxDelayMs: 5_000,
};

/** Short: inside `npm test`, ≤ 5 min in all; every fault class at least once. */
const SHORT: ChaosProfile = {
  name: 'short',
  trafficMs: 90_000,
  mix: { ...DEFAULT_CHECKOUT_MIX, ratePerSecond: 2, durationMs: 90_000 },
  faultsPerClass: 1,
  retry: CLIENT_RETRY,
  quiescenceTimeoutMs: 90_000,
  terminalBoundMs: 120_000,
  topicReadTimeoutMs: 30_000,
  minAcceptedShare: 0.95,
  paymentInstances: 2,
};

/**
 * Long: 25 min of traffic, 10,500 checkouts, 502 faults: every fault class 60 times but the broker
 * restart, 22 times (each leaves the broker 45 s to recover; see fault-schedule.ts).
 */
const LONG: ChaosProfile = {
  name: 'long',
  trafficMs: 1_500_000,
  mix: { ...DEFAULT_CHECKOUT_MIX, ratePerSecond: 7, durationMs: 1_500_000 },
  faultsPerClass: 60,
  retry: CLIENT_RETRY,
  quiescenceTimeoutMs: 180_000,
  terminalBoundMs: 120_000,
  topicReadTimeoutMs: 120_000,
  minAcceptedShare: 0.95,
  paymentInstances: 2,
};

export const PROFILES: Readonly<Record<ProfileName, ChaosProfile>> = { short: SHORT, long: LONG };

export function isProfileName(value: string): value is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(value);
}

/** A positive number from the environment, or undefined; malformed stops the run. */
function positiveSetting(environment: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = environment[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** A whole number ≥ 1 from the environment, or undefined; anything else stops the run. */
function wholeSetting(environment: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = positiveSetting(environment, name);
  if (value !== undefined && !Number.isSafeInteger(value))
    throw new Error(`${name} must be a whole number ≥ 1, got "${environment[name]}"`);
  return value;
}

/**
 * A profile with its sizes overridden from the environment: CHAOS_TRAFFIC_S, CHAOS_RATE_PER_S,
 * CHAOS_QUIESCENCE_TIMEOUT_S, CHAOS_TERMINAL_BOUND_S (a shorter run to reproduce a seed fast),
 * CHAOS_PAYMENT_INSTANCES.
 */
export function withOverrides(profile: ChaosProfile, environment: NodeJS.ProcessEnv): ChaosProfile {
  const trafficS = positiveSetting(environment, 'CHAOS_TRAFFIC_S');
  const ratePerSecond = positiveSetting(environment, 'CHAOS_RATE_PER_S') ?? profile.mix.ratePerSecond;
  const quiescenceS = positiveSetting(environment, 'CHAOS_QUIESCENCE_TIMEOUT_S');
  const terminalBoundS = positiveSetting(environment, 'CHAOS_TERMINAL_BOUND_S');
  const trafficMs = trafficS === undefined ? profile.trafficMs : Math.round(trafficS * 1_000);
  return {
    ...profile,
    trafficMs,
    mix: { ...profile.mix, ratePerSecond, durationMs: trafficMs },
    quiescenceTimeoutMs: quiescenceS === undefined ? profile.quiescenceTimeoutMs : quiescenceS * 1_000,
    terminalBoundMs: terminalBoundS === undefined ? profile.terminalBoundMs : terminalBoundS * 1_000,
    paymentInstances: wholeSetting(environment, 'CHAOS_PAYMENT_INSTANCES') ?? profile.paymentInstances,
  };
}
