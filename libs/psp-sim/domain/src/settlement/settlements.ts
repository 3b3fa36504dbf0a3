import type { ChargeRequest, ChargeStore } from '../charge-store';
import type { PaymentMethod, PspId } from '../psp';
import { SimulatorError, SimulatorErrorCode } from '../simulator.error';
import { APPROVE_TOKEN_PREFIX } from '../token-outcome';
import { acmeSettlementLines } from './acme-settlement-writer';
import { novaSettlementLines } from './nova-settlement-writer';
import type { SettlementFileContext } from './settlement-file';
import {
  DEFAULT_UNKNOWN_CHARGE_AMOUNT_MINOR,
  DEFAULT_UNKNOWN_CHARGE_CURRENCY,
  type SettlementFault,
  type SettlementFaults,
  type SettlementFaultSpec,
} from './settlement-faults';
import { SETTLEMENT_TIME_ZONES, type SettlementRow } from './settlement-row';
import { settlementRowsOf } from './settlement-rows';
import { SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH, swiftpaySettlementLines } from './swiftpay-settlement-writer';
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
  /** The merchant id swiftpay's header names. */
  readonly swiftpayMerchantId: string;
  /** The order reference of an unknown charge when the fault gives none. */
  readonly newMerchantReference: () => string;
}

const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const TEXT_CONTENT_TYPE = 'text/plain; charset=utf-8';

const UNKNOWN_CHARGE_METHODS: Readonly<Record<PspId, PaymentMethod>> = {
  acme: 'card',
  nova: 'card',
  swiftpay: 'easy_pay',
};

/** The PSPs' settlement files over the charge store, and the faults that make them differ from it. */
export class Settlements {
  private readonly clocks: Readonly<Record<PspId, ZoneClock>> = {
    acme: new ZoneClock(SETTLEMENT_TIME_ZONES.acme),
    nova: new ZoneClock(SETTLEMENT_TIME_ZONES.nova),
    swiftpay: new ZoneClock(SETTLEMENT_TIME_ZONES.swiftpay),
  };

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
    const context: SettlementFileContext = { date, createdAtMs: nowMs };
    const rows = this.rows(psp, date);
    const compact = date.replaceAll('-', '');
    switch (psp) {
      case 'acme':
        return file(
          psp,
          date,
          `acme_settlement_${date}.csv`,
          CSV_CONTENT_TYPE,
          acmeSettlementLines(rows, context),
        );
      case 'nova':
        return file(
          psp,
          date,
          `nova_settlement_${compact}.csv`,
          CSV_CONTENT_TYPE,
          novaSettlementLines(rows, context),
        );
      case 'swiftpay':
        return file(
          psp,
          date,
          `swiftpay_settlement_${compact}.txt`,
          TEXT_CONTENT_TYPE,
          swiftpaySettlementLines(rows, { ...context, merchantId: this.options.swiftpayMerchantId }),
        );
    }
  }

  /** Records a fault; an `unknown_charge` one first makes its charge, approved, with no webhook. */
  addFault(spec: SettlementFaultSpec, nowMs: number): SettlementFault {
    if (spec.kind !== 'unknown_charge') return this.options.faults.add(spec, nowMs);
    const merchantReference = spec.merchantReference ?? this.options.newMerchantReference();
    if (spec.psp === 'swiftpay' && merchantReference.length > SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH) {
      throw new SimulatorError(
        SimulatorErrorCode.InvalidSettlementFault,
        `swiftpay order ids are at most ${SWIFTPAY_PARTNER_ORDER_ID_MAX_LENGTH} characters`,
      );
    }
    return this.options.faults.add({ ...spec, merchantReference }, nowMs, (valid) =>
      this.chargeUnknown(valid, merchantReference, nowMs),
    );
  }

  private chargeUnknown(spec: SettlementFaultSpec, merchantReference: string, nowMs: number): string {
    const amountMinor = BigInt(spec.amountMinor ?? DEFAULT_UNKNOWN_CHARGE_AMOUNT_MINOR);
    const request: ChargeRequest = {
      psp: spec.psp,
      idempotencyKey: merchantReference,
      amountMinor,
      currency: spec.currency ?? DEFAULT_UNKNOWN_CHARGE_CURRENCY,
      method: UNKNOWN_CHARGE_METHODS[spec.psp],
      issuer: undefined,
      instrumentToken: APPROVE_TOKEN_PREFIX,
      reference: spec.psp === 'acme' ? merchantReference : undefined,
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

function file(
  psp: PspId,
  date: CalendarDate,
  fileName: string,
  contentType: string,
  lines: Iterable<string>,
): SettlementFile {
  return { psp, date, fileName, contentType, lines };
}

/** A PSP's settlement file for a date as of now; undefined for a day that has not begun. */
export type SettlementFileOf = (psp: PspId, date: CalendarDate) => SettlementFile | undefined;
