import { WireReader } from '../http/wire-reader';
import { PspProtocolError } from '../psp.error';
import type { PspWebhookEvent } from '../psp-connector';
import { ACME_PSP_ID, acmeOutcomeOf, readAcmeCharge } from './acme.transformer';

export const ACME_SIGNATURE_HEADER = 'Acme-Signature';

export const ACME_WEBHOOK_TYPES = ['charge.succeeded', 'charge.declined', 'charge.refunded'] as const;
export type AcmeWebhookType = (typeof ACME_WEBHOOK_TYPES)[number];

function isAcmeWebhookType(value: string): value is AcmeWebhookType {
  return (ACME_WEBHOOK_TYPES as readonly string[]).includes(value);
}

/** `{ id: "evt_…", type, data: <charge> }`; the charge's reference is our idempotency key. */
export function readAcmeWebhook(body: unknown): PspWebhookEvent {
  const reader = new WireReader(ACME_PSP_ID, body, 'webhook');
  const type = reader.string('type');
  if (!isAcmeWebhookType(type)) {
    throw new PspProtocolError(ACME_PSP_ID, `unknown webhook type '${type}'`);
  }
  const charge = readAcmeCharge(reader.object('data'));
  if (charge.reference === undefined) {
    throw new PspProtocolError(ACME_PSP_ID, 'webhook charge has no reference');
  }
  const base = {
    pspId: ACME_PSP_ID,
    eventId: reader.string('id'),
    idempotencyKey: charge.reference,
    pspReference: charge.id,
  };
  switch (type) {
    case 'charge.succeeded':
    case 'charge.declined':
      return { ...base, change: { kind: 'charge', outcome: acmeOutcomeOf(charge) } };
    case 'charge.refunded':
      return { ...base, change: { kind: 'refunded' } };
    default: {
      const unreachable: never = type;
      throw new PspProtocolError(ACME_PSP_ID, `unmapped webhook type '${String(unreachable)}'`);
    }
  }
}
