import { capturedAmountOf } from '../captured-amount';
import type { KeelDeclineCode } from '../decline-code';
import { WireReader } from '../http/wire-reader';
import { amountAsJsonNumber } from '../psp-settings';
import { PspProtocolError, PspRejectedRequestError } from '../psp.error';
import type { ChargeRequest, PspOutcome, RefundOutcome } from '../psp-connector';

export const ACME_PSP_ID = 'acme';

/** Every status an acme charge can have; anything else is not understood. */
export const ACME_CHARGE_STATUSES = ['succeeded', 'declined', 'pending', 'canceled'] as const;
export type AcmeChargeStatus = (typeof ACME_CHARGE_STATUSES)[number];

export const ACME_REFUND_STATUSES = ['succeeded'] as const;
export type AcmeRefundStatus = (typeof ACME_REFUND_STATUSES)[number];

export interface AcmeCharge {
  readonly id: string;
  readonly status: AcmeChargeStatus;
  readonly amountMinor: bigint;
  readonly currency: string;
  readonly reference?: string;
  readonly failureCode?: string;
  readonly failureMessage?: string;
}

const ACME_DECLINE_CODES: Readonly<Record<string, KeelDeclineCode>> = {
  insufficient_funds: 'insufficient_funds',
  invalid_card: 'invalid_card',
  expired_card: 'expired_card',
  do_not_honor: 'do_not_honor',
  amount_limit_exceeded: 'amount_limit_exceeded',
};

function isAcmeChargeStatus(value: string): value is AcmeChargeStatus {
  return (ACME_CHARGE_STATUSES as readonly string[]).includes(value);
}

/** Reads a charge object (a charge answer, an inquiry answer or a webhook's data). */
export function readAcmeCharge(reader: WireReader): AcmeCharge {
  const status = reader.string('status');
  if (!isAcmeChargeStatus(status)) {
    throw new PspProtocolError(ACME_PSP_ID, `unknown charge status '${status}'`);
  }
  return {
    id: reader.string('id'),
    status,
    amountMinor: reader.amountMinor('amount'),
    currency: reader.string('currency'),
    reference: reader.optionalString('reference'),
    failureCode: reader.optionalString('failure_code'),
    failureMessage: reader.optionalString('failure_message'),
  };
}

/** acme's decline codes in Keel's words; a code Keel does not map is a plain `declined`. */
export function acmeDeclineCodeOf(failureCode: string | undefined): KeelDeclineCode {
  return (failureCode === undefined ? undefined : ACME_DECLINE_CODES[failureCode]) ?? 'declined';
}

export function acmeOutcomeOf(charge: AcmeCharge): PspOutcome {
  switch (charge.status) {
    case 'succeeded':
      return {
        kind: 'succeeded',
        pspReference: charge.id,
        captured: capturedAmountOf(ACME_PSP_ID, charge.id, charge.amountMinor, charge.currency),
      };
    case 'declined':
      return {
        kind: 'declined',
        code: acmeDeclineCodeOf(charge.failureCode),
        message: charge.failureMessage ?? 'Declined',
        pspCode: charge.failureCode ?? 'declined',
        pspReference: charge.id,
      };
    case 'pending':
      return { kind: 'pending', pspReference: charge.id };
    case 'canceled':
      return { kind: 'cancelled', pspReference: charge.id };
    default: {
      const unreachable: never = charge.status;
      throw new PspProtocolError(ACME_PSP_ID, `unmapped charge status '${String(unreachable)}'`);
    }
  }
}

export function acmeChargeBody(request: ChargeRequest): string {
  if (request.instrumentToken === undefined) {
    throw new PspRejectedRequestError(ACME_PSP_ID, 'a card charge needs an instrument token', 'not_sent');
  }
  return JSON.stringify({
    amount: amountAsJsonNumber(ACME_PSP_ID, request.amountMinor),
    currency: request.currency,
    source: request.instrumentToken,
    issuer: request.method.provider,
    reference: request.idempotencyKey,
  });
}

/** A charge that is not for what we asked (another amount or currency) is never taken as ours. */
export function assertChargeMatches(charge: AcmeCharge, request: ChargeRequest): void {
  if (charge.amountMinor !== request.amountMinor || charge.currency !== request.currency) {
    throw new PspProtocolError(
      ACME_PSP_ID,
      `charge ${charge.id} is for ${charge.amountMinor} ${charge.currency}, not ${request.amountMinor} ${request.currency}`,
    );
  }
}

export function readAcmeRefund(reader: WireReader): RefundOutcome {
  const status = reader.string('status');
  if (!(ACME_REFUND_STATUSES as readonly string[]).includes(status)) {
    throw new PspProtocolError(ACME_PSP_ID, `unknown refund status '${status}'`);
  }
  const refundStatus = status as AcmeRefundStatus;
  switch (refundStatus) {
    case 'succeeded':
      return {
        kind: 'succeeded',
        refundReference: reader.string('id'),
        amountMinor: reader.amountMinor('amount'),
      };
    default: {
      const unreachable: never = refundStatus;
      throw new PspProtocolError(ACME_PSP_ID, `unmapped refund status '${String(unreachable)}'`);
    }
  }
}
