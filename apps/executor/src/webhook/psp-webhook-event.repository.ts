import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PspWebhookEvent } from '@keel/executor-connectors';

/** The SQL of table psp_webhook_events: each verified notification, once. */
@Injectable()
export class PspWebhookEventRepository {
  /** Records a delivery under (psp, event id); false for a redelivery, which must have no effect. */
  async recordIfAbsent(manager: EntityManager, event: PspWebhookEvent, payload: string): Promise<boolean> {
    const rows = (await manager.query(
      `INSERT INTO psp_webhook_events (psp_id, event_id, payment_order_id, payload)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (psp_id, event_id) DO NOTHING
       RETURNING event_id`,
      [event.pspId, event.eventId, event.idempotencyKey, payload],
    )) as unknown[];
    return rows.length === 1;
  }
}
