import type { ChargeRequest, ChargeStore } from '../charge-store';
import { perPsp, type PspId } from '../psp';
import { SimulatorError, SimulatorErrorCode } from '../simulator.error';
import { APPROVE_TOKEN_PREFIX } from '../token-outcome';
import {
  DEFAULT_UNKNOWN_CHARGE_AMOUNT_MINOR,
  DEFAULT_UNKNOWN_CHARGE_CURRENCY,
  type SettlementFault,
  type SettlementFaults,
  type SettlementFaultSpec,
} from './settlement-faults';
import { SETTLEMENT_PROFILES } from './settlement-profiles';
import type { SettlementRow } from './settlement-row';
import { settlementRowsOf } from './settlement-rows';
import { addDays, ZoneClock, type CalendarDate } from './zoned-time';

/** One PSP's file for one day, its lines made as they are read. */
export interface SettlementFile {
  readonly psp: PspId;
  readonly date: CalendarDate;
  readonly fileName: string;
  readonly contentType: string;
  readonly lines: Iterable<string>;
}

export interface SettlementsOptions {
  readonly store: ChargeStore;
  readonly faults: SettlementFaults;
  /** The merchant id the header of a file in swiftpay's dialect names. */
  readonly swiftpayMerchantId: string;
  /** The order reference of an unknown charge when the fault gives none. */
  readonly newMerchantReference: () => string;
}

/** The PSPs' settlement files over the charge store, and the faults that make them differ from it. */
export class Settlements {
  private readonly clocks = perPsp((psp) => new ZoneClock(SETTLEMENT_PROFILES[psp].timeZone));

  constructor(private readonly options: SettlementsOptions) {}

  get faults(): SettlementFaults {
    return this.options.faults;
  }

  /** The PSP's current settlement date. */
  today(psp: PspId, nowMs: number): CalendarDate {
    return this.clocks[psp].dateOf(nowMs);
  }

  /** The instant the PSP's day ends, when its file is complete. */
  endOf(psp: PspId, date: CalendarDate): number {
    return this.clocks[psp].startOf(addDays(date, 1));
  }

  /** The day's rows as the file reports them; today's are the day so far. */
  rows(psp: PspId, date: CalendarDate): Iterable<SettlementRow> {
    const clock = this.clocks[psp];
    const day = { previousStartMs: clock.startOf(addDays(date, -1)), ...clock.boundsOf(date) };
    const { store, faults } = this.options;
    return settlementRowsOf(store.charges({ psp }), day, faults.forPsp(psp));
  }

  /** The file of a day that has begun in the PSP's zone; undefined for a later one: none exists yet. */
  file(psp: PspId, date: CalendarDate, nowMs: number): SettlementFile | undefined {
    if (date > this.today(psp, nowMs)) return undefined;
    const { dialect, timeZone } = SETTLEMENT_PROFILES[psp];
    // A day's file is cut once the day ends: downloaded again, an ended day's file is the same bytes
    // (its checksum too) unless its rows changed; the day so far is a file of now.
    const createdAtMs = Math.min(nowMs, this.endOf(psp, date));
    const context = { date, timeZone, createdAtMs, merchantId: this.options.swiftpayMerchantId };
    return {
      psp,
      date,
      fileName: dialect.fileName(psp, date),
      contentType: dialect.contentType,
      lines: dialect.lines(this.rows(psp, date), context),
    };
  }

  /** Records a fault; an `unknown_charge` one first makes its charge, approved, with no webhook. */
  addFault(spec: SettlementFaultSpec, nowMs: number): SettlementFault {
    if (spec.kind !== 'unknown_charge') return this.options.faults.add(spec, nowMs);
    const merchantReference = spec.merchantReference ?? this.options.newMerchantReference();
    const maxLength = SETTLEMENT_PROFILES[spec.psp].dialect.merchantReferenceMaxLength;
    if (maxLength !== undefined && merchantReference.length > maxLength) {
      throw new SimulatorError(
        SimulatorErrorCode.InvalidSettlementFault,
        `${spec.psp} order references are at most ${maxLength} characters`,
      );
    }
    return this.options.faults.add({ ...spec, merchantReference }, nowMs, (valid) =>
      this.chargeUnknown(valid, merchantReference, nowMs),
    );
  }

  private chargeUnknown(spec: SettlementFaultSpec, merchantReference: string, nowMs: number): string {
    const profile = SETTLEMENT_PROFILES[spec.psp];
    const amountMinor = BigInt(spec.amountMinor ?? DEFAULT_UNKNOWN_CHARGE_AMOUNT_MINOR);
    const request: ChargeRequest = {
      psp: spec.psp,
      idempotencyKey: merchantReference,
      amountMinor,
      currency: spec.currency ?? DEFAULT_UNKNOWN_CHARGE_CURRENCY,
      method: profile.unknownChargeMethod,
      issuer: undefined,
      instrumentToken: APPROVE_TOKEN_PREFIX,
      reference: profile.echoesReference ? merchantReference : undefined,
      // No request of a merchant's can repeat it: the merchant never sent it.
      fingerprint: 'settlement-fault:unknown_charge',
      twoStep: false,
    };
    const result = this.options.store.submit(request, spec.occurredAtMs ?? nowMs);
    if (result.kind !== 'created') {
      throw new SimulatorError(
        SimulatorErrorCode.MerchantReferenceTaken,
        `${spec.psp} already holds charge ${result.charge.id} for ${merchantReference}`,
      );
    }
    return result.charge.id;
  }
}

/** A PSP's settlement file for a date as of now; undefined for a day that has not begun. */
export type SettlementFileOf = (psp: PspId, date: CalendarDate) => SettlementFile | undefined;
