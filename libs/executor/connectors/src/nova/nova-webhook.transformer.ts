import { WireReader } from '../http/wire-reader';
import { PspProtocolError } from '../psp.error';
import type { PspWebhookEvent } from '../psp-connector';
import {
  NOVA_PSP_ID,
  novaDeclineCodeOf,
  novaSucceededOutcome,
  readNovaTransaction,
} from './nova.transformer';

export const NOVA_SIGNATURE_HEADER = 'X-Nova-Signature';

export const NOVA_WEBHOOK_EVENTS = ['approved', 'declined', 'cancelled'] as const;
export type NovaWebhookEvent = (typeof NOVA_WEBHOOK_EVENTS)[number];

function isNovaWebhookEvent(value: string): value is NovaWebhookEvent {
  return (NOVA_WEBHOOK_EVENTS as readonly string[]).includes(value);
}

/**
 * Form fields of the transaction plus `event` and `notified_at` (and `cancel_tid` for a cancel).
 * nova sends no event id; a transaction is approved or declined once and each cancel has its own
 * id, so `<tid>:<event>[:<cancel_tid>]` identifies the event across redeliveries.
 */
export function readNovaWebhook(rawBody: Buffer): PspWebhookEvent {
  const fields = Object.fromEntries(new URLSearchParams(rawBody.toString('utf8')));
  const reader = new WireReader(NOVA_PSP_ID, fields, 'webhook');
  const event = reader.string('event');
  if (!isNovaWebhookEvent(event)) {
    throw new PspProtocolError(NOVA_PSP_ID, `unknown webhook event '${event}'`);
  }
  const transaction = readNovaTransaction(reader);
  const tid = reader.string('tid');
  const base = { pspId: NOVA_PSP_ID, idempotencyKey: reader.string('order_no'), pspReference: tid };
  switch (event) {
    case 'approved':
      return {
        ...base,
        eventId: `${tid}:${event}`,
        change: { kind: 'charge', outcome: novaSucceededOutcome(transaction) },
      };
    case 'declined':
      return {
        ...base,
        eventId: `${tid}:${event}`,
        change: {
          kind: 'charge',
          outcome: {
            kind: 'declined',
            code: novaDeclineCodeOf(transaction.resultCode),
            message: transaction.resultMessage,
            pspCode: transaction.resultCode,
            pspReference: tid,
          },
        },
      };
    case 'cancelled':
      return {
        ...base,
        eventId: `${tid}:${event}:${reader.string('cancel_tid')}`,
        change: { kind: 'refunded' },
      };
    default: {
      const unreachable: never = event;
      throw new PspProtocolError(NOVA_PSP_ID, `unmapped webhook event '${String(unreachable)}'`);
    }
  }
}
