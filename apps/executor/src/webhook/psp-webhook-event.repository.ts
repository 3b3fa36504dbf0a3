import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { redactCardNumbers } from '@keel/contracts';
import { preparedStatement, runPrepared } from '@keel/database';
import type { PspWebhookEvent } from '@keel/executor-connectors';

/** A verified notification to record, with its body as the PSP signed it. */
export interface WebhookRecord {
  readonly event: PspWebhookEvent;
  /** Stored with any card number in it masked (`411111******1111`): Keel never stores a PAN. */
  readonly payload: string;
}

// Rows go in key order, so batches that share a key wait for each other instead of deadlocking.
const RECORD_EVENTS = preparedStatement(
  'executor_record_psp_webhook_events',
  `INSERT INTO psp_webhook_events (psp_id, event_id, payment_order_id, payload)
   SELECT e.psp_id, e.event_id, e.payment_order_id, e.payload
   FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY
     AS e(psp_id, event_id, payment_order_id, payload, position)
   ORDER BY e.position
   ON CONFLICT (psp_id, event_id) DO NOTHING
   RETURNING psp_id, event_id`,
);

/** The key a delivery is recorded under: one event of one PSP. */
export function webhookKeyOf(event: Pick<PspWebhookEvent, 'pspId' | 'eventId'>): string {
  return JSON.stringify([event.pspId, event.eventId]);
}

/** The SQL of table psp_webhook_events: each verified notification, once. */
@Injectable()
export class PspWebhookEventRepository {
  /**
   * Records the deliveries not recorded yet, with one insert (the keys must be distinct); answers
   * the keys (`webhookKeyOf`) it recorded. A redelivery is not among them and must have no effect.
   */
  async recordNew(manager: EntityManager, records: readonly WebhookRecord[]): Promise<Set<string>> {
    if (records.length === 0) return new Set();
    const sorted = [...records].sort((a, b) => compareKeys(a.event, b.event));
    const rows = await runPrepared<{ psp_id: string; event_id: string }>(manager, RECORD_EVENTS, [
      sorted.map((record) => record.event.pspId),
      sorted.map((record) => record.event.eventId),
      sorted.map((record) => record.event.idempotencyKey),
      sorted.map((record) => redactCardNumbers(record.payload)),
    ]);
    return new Set(rows.map((row) => webhookKeyOf({ pspId: row.psp_id, eventId: row.event_id })));
  }
}

function compareKeys(a: PspWebhookEvent, b: PspWebhookEvent): number {
  if (a.pspId !== b.pspId) return a.pspId < b.pspId ? -1 : 1;
  if (a.eventId === b.eventId) return 0;
  return a.eventId < b.eventId ? -1 : 1;
}
