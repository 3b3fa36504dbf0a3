import type { Charge, ChargeTerms, Refund } from './charge';
import type { FaultTarget, IssuerDecline } from './fault';
import { contractFeeOf } from './fee';
import type { IdGenerator } from './ids';
import type { PspId } from './psp';
import { SimulatorError, SimulatorErrorCode } from './simulator.error';
import { outcomeOf, type FinalOutcome } from './token-outcome';

export interface ChargeRequest extends ChargeTerms {
  /** swiftpay's flow: the charge waits in `ready` until `authorize`. */
  readonly twoStep: boolean;
}

export type SubmitResult =
  | { readonly kind: 'created'; readonly charge: Charge }
  | { readonly kind: 'replayed'; readonly charge: Charge }
  | { readonly kind: 'conflict'; readonly charge: Charge };

export type AuthorizeResult =
  | { readonly kind: 'authorized'; readonly charge: Charge }
  | { readonly kind: 'replayed'; readonly charge: Charge };

export type RefundResult =
  | { readonly kind: 'refunded'; readonly charge: Charge; readonly refund: Refund }
  | { readonly kind: 'replayed'; readonly charge: Charge; readonly refund: Refund }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'invalid_amount' }
  | { readonly kind: 'not_refundable'; readonly charge: Charge }
  | { readonly kind: 'exceeds_remaining'; readonly charge: Charge };

export interface ChargeFilter {
  readonly psp?: PspId;
  readonly idempotencyKey?: string;
}

export interface ChargeStoreOptions {
  /** New charges beyond this are refused rather than evicting old ones: the store is ground truth. */
  readonly maxCharges: number;
  /** Each PSP's fee on an approved charge, under its contract with the merchant. */
  readonly feeBasisPoints: Readonly<Record<PspId, number>>;
  readonly ids: IdGenerator;
  /** Asked as each charge is decided: a decline its issuer answers because of a fault, if any. */
  readonly issuerDecline?: (target: FaultTarget, nowMs: number) => IssuerDecline | undefined;
}

type ChargeRecord = { -readonly [K in keyof Charge]: Charge[K] } & {
  refunds: Refund[];
  /** What a pending charge becomes once the issuer answers. */
  eventual: FinalOutcome | undefined;
};

/**
 * Every charge of every PSP, idempotent by (PSP, idempotency key): a repeat with the same
 * fingerprint is the same charge, a repeat with another is a conflict, and neither charges twice.
 */
export class ChargeStore {
  private readonly byKey = new Map<string, ChargeRecord>();
  private readonly byId = new Map<string, ChargeRecord>();

  constructor(private readonly options: ChargeStoreOptions) {
    if (!Number.isInteger(options.maxCharges) || options.maxCharges < 1) {
      throw new RangeError(`maxCharges must be a positive integer, got ${options.maxCharges}`);
    }
  }

  get size(): number {
    return this.byId.size;
  }

  submit(request: ChargeRequest, nowMs: number): SubmitResult {
    const existing = this.byKey.get(keyOf(request.psp, request.idempotencyKey));
    if (existing !== undefined) {
      existing.attempts += 1;
      const kind = existing.fingerprint === request.fingerprint ? 'replayed' : 'conflict';
      return { kind, charge: snapshot(existing) };
    }
    if (this.byId.size >= this.options.maxCharges) {
      throw new SimulatorError(
        SimulatorErrorCode.CapacityExceeded,
        `the simulator holds ${this.byId.size} charges, its maximum (PSP_SIM_MAX_CHARGES)`,
      );
    }
    const record = this.newRecord(request, nowMs);
    if (!request.twoStep) this.decide(record, nowMs);
    this.byKey.set(keyOf(record.psp, record.idempotencyKey), record);
    this.byId.set(keyOf(record.psp, record.id), record);
    return { kind: 'created', charge: snapshot(record) };
  }

  /** swiftpay's second step: a `ready` charge gets its outcome; any other is answered as it is. */
  authorize(psp: PspId, chargeId: string, nowMs: number): AuthorizeResult | undefined {
    const record = this.byId.get(keyOf(psp, chargeId));
    if (record === undefined) return undefined;
    record.attempts += 1;
    if (record.status !== 'ready') return { kind: 'replayed', charge: snapshot(record) };
    this.decide(record, nowMs);
    return { kind: 'authorized', charge: snapshot(record) };
  }

  /** The issuer's late answer; undefined unless the charge is still pending. */
  resolvePending(psp: PspId, chargeId: string, nowMs: number): Charge | undefined {
    const record = this.byId.get(keyOf(psp, chargeId));
    if (record === undefined || record.status !== 'pending' || record.eventual === undefined)
      return undefined;
    this.applyFinal(record, record.eventual, nowMs);
    return snapshot(record);
  }

  /**
   * Refunds `amountMinor` (the rest when undefined) of an approved charge. A request that finds the
   * charge already refunded in full, for the amount of the refund that completed it, is answered
   * with that refund again, so a client retrying a refund whose answer it lost is safe.
   */
  refund(psp: PspId, chargeId: string, amountMinor: bigint | undefined, nowMs: number): RefundResult {
    const record = this.byId.get(keyOf(psp, chargeId));
    if (record === undefined) return { kind: 'not_found' };
    if (amountMinor !== undefined && amountMinor <= 0n) return { kind: 'invalid_amount' };
    const last = record.refunds.at(-1);
    if (record.status === 'cancelled' && last !== undefined) {
      const isRepeat = amountMinor === undefined || amountMinor === last.amountMinor;
      return isRepeat
        ? { kind: 'replayed', charge: snapshot(record), refund: last }
        : { kind: 'exceeds_remaining', charge: snapshot(record) };
    }
    if (record.status !== 'approved') return { kind: 'not_refundable', charge: snapshot(record) };
    const remainingMinor = record.amountMinor - record.refundedAmountMinor;
    const requestedMinor = amountMinor ?? remainingMinor;
    if (requestedMinor > remainingMinor) return { kind: 'exceeds_remaining', charge: snapshot(record) };
    const refund: Refund = {
      id: this.options.ids.refundId(psp),
      amountMinor: requestedMinor,
      createdAtMs: nowMs,
    };
    record.refunds.push(refund);
    record.refundedAmountMinor += requestedMinor;
    if (record.refundedAmountMinor === record.amountMinor) record.status = 'cancelled';
    return { kind: 'refunded', charge: snapshot(record), refund };
  }

  findByKey(psp: PspId, idempotencyKey: string): Charge | undefined {
    const record = this.byKey.get(keyOf(psp, idempotencyKey));
    return record === undefined ? undefined : snapshot(record);
  }

  findById(psp: PspId, chargeId: string): Charge | undefined {
    const record = this.byId.get(keyOf(psp, chargeId));
    return record === undefined ? undefined : snapshot(record);
  }

  /** In creation order. */
  list(filter: ChargeFilter = {}): Charge[] {
    return [...this.charges(filter)];
  }

  /**
   * In creation order, one at a time, so that a reader of a million charges (a settlement file)
   * never holds copies of them all; charges added while it reads are read too.
   */
  *charges(filter: ChargeFilter = {}): Generator<Charge> {
    for (const record of this.byId.values()) {
      if (filter.psp !== undefined && record.psp !== filter.psp) continue;
      if (filter.idempotencyKey !== undefined && record.idempotencyKey !== filter.idempotencyKey) continue;
      yield snapshot(record);
    }
  }

  clear(): void {
    this.byKey.clear();
    this.byId.clear();
  }

  private newRecord(request: ChargeRequest, nowMs: number): ChargeRecord {
    return {
      psp: request.psp,
      id: this.options.ids.chargeId(request.psp),
      idempotencyKey: request.idempotencyKey,
      amountMinor: request.amountMinor,
      currency: request.currency,
      method: request.method,
      issuer: request.issuer,
      instrumentToken: request.instrumentToken,
      reference: request.reference,
      fingerprint: request.fingerprint,
      createdAtMs: nowMs,
      status: 'ready',
      declineCode: undefined,
      declineMessage: undefined,
      settledAtMs: undefined,
      refundedAmountMinor: 0n,
      feeMinor: 0n,
      attempts: 1,
      refunds: [],
      eventual: undefined,
    };
  }

  private decide(record: ChargeRecord, nowMs: number): void {
    const target = { psp: record.psp, method: record.method, issuer: record.issuer };
    const faulted = this.options.issuerDecline?.(target, nowMs);
    if (faulted !== undefined) {
      this.applyFinal(record, { kind: 'declined', declineCode: 'do_not_honor' }, nowMs);
      record.declineMessage = faulted.message;
      return;
    }
    const outcome = outcomeOf(record.instrumentToken, record.amountMinor);
    if (outcome.kind === 'pending') {
      record.status = 'pending';
      record.eventual = outcome.eventual;
    } else {
      this.applyFinal(record, outcome, nowMs);
    }
  }

  private applyFinal(record: ChargeRecord, outcome: FinalOutcome, nowMs: number): void {
    record.settledAtMs = nowMs;
    record.eventual = undefined;
    switch (outcome.kind) {
      case 'approved':
        record.status = 'approved';
        record.feeMinor = contractFeeOf(
          record.amountMinor,
          record.currency,
          this.options.feeBasisPoints[record.psp],
        );
        return;
      case 'declined':
        record.status = 'declined';
        record.declineCode = outcome.declineCode;
        return;
    }
  }
}

// Every dialect accepts only printable characters in keys and ids, so the separator never collides.
function keyOf(psp: PspId, value: string): string {
  return `${psp}\u0000${value}`;
}

function snapshot(record: ChargeRecord): Charge {
  const { eventual: _eventual, ...charge } = record;
  return { ...charge, refunds: [...record.refunds] };
}
