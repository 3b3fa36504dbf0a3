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
function randomPart(psp: PspId): string {
  const hex = randomBytes(ID_RANDOM_BYTES).toString('hex');
  return psp === 'acme' ? hex : hex.toUpperCase();
}

export const randomIds: IdGenerator = {
  chargeId: (psp) => `${CHARGE_PREFIX[psp]}${randomPart(psp)}`,
  refundId: (psp) => `${REFUND_PREFIX[psp]}${randomPart(psp)}`,
  eventId: (psp) => `${EVENT_PREFIX[psp]}${randomPart(psp)}`,
  faultId: () => `flt_${randomBytes(ID_RANDOM_BYTES).toString('hex')}`,
  unknownChargeReference: () => `po_unknown_${randomBytes(ID_RANDOM_BYTES).toString('hex')}`,
};
