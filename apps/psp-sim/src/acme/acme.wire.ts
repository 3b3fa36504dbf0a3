import {
  declineMessageOf,
  type Charge,
  type ChargeStatus,
  type Refund,
  type SimulatorEvent,
} from '@keel/psp-sim-domain';
import { jsonWire, unixSeconds, wireAmount, type WireResponse } from '../http/wire-response';

export type AcmeStatus = 'succeeded' | 'declined' | 'pending' | 'canceled';

export interface AcmeChargeWire {
  readonly id: string;
  readonly status: AcmeStatus;
  readonly amount: number;
  readonly currency: string;
  readonly reference: string | null;
  readonly failure_code?: string;
  readonly failure_message?: string;
  readonly created: number;
}

export type AcmeErrorType = 'authentication_error' | 'invalid_request_error' | 'idempotency_error';

export function acmeStatusOf(status: ChargeStatus): AcmeStatus {
  switch (status) {
    case 'approved':
      return 'succeeded';
    case 'declined':
      return 'declined';
    case 'pending':
      return 'pending';
    case 'cancelled':
      return 'canceled';
    case 'ready':
      throw new Error('acme charges are never ready: they have no two-step flow');
  }
}

export function acmeChargeWire(charge: Charge): AcmeChargeWire {
  const failure =
    charge.declineCode === undefined
      ? {}
      : {
          failure_code: charge.declineCode,
          failure_message: declineMessageOf(charge.declineCode, charge.declineMessage),
        };
  return {
    id: charge.id,
    status: acmeStatusOf(charge.status),
    amount: wireAmount(charge.amountMinor),
    currency: charge.currency,
    reference: charge.reference ?? null,
    ...failure,
    created: unixSeconds(charge.createdAtMs),
  };
}

export function acmeRefundWire(charge: Charge, refund: Refund): Record<string, unknown> {
  return { id: refund.id, charge: charge.id, amount: wireAmount(refund.amountMinor), status: 'succeeded' };
}

export function acmeError(status: number, type: AcmeErrorType, message: string, code?: string): WireResponse {
  return jsonWire(status, { error: { type, ...(code === undefined ? {} : { code }), message } });
}

const EVENT_TYPES: Readonly<Record<SimulatorEvent['kind'], string>> = {
  approved: 'charge.succeeded',
  declined: 'charge.declined',
  refunded: 'charge.refunded',
};

/** acme's webhook body: `{ id, type, data: <charge> }` as JSON. */
export function acmeWebhookBody(event: SimulatorEvent, eventId: string): string {
  return JSON.stringify({ id: eventId, type: EVENT_TYPES[event.kind], data: acmeChargeWire(event.charge) });
}
