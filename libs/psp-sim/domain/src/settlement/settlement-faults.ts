import { isCurrencyCode, type CurrencyCode } from '@keel/money';
import { SEED_MAX, SeededRandom, type RandomSource } from '@keel/seeded-random';
import type { PspId } from '../psp';
import { SimulatorError, SimulatorErrorCode } from '../simulator.error';
import { AMOUNT_LIMIT_MINOR } from '../token-outcome';
import type { SettlementRow, SettlementRowKind } from './settlement-row';

/**
 * How a PSP's settlement files differ from the truth, as real ones do (docs/settlement-files.md).
 * `unknown_charge` is the odd one: the PSP really charges (the store gets an approved charge Keel
 * never heard of), so its row is true; the others change the rows of real charges.
 */
export const SETTLEMENT_FAULT_KINDS = [
  'missing_row',
  'unknown_charge',
  'amount_mismatch',
  'currency_mismatch',
  'duplicate_row',
  'late_row',
  'fee_mismatch',
] as const;
export type SettlementFaultKind = (typeof SETTLEMENT_FAULT_KINDS)[number];

/** What POST /admin/settlement-faults asks for (API.md). */
export interface SettlementFaultSpec {
  readonly psp: PspId;
  readonly kind: SettlementFaultKind;
  /**
   * The rows of this order (the merchant reference); for `unknown_charge`, the new charge's
   * reference, generated when absent.
   */
  readonly merchantReference?: string;
  /** Instead of one order: this share of the rows, each drawn from `seed` and its own id. */
  readonly share?: number;
  /** The seed of a share's draws; one from the simulator's seeded source when absent. */
  readonly seed?: number;
  /** Only charge rows or only refund rows; both when absent (fee faults: charge rows only). */
  readonly rowKind?: SettlementRowKind;
  /** amount_mismatch: added to the amount (default 1); a row it would make 0 or less keeps its amount. */
  readonly amountDeltaMinor?: number;
  /** fee_mismatch: added to the fee (default 1); a row it would make negative keeps its fee. */
  readonly feeDeltaMinor?: number;
  /**
   * currency_mismatch: the currency reported (default KRW, or USD for a KRW row); unknown_charge:
   * the charge's currency (default KRW).
   */
  readonly currency?: CurrencyCode;
  /** unknown_charge: the amount charged (default 10000). */
  readonly amountMinor?: number;
  /** unknown_charge: when it was charged (default now); not in the future. */
  readonly occurredAtMs?: number;
}

export interface SettlementFault extends SettlementFaultSpec {
  readonly id: string;
  readonly createdAtMs: number;
  /** unknown_charge: the charge the PSP made. */
  readonly chargeId?: string;
}

export const DEFAULT_UNKNOWN_CHARGE_AMOUNT_MINOR = 10_000;
export const DEFAULT_UNKNOWN_CHARGE_CURRENCY: CurrencyCode = 'KRW';
const DEFAULT_AMOUNT_DELTA_MINOR = 1;
const DEFAULT_FEE_DELTA_MINOR = 1;

/** What the faults make of one true row. */
export interface FaultedRow {
  readonly row: SettlementRow;
  /** Left out of every file. */
  readonly omitted: boolean;
  /** Reported in the next day's file instead of its own. */
  readonly late: boolean;
  /** How many times it is written (2 when duplicated). */
  readonly copies: number;
}

export interface SettlementFaultsOptions {
  readonly maxFaults: number;
  readonly newId: () => string;
  /** Seeds of share faults that give none. */
  readonly random: RandomSource;
}

/**
 * The settlement faults in force. Which rows a share fault strikes depends only on its seed and
 * each row's id, never on the order rows are read in, so a row moved to the next day's file is
 * missing from its own day's file however many times either is downloaded.
 */
export class SettlementFaults {
  private readonly faults = new Map<string, SettlementFault>();

  constructor(private readonly options: SettlementFaultsOptions) {}

  /**
   * Validates and records a fault. `unknown_charge` needs the charge made first: `charge` makes
   * it and returns its id.
   */
  add(
    spec: SettlementFaultSpec,
    nowMs: number,
    charge?: (spec: SettlementFaultSpec) => string,
  ): SettlementFault {
    assertValidSettlementFault(spec, nowMs);
    if (this.faults.size >= this.options.maxFaults) {
      throw new SimulatorError(
        SimulatorErrorCode.TooManySettlementFaults,
        `${this.faults.size} settlement faults are recorded, the maximum (PSP_SIM_MAX_SETTLEMENT_FAULTS)`,
      );
    }
    const seeded =
      spec.share !== undefined && spec.seed === undefined
        ? { ...spec, seed: Math.floor(this.options.random() * (SEED_MAX + 1)) }
        : spec;
    const chargeId = spec.kind === 'unknown_charge' ? charge?.(spec) : undefined;
    if (spec.kind === 'unknown_charge' && chargeId === undefined) {
      throw new Error('an unknown_charge fault needs its charge made');
    }
    const fault: SettlementFault = {
      ...seeded,
      id: this.options.newId(),
      createdAtMs: nowMs,
      ...(chargeId === undefined ? {} : { chargeId }),
    };
    this.faults.set(fault.id, fault);
    return fault;
  }

  remove(id: string): boolean {
    return this.faults.delete(id);
  }

  clear(): void {
    this.faults.clear();
  }

  /** Oldest first. */
  list(): SettlementFault[] {
    return [...this.faults.values()];
  }

  /** What the faults of `psp` in force now make of each of its rows. */
  forPsp(psp: PspId): (row: SettlementRow) => FaultedRow {
    const faults = this.list().filter((fault) => fault.psp === psp && fault.kind !== 'unknown_charge');
    return (row) => applyFaults(faults, row);
  }
}

/** Faults in the order they were added; a missing row is missing whatever else strikes it. */
export function applyFaults(faults: readonly SettlementFault[], row: SettlementRow): FaultedRow {
  let faulted = row;
  let late = false;
  let copies = 1;
  for (const fault of faults) {
    if (!strikes(fault, row)) continue;
    switch (fault.kind) {
      case 'missing_row':
        return { row, omitted: true, late: false, copies: 0 };
      case 'late_row':
        late = true;
        break;
      case 'duplicate_row':
        copies = 2;
        break;
      case 'amount_mismatch': {
        const amountMinor =
          faulted.amountMinor + BigInt(fault.amountDeltaMinor ?? DEFAULT_AMOUNT_DELTA_MINOR);
        if (amountMinor > 0n) faulted = { ...faulted, amountMinor };
        break;
      }
      case 'currency_mismatch':
        faulted = { ...faulted, currency: fault.currency ?? otherCurrencyThan(row.currency) };
        break;
      case 'fee_mismatch': {
        const feeMinor = faulted.feeMinor + BigInt(fault.feeDeltaMinor ?? DEFAULT_FEE_DELTA_MINOR);
        if (feeMinor >= 0n) faulted = { ...faulted, feeMinor };
        break;
      }
      case 'unknown_charge':
        break;
    }
  }
  return { row: faulted, omitted: false, late, copies };
}

function strikes(fault: SettlementFault, row: SettlementRow): boolean {
  const rowKind = fault.kind === 'fee_mismatch' ? 'charge' : fault.rowKind;
  if (rowKind !== undefined && rowKind !== row.kind) return false;
  if (fault.merchantReference !== undefined) return fault.merchantReference === row.merchantReference;
  const share = fault.share ?? 0;
  return share > 0 && new SeededRandom(fault.seed ?? 0).fork(row.movementId).next() < share;
}

function otherCurrencyThan(currency: CurrencyCode): CurrencyCode {
  return currency === 'KRW' ? 'USD' : 'KRW';
}

function assertValidSettlementFault(spec: SettlementFaultSpec, nowMs: number): void {
  const problems: string[] = [];
  const targeted = spec.merchantReference !== undefined;
  const shared = spec.share !== undefined;
  if (spec.kind === 'unknown_charge') {
    if (shared) problems.push('an unknown_charge fault makes one charge: it takes no share');
    const amount = spec.amountMinor ?? DEFAULT_UNKNOWN_CHARGE_AMOUNT_MINOR;
    if (!(Number.isSafeInteger(amount) && amount > 0 && BigInt(amount) <= AMOUNT_LIMIT_MINOR)) {
      problems.push(`amountMinor must be a positive integer of at most ${AMOUNT_LIMIT_MINOR}`);
    }
    if (
      spec.occurredAtMs !== undefined &&
      !(Number.isSafeInteger(spec.occurredAtMs) && spec.occurredAtMs <= nowMs)
    ) {
      problems.push('occurredAtMs must be an epoch millisecond not in the future');
    }
  } else {
    if (targeted === shared) problems.push('give either merchantReference or share, not both');
    if (shared && !((spec.share ?? 0) > 0 && (spec.share ?? 0) <= 1))
      problems.push('share must be within (0, 1]');
    if (spec.amountMinor !== undefined || spec.occurredAtMs !== undefined) {
      problems.push('amountMinor and occurredAtMs belong to unknown_charge faults');
    }
  }
  if (
    spec.seed !== undefined &&
    !(Number.isSafeInteger(spec.seed) && spec.seed >= 0 && spec.seed <= SEED_MAX)
  ) {
    problems.push(`seed must be an integer within [0, ${SEED_MAX}]`);
  }
  if (spec.currency !== undefined && !isCurrencyCode(spec.currency))
    problems.push('currency must be an ISO 4217 code');
  if (spec.currency !== undefined && spec.kind !== 'currency_mismatch' && spec.kind !== 'unknown_charge') {
    problems.push('currency belongs to currency_mismatch and unknown_charge faults');
  }
  assertDelta(problems, spec, 'amountDeltaMinor', 'amount_mismatch');
  assertDelta(problems, spec, 'feeDeltaMinor', 'fee_mismatch');
  if (spec.kind === 'fee_mismatch' && spec.rowKind === 'refund') {
    problems.push('refund rows carry no fee: a fee_mismatch fault strikes charge rows');
  }
  if (problems.length > 0) {
    throw new SimulatorError(SimulatorErrorCode.InvalidSettlementFault, problems.join('; '));
  }
}

function assertDelta(
  problems: string[],
  spec: SettlementFaultSpec,
  field: 'amountDeltaMinor' | 'feeDeltaMinor',
  kind: SettlementFaultKind,
): void {
  const delta = spec[field];
  if (delta === undefined) return;
  if (spec.kind !== kind) problems.push(`${field} belongs to ${kind} faults`);
  else if (!(Number.isSafeInteger(delta) && delta !== 0))
    problems.push(`${field} must be a non-zero integer`);
}
