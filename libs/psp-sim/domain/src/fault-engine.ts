import type { RandomSource } from '@keel/seeded-random';
import {
  ISSUER_DOWN_MESSAGE,
  NO_FAULT,
  PLAIN_WEBHOOK,
  type Fault,
  type FaultPlan,
  type FaultSpec,
  type FaultTarget,
  type IssuerDecline,
  type WebhookPlan,
} from './fault';
import type { PspId } from './psp';
import { SimulatorError, SimulatorErrorCode } from './simulator.error';

export interface FaultEngineOptions {
  readonly random: RandomSource;
  readonly maxFaults: number;
  readonly newId: () => string;
}

const RATE_FIELDS = [
  'errorRate',
  'timeoutRate',
  'chargeThenTimeoutRate',
  'webhookDuplicateRate',
  'declineRate',
] as const;
/** A decline message is shown to buyers and kept on the charge: a sentence, not a document. */
export const DECLINE_MESSAGE_LENGTH_MAX = 200;
type RateField = (typeof RATE_FIELDS)[number];

/**
 * The active faults and the decision, per request, of which of them strike. Every random draw
 * comes from one seeded source, in a fixed order, so a run replays with the same seed.
 */
export class FaultEngine {
  private readonly faults = new Map<string, Fault>();

  constructor(private readonly options: FaultEngineOptions) {}

  add(spec: FaultSpec, nowMs: number): Fault {
    this.purgeExpired(nowMs);
    assertValidFault(spec, nowMs);
    if (this.faults.size >= this.options.maxFaults) {
      throw new SimulatorError(
        SimulatorErrorCode.TooManyFaults,
        `${this.faults.size} faults are active, the maximum (PSP_SIM_MAX_FAULTS)`,
      );
    }
    const fault: Fault = { ...spec, id: this.options.newId(), createdAtMs: nowMs };
    this.faults.set(fault.id, fault);
    return fault;
  }

  remove(id: string): boolean {
    return this.faults.delete(id);
  }

  clear(): void {
    this.faults.clear();
  }

  /** The faults in force at `nowMs`, oldest first. */
  active(nowMs: number): Fault[] {
    this.purgeExpired(nowMs);
    return [...this.faults.values()];
  }

  /** PSPs whose own port must be closed at `nowMs`. */
  refusedPsps(nowMs: number): ReadonlySet<PspId> {
    return new Set(
      this.active(nowMs).flatMap((fault) =>
        fault.outage === 'refuse' && fault.psp !== undefined ? [fault.psp] : [],
      ),
    );
  }

  /** The next moment a fault expires, when something (a closed port) must be looked at again. */
  nextExpiryMs(nowMs: number): number | undefined {
    const ends = this.active(nowMs).flatMap((fault) => (fault.untilMs === undefined ? [] : [fault.untilMs]));
    return ends.length === 0 ? undefined : Math.min(...ends);
  }

  /**
   * Combines every fault matching `target`: the longest latency; an outage before any draw; then
   * one draw each for error, timeout and charge-then-timeout, with the rates of several faults
   * combined as independent chances.
   */
  plan(target: FaultTarget, nowMs: number): FaultPlan {
    const matching = this.active(nowMs).filter((fault) => matches(fault, target));
    if (matching.length === 0) return NO_FAULT;
    const latencyMs = Math.max(0, ...matching.map((fault) => fault.latencyMs ?? 0));
    if (matching.some((fault) => fault.outage === 'refuse')) return { latencyMs: 0, action: 'refuse' };
    if (matching.some((fault) => fault.outage === '503')) return { latencyMs, action: 'unavailable' };
    if (this.strikes(matching, 'errorRate')) return { latencyMs, action: 'unavailable' };
    if (this.strikes(matching, 'timeoutRate')) return { latencyMs, action: 'hang' };
    if (this.strikes(matching, 'chargeThenTimeoutRate')) return { latencyMs, action: 'proceed_then_hang' };
    return { latencyMs, action: 'proceed' };
  }

  /**
   * How to send one webhook about a charge of `target`: a duplicate rate that strikes sends it two
   * or three times, and a webhook delay gives every copy its own random delay up to the longest
   * delay asked for. Without such faults: once, at once, and nothing is drawn.
   */
  webhookPlan(target: FaultTarget, nowMs: number): WebhookPlan {
    const matching = this.active(nowMs).filter(
      (fault) =>
        matches(fault, target) && ((fault.webhookDuplicateRate ?? 0) > 0 || (fault.webhookDelayMs ?? 0) > 0),
    );
    if (matching.length === 0) return PLAIN_WEBHOOK;
    const copies = this.strikes(matching, 'webhookDuplicateRate') ? (this.options.random() < 0.5 ? 2 : 3) : 1;
    const delayMsMax = Math.max(0, ...matching.map((fault) => fault.webhookDelayMs ?? 0));
    const delaysMs = Array.from({ length: copies }, () =>
      delayMsMax === 0 ? 0 : Math.floor(this.options.random() * (delayMsMax + 1)),
    );
    return { delaysMs };
  }

  /**
   * Whether the issuer declines a charge of `target` being decided now: one draw when a matching
   * fault has a decline rate (none otherwise, so other faults' draws are unchanged), and the
   * message of the oldest such fault.
   */
  issuerDecline(target: FaultTarget, nowMs: number): IssuerDecline | undefined {
    const matching = this.active(nowMs).filter(
      (fault) => matches(fault, target) && (fault.declineRate ?? 0) > 0,
    );
    const [oldest] = matching;
    if (oldest === undefined || !this.strikes(matching, 'declineRate')) return undefined;
    return { message: oldest.declineMessage ?? ISSUER_DOWN_MESSAGE };
  }

  private strikes(faults: readonly Fault[], field: RateField): boolean {
    const missProbability = faults.reduce((product, fault) => product * (1 - (fault[field] ?? 0)), 1);
    const rate = 1 - missProbability;
    return rate > 0 && this.options.random() < rate;
  }

  private purgeExpired(nowMs: number): void {
    for (const [id, fault] of this.faults) {
      if (fault.untilMs !== undefined && fault.untilMs <= nowMs) this.faults.delete(id);
    }
  }
}

function matches(fault: Fault, target: FaultTarget): boolean {
  // A fault without a PSP is an issuer's (validated): it strikes at every PSP.
  if (fault.psp !== undefined && fault.psp !== target.psp) return false;
  if (fault.method !== undefined && fault.method !== target.method) return false;
  if (fault.issuer === undefined) return true;
  return target.issuer !== undefined && fault.issuer.toLowerCase() === target.issuer.toLowerCase();
}

function assertValidFault(spec: FaultSpec, nowMs: number): void {
  const problems: string[] = [];
  if (spec.psp === undefined && spec.issuer === undefined) {
    problems.push('a fault needs a psp, or an issuer to fault at every PSP');
  }
  for (const field of RATE_FIELDS) {
    const rate = spec[field];
    if (rate !== undefined && !(rate >= 0 && rate <= 1)) problems.push(`${field} must be within [0, 1]`);
  }
  if (spec.latencyMs !== undefined && !(Number.isInteger(spec.latencyMs) && spec.latencyMs >= 0)) {
    problems.push('latencyMs must be a non-negative integer');
  }
  if (
    spec.webhookDelayMs !== undefined &&
    !(Number.isInteger(spec.webhookDelayMs) && spec.webhookDelayMs >= 0)
  ) {
    problems.push('webhookDelayMs must be a non-negative integer');
  }
  if (
    spec.declineMessage !== undefined &&
    !(spec.declineMessage.length >= 1 && spec.declineMessage.length <= DECLINE_MESSAGE_LENGTH_MAX)
  ) {
    problems.push(`declineMessage must be 1 to ${DECLINE_MESSAGE_LENGTH_MAX} characters`);
  }
  if (spec.declineMessage !== undefined && (spec.declineRate ?? 0) === 0) {
    problems.push('declineMessage needs a declineRate above 0');
  }
  if (spec.untilMs !== undefined && spec.untilMs <= nowMs) problems.push('untilMs is already past');
  if (spec.outage === 'refuse' && (spec.method !== undefined || spec.issuer !== undefined)) {
    problems.push('outage "refuse" closes the whole PSP port: it cannot target a method or an issuer');
  }
  const hasEffect =
    spec.outage !== undefined ||
    (spec.latencyMs ?? 0) > 0 ||
    (spec.webhookDelayMs ?? 0) > 0 ||
    RATE_FIELDS.some((field) => (spec[field] ?? 0) > 0);
  if (!hasEffect)
    problems.push('a fault needs at least one effect (latencyMs, webhookDelayMs, a rate > 0 or outage)');
  if (problems.length > 0) throw new SimulatorError(SimulatorErrorCode.InvalidFault, problems.join('; '));
}
