import {
  isCalendarDate,
  type ChargeRequest,
  type FaultTarget,
  type SettlementFileOf,
  type Simulator,
} from '@keel/psp-sim-domain';
import {
  asCurrency,
  asJsonAmount,
  asKey,
  asText,
  credentialMatches,
  fieldsOf,
  KEY_MAX_LENGTH,
} from '../http/request-fields';
import { jsonWire, type Reply, type WireResponse } from '../http/wire-response';
import { acmeChargeWire, acmeError, acmeRefundWire } from './acme.wire';

const BEARER_PREFIX = 'Bearer ';
const ISSUER_MAX_LENGTH = 64;

/** acme's JSON card API (API.md), translated to and from the shared charge store. */
export class AcmeApi {
  constructor(
    private readonly simulator: Simulator,
    private readonly apiKey: string,
    private readonly settlementFileOf: SettlementFileOf,
  ) {}

  createCharge(
    authorization: string | undefined,
    idempotencyKey: string | undefined,
    body: unknown,
  ): WireResponse {
    if (!this.authenticated(authorization)) return unauthorized();
    const key = asKey(idempotencyKey);
    if (key === undefined) {
      return acmeError(
        400,
        'invalid_request_error',
        `Idempotency-Key header required (1-${KEY_MAX_LENGTH} printable characters).`,
      );
    }
    const parsed = parseChargeBody(key, body);
    if (typeof parsed === 'string') return acmeError(400, 'invalid_request_error', parsed);
    const result = this.simulator.submit(parsed);
    switch (result.kind) {
      case 'created':
      case 'replayed':
        return jsonWire(200, acmeChargeWire(result.charge));
      case 'conflict':
        return acmeError(
          409,
          'idempotency_error',
          'Keys for idempotent requests can only be used with the same parameters.',
        );
    }
  }

  findCharge(authorization: string | undefined, idempotencyKey: unknown): WireResponse {
    if (!this.authenticated(authorization)) return unauthorized();
    const key = asKey(idempotencyKey);
    if (key === undefined)
      return acmeError(400, 'invalid_request_error', 'idempotency_key query parameter required.');
    const charge = this.simulator.store.findByKey('acme', key);
    return charge === undefined ? noSuchCharge() : jsonWire(200, acmeChargeWire(charge));
  }

  refund(authorization: string | undefined, chargeId: string, body: unknown): WireResponse {
    if (!this.authenticated(authorization)) return unauthorized();
    const { amount } = fieldsOf(body);
    const amountMinor = amount === undefined ? undefined : asJsonAmount(amount);
    if (amount !== undefined && amountMinor === undefined) {
      return acmeError(400, 'invalid_request_error', 'amount must be a positive integer.');
    }
    const result = this.simulator.refund('acme', chargeId, amountMinor);
    switch (result.kind) {
      case 'refunded':
      case 'replayed':
        return jsonWire(200, acmeRefundWire(result.charge, result.refund));
      case 'not_found':
        return noSuchCharge();
      case 'invalid_amount':
        return acmeError(400, 'invalid_request_error', 'amount must be a positive integer.');
      case 'not_refundable':
        return acmeError(
          400,
          'invalid_request_error',
          `Charge ${chargeId} is ${result.charge.status} and cannot be refunded.`,
          'charge_not_refundable',
        );
      case 'exceeds_remaining':
        return acmeError(
          400,
          'invalid_request_error',
          'Refund amount is greater than the unrefunded amount.',
          'amount_too_large',
        );
    }
  }

  /** The settlement file of a UTC day (docs/settlement-files.md); today's is the day so far. */
  settlementFile(authorization: string | undefined, date: string): Reply {
    if (!this.authenticated(authorization)) return unauthorized();
    if (!isCalendarDate(date)) {
      return acmeError(400, 'invalid_request_error', 'The date must be a calendar date, YYYY-MM-DD.');
    }
    return (
      this.settlementFileOf('acme', date) ??
      acmeError(
        400,
        'invalid_request_error',
        `No settlement file for ${date} yet: the day has not begun (UTC).`,
        'settlement_date_in_future',
      )
    );
  }

  /** A settlement download is about no one charge: no issuer targets it. */
  settlementTarget(): FaultTarget {
    return { psp: 'acme', method: 'card', issuer: undefined };
  }

  /** A new charge is targeted by its issuer (acme is a card PSP). */
  chargeTarget(body: unknown): FaultTarget {
    return { psp: 'acme', method: 'card', issuer: asText(fieldsOf(body)['issuer'], ISSUER_MAX_LENGTH) };
  }

  keyTarget(idempotencyKey: unknown): FaultTarget {
    const key = asKey(idempotencyKey);
    const charge = key === undefined ? undefined : this.simulator.store.findByKey('acme', key);
    return { psp: 'acme', method: 'card', issuer: charge?.issuer };
  }

  idTarget(chargeId: string): FaultTarget {
    return { psp: 'acme', method: 'card', issuer: this.simulator.store.findById('acme', chargeId)?.issuer };
  }

  private authenticated(authorization: string | undefined): boolean {
    if (authorization === undefined || !authorization.startsWith(BEARER_PREFIX)) return false;
    return credentialMatches(authorization.slice(BEARER_PREFIX.length), this.apiKey);
  }
}

/** The charge to submit, or what is wrong with the body. */
function parseChargeBody(idempotencyKey: string, body: unknown): ChargeRequest | string {
  const fields = fieldsOf(body);
  const amountMinor = asJsonAmount(fields['amount']);
  if (amountMinor === undefined) return 'amount must be a positive integer in minor units.';
  const currency = asCurrency(fields['currency']);
  if (currency === undefined) return 'currency must be an upper-case ISO 4217 code.';
  const source = asText(fields['source']);
  if (source === undefined) return 'source must be a token.';
  const issuer = optionalText(fields['issuer'], ISSUER_MAX_LENGTH);
  if (issuer === null) return `issuer must be text of at most ${ISSUER_MAX_LENGTH} characters.`;
  const reference = optionalText(fields['reference']);
  if (reference === null) return 'reference must be text of at most 255 characters.';
  // Every field of the body counts: a repeat of the key must send exactly the same charge.
  const fingerprint = JSON.stringify([
    amountMinor.toString(),
    currency,
    source,
    issuer ?? null,
    reference ?? null,
  ]);
  return {
    psp: 'acme',
    idempotencyKey,
    amountMinor,
    currency,
    method: 'card',
    issuer,
    instrumentToken: source,
    reference,
    fingerprint,
    twoStep: false,
  };
}

/** undefined when absent, null when present but invalid. */
function optionalText(value: unknown, maxLength?: number): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  return asText(value, maxLength) ?? null;
}

function unauthorized(): WireResponse {
  return acmeError(401, 'authentication_error', 'Invalid API key provided.');
}

function noSuchCharge(): WireResponse {
  return acmeError(404, 'invalid_request_error', 'No such charge.', 'resource_missing');
}
