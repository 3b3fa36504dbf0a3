import type { EntityManager } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import type { OutgoingRecord } from '../kafka/kafka-records';
import { markOutboxWritten } from './outbox-commit-signal';

/** One row of the outbox: a Kafka record waiting to be relayed, with its event id. */
export interface OutboxMessage {
  eventId: string;
  type: string;
  record: OutgoingRecord;
}

const APPEND_TO_OUTBOX = preparedStatement(
  'keel_outbox_append',
  `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, headers)
   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`,
);

/**
 * Appends messages to the outbox inside the caller's transaction, so they commit or roll back
 * together with the state change that caused them. One statement for the whole list.
 */
export async function appendToOutbox(
  manager: EntityManager,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  const queryRunner = manager.queryRunner;
  if (queryRunner === undefined || !queryRunner.isTransactionActive) {
    throw new Error('appendToOutbox needs the EntityManager of an open transaction');
  }
  markOutboxWritten(queryRunner);
  await runPrepared(manager, APPEND_TO_OUTBOX, [
    messages.map((message) => message.eventId),
    messages.map((message) => message.record.topic),
    messages.map((message) => message.record.key),
    messages.map((message) => message.type),
    messages.map((message) => message.record.value.toString('utf8')),
    messages.map((message) => JSON.stringify(message.record.headers)),
  ]);
}
