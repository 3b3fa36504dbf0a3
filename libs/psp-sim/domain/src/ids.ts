import { randomBytes } from 'node:crypto';
import type { PspId } from './psp';

/** Makes the identifiers each PSP hands out. */
export interface IdGenerator {
  chargeId(psp: PspId): string;
  refundId(psp: PspId): string;
  eventId(psp: PspId): string;
  faultId(): string;
  /** The order reference of a charge a settlement fault makes, one no merchant ever sent. */
  unknownChargeReference(): string;
}

const ID_RANDOM_BYTES = 12;

const CHARGE_PREFIX: Readonly<Record<PspId, string>> = { acme: 'ch_', nova: 'N', swiftpay: 'S' };
const REFUND_PREFIX: Readonly<Record<PspId, string>> = { acme: 're_', nova: 'NC', swiftpay: 'SC' };
const EVENT_PREFIX: Readonly<Record<PspId, string>> = { acme: 'evt_', nova: 'NE', swiftpay: 'SE' };

// acme writes ids the way card APIs usually do (lower-case hex after a type prefix); nova and
// swiftpay use upper-case transaction ids.
function inPspCase(psp: PspId, hex: string): string {
  return psp === 'acme' ? hex : hex.toUpperCase();
}

/** A charge id shaped like the PSP's own around `hex` (its reference in settlement files too). */
export function chargeIdOf(psp: PspId, hex: string): string {
  return CHARGE_PREFIX[psp] + inPspCase(psp, hex);
}

function randomHex(): string {
  return randomBytes(ID_RANDOM_BYTES).toString('hex');
}

export const randomIds: IdGenerator = {
  chargeId: (psp) => chargeIdOf(psp, randomHex()),
  refundId: (psp) => REFUND_PREFIX[psp] + inPspCase(psp, randomHex()),
  eventId: (psp) => EVENT_PREFIX[psp] + inPspCase(psp, randomHex()),
  faultId: () => `flt_${randomHex()}`,
  unknownChargeReference: () => `po_unknown_${randomHex()}`,
};
