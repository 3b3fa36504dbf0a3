import { SeededRandom } from '@keel/seeded-random';
import { FAULT_CLASSES, laneOf, type FaultClass, type ScheduledFault } from '../faults/fault';

export interface ScheduleSettings {
  readonly durationMs: number;
  readonly faultsPerClass: number;
  /** Which classes to schedule; all by default. */
  readonly classes?: readonly FaultClass[];
  /**
   * How many instances a target runs (1 when absent, e.g. `{ payment: 2 }`): a fault of a class
   * that hits one instance names it in its `instance` parameter (0 is the first) where there are several.
   */
  readonly instances?: Readonly<Record<string, number>>;
}

/** The share of the run at its end left without faults, so the system can settle before checks. */
export const QUIET_TAIL_SHARE = 0.1;
/** A fault shorter than this proves nothing; a denser schedule is refused. */
const DURATION_MS_MIN = 1_000;

const SERVICES = ['payment', 'executor', 'wallet', 'ledger', 'reconciliation', 'ops'] as const;
const PSPS = ['acme', 'nova', 'swiftpay'] as const;
const DELAYED_LINKS = ['postgres', 'kafka', ...PSPS] as const;

interface ClassPlan {
  readonly targets: readonly string[];
  readonly durationMsMin: number;
  readonly durationMsMax: number;
  /**
   * How long after one fault of this class ends its target takes no other fault: the time the
   * system needs to be whole again. A class that cannot fit faultsPerClass faults with it gets as
   * many as fit.
   */
  readonly recoveryMs?: number;
  readonly parameters: (random: SeededRandom) => Record<string, string | number>;
  /** The fault hits one instance of its target, drawn when the target runs several. */
  readonly perInstance?: true;
}

const rate = (random: SeededRandom, minPercent: number, maxPercent: number): number =>
  random.integer(minPercent, maxPercent) / 100;

/** Targets, bounded durations and parameter ranges of each class. */
const CLASS_PLANS: Readonly<Record<FaultClass, ClassPlan>> = {
  'service-kill': {
    targets: SERVICES,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: () => ({ signal: 'SIGKILL' }),
    perInstance: true,
  },
  'kafka-broker-restart': {
    targets: ['kafka'],
    durationMsMin: 5_000,
    durationMsMax: 15_000,
    // The run's cluster is one broker, so a restart is a whole Kafka outage: the broker starting
    // (5–15 s on two busy cores), every consumer group rejoining (a member killed meanwhile holds
    // its partitions for its 10 s session) and the backlog draining. One every 24 s (56 in a long
    // run) left Kafka down more than half the time and no group settled between two restarts.
    recoveryMs: 45_000,
    parameters: (random) => ({ signal: random.pick(['SIGTERM', 'SIGKILL']) }),
  },
  'postgres-terminate': {
    targets: ['all', ...SERVICES],
    durationMsMin: 2_000,
    durationMsMax: 10_000,
    parameters: (random) => ({ rounds: random.integer(2, 4) }),
  },
  'psp-outage': {
    targets: PSPS,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: (random) => ({ outage: random.pick(['503', 'refuse']) }),
  },
  'psp-latency': {
    targets: PSPS,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: (random) => ({ latencyMs: random.integer(200, 3_000) }),
  },
  'psp-charge-then-timeout': {
    targets: PSPS,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: (random) => ({ chargeThenTimeoutRate: rate(random, 10, 50) }),
  },
  'webhook-duplicate': {
    targets: PSPS,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: (random) => ({ webhookDuplicateRate: rate(random, 30, 100) }),
  },
  'webhook-out-of-order': {
    targets: PSPS,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: (random) => ({ webhookDelayMs: random.integer(500, 5_000) }),
  },
  'network-delay': {
    targets: DELAYED_LINKS,
    durationMsMin: 2_000,
    durationMsMax: 15_000,
    parameters: (random) => ({ delayMs: random.integer(50, 400) }),
  },
};

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** The earliest start at or after `fromMs` where `durationMs` fits before `windowMs` among `busy`. */
function earliestFreeStart(
  busy: readonly Interval[],
  fromMs: number,
  durationMs: number,
  windowMs: number,
): number | undefined {
  let startMs = fromMs;
  for (const interval of [...busy].sort((a, b) => a.startMs - b.startMs)) {
    if (interval.endMs <= startMs) continue;
    if (interval.startMs >= startMs + durationMs) break;
    startMs = interval.endMs;
  }
  return startMs + durationMs <= windowMs ? startMs : undefined;
}

function shuffled<T>(items: readonly T[], random: SeededRandom): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = random.integer(0, index);
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

function assertValidSettings(settings: ScheduleSettings): void {
  if (!Number.isSafeInteger(settings.durationMs) || settings.durationMs <= 0)
    throw new Error(`durationMs must be a positive integer, got ${settings.durationMs}`);
  if (!Number.isSafeInteger(settings.faultsPerClass) || settings.faultsPerClass < 0)
    throw new Error(`faultsPerClass must be a non-negative integer, got ${settings.faultsPerClass}`);
  const slotMs = ((1 - QUIET_TAIL_SHARE) * settings.durationMs) / Math.max(1, settings.faultsPerClass);
  if (settings.faultsPerClass > 0 && slotMs < DURATION_MS_MIN)
    throw new Error(
      `${settings.faultsPerClass} faults per class do not fit in ${settings.durationMs} ms: each needs at least ${DURATION_MS_MIN} ms`,
    );
  for (const [target, count] of Object.entries(settings.instances ?? {}))
    if (!Number.isSafeInteger(count) || count < 1)
      throw new Error(`instances of ${target} must be a whole number ≥ 1, got ${count}`);
}

/**
 * The `instance` parameter of a fault that hits one instance of a target running several, drawn
 * from its own stream so that the rest of the schedule is the same whatever the instance counts.
 */
function instanceParameter(
  plan: ClassPlan,
  target: string,
  settings: ScheduleSettings,
  random: SeededRandom,
): Record<string, number> {
  const count = settings.instances?.[target] ?? 1;
  return plan.perInstance === true && count > 1 ? { instance: random.integer(0, count - 1) } : {};
}

/**
 * A reproducible fault schedule: the same seed and settings give the same schedule. Each class's
 * faults are spread over the run (one per equal slot, at a seeded moment within it) and over its
 * targets (in a seeded turn), the last
 * tenth of the run stays quiet, and two faults on the same target never overlap (on paper: the
 * runner also waits for one to end, its undo included, before it starts the next).
 */
export function buildFaultSchedule(seed: number, settings: ScheduleSettings): ScheduledFault[] {
  assertValidSettings(settings);
  const windowMs = Math.floor((1 - QUIET_TAIL_SHARE) * settings.durationMs);
  const busyByTarget = new Map<string, Interval[]>();
  const schedule: ScheduledFault[] = [];
  const root = new SeededRandom(seed);
  for (const faultClass of settings.classes ?? FAULT_CLASSES) {
    const plan = CLASS_PLANS[faultClass];
    const random = root.fork(faultClass);
    const instanceRandom = root.fork(`${faultClass}/instance`);
    const recoveryMs = plan.recoveryMs ?? 0;
    const lane = (target: string): string => laneOf({ faultClass, target });
    const count = Math.min(
      settings.faultsPerClass,
      Math.max(1, Math.floor(windowMs / (plan.durationMsMax + recoveryMs))),
    );
    const classSlotMs = Math.floor(windowMs / Math.max(1, count));
    const durationMsMax = Math.min(plan.durationMsMax, classSlotMs);
    const durationMsMin = Math.min(plan.durationMsMin, durationMsMax);
    const rotation = shuffled(plan.targets, root.fork(`${faultClass}/targets`));
    for (let slot = 0; slot < count; slot += 1) {
      const durationMs = random.integer(durationMsMin, durationMsMax);
      const desiredMs =
        slot * classSlotMs + random.integer(0, Math.max(0, classSlotMs - durationMs - recoveryMs));
      const parameters = plan.parameters(random);
      const candidates = shuffled(plan.targets, random)
        .map((target) => {
          const busy = busyByTarget.get(lane(target)) ?? [];
          const atMs =
            earliestFreeStart(busy, desiredMs, durationMs + recoveryMs, windowMs + recoveryMs) ??
            earliestFreeStart(busy, 0, durationMs + recoveryMs, windowMs + recoveryMs);
          return { target, atMs };
        })
        .filter((candidate): candidate is { target: string; atMs: number } => candidate.atMs !== undefined);
      // The class's targets take their turns, so each gets its share of the faults; where the
      // target whose turn it is has no room in the slot, the fault goes to the earliest free one.
      const inTurn = candidates.find(
        (candidate) =>
          candidate.target === rotation[slot % rotation.length] && candidate.atMs < (slot + 1) * classSlotMs,
      );
      const placement = inTurn ?? candidates.sort((a, b) => a.atMs - b.atMs)[0];
      if (placement === undefined)
        throw new Error(
          `no room for ${faultClass} fault ${slot + 1}: lengthen the run or lower faultsPerClass`,
        );
      const busy = busyByTarget.get(lane(placement.target)) ?? [];
      busy.push({ startMs: placement.atMs, endMs: placement.atMs + durationMs + recoveryMs });
      busyByTarget.set(lane(placement.target), busy);
      schedule.push({
        atMs: placement.atMs,
        durationMs,
        faultClass,
        target: placement.target,
        parameters: {
          ...parameters,
          ...instanceParameter(plan, placement.target, settings, instanceRandom),
        },
      });
    }
  }
  return schedule.sort((a, b) => a.atMs - b.atMs || a.faultClass.localeCompare(b.faultClass));
}
