import type { EntityManager, QueryRunner } from 'typeorm';
import { preparedStatement, runPrepared } from '@keel/database';
import type { OutgoingRecord } from '../kafka/kafka-records';
import { markOutboxWritten } from './outbox-commit-signal';

/** One row of the outbox: a Kafka record waiting to be relayed, with its event id. */
export interface OutboxMessage {
  eventId: string;
  type: string;
  record: OutgoingRecord;
}

/** The insert of the messages given as OUTBOX_PARAMETER_COUNT array parameters from `$first`. */
function outboxInsert(first: number): string {
  const [id, topic, key, type, payload, headers] = [0, 1, 2, 3, 4, 5].map((offset) => `$${first + offset}`);
  return `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, headers)
   SELECT * FROM unnest(${id}::uuid[], ${topic}::text[], ${key}::text[], ${type}::text[], ${payload}::jsonb[],
                        ${headers}::jsonb[])`;
}

/** How many parameters outboxAppendCte takes: the array of each column. */
export const OUTBOX_PARAMETER_COUNT = 6;

/**
 * SQL of a common table expression, `outbox_appended`, that appends the messages of
 * outboxAppendParameters given from `$first`: a handler's write statement carries its outbox rows
 * in the same round trip instead of a statement of their own.
 */
export function outboxAppendCte(first: number): string {
  return `outbox_appended AS (${outboxInsert(first)})`;
}

const APPEND_TO_OUTBOX = preparedStatement('keel_outbox_append', outboxInsert(1));

/**
 * The parameters of outboxAppendCte for `messages` (empty arrays when there are none), with the
 * transaction marked as one that wrote outbox rows, so the relay is woken after its commit.
 */
export function outboxAppendParameters(
  manager: EntityManager,
  messages: readonly OutboxMessage[],
): unknown[] {
  if (messages.length > 0) markOutboxWritten(openTransactionOf(manager));
  return [
    messages.map((message) => message.eventId),
    messages.map((message) => message.record.topic),
    messages.map((message) => message.record.key),
    messages.map((message) => message.type),
    messages.map((message) => message.record.value.toString('utf8')),
    messages.map((message) => JSON.stringify(message.record.headers)),
  ];
}

/**
 * Appends messages to the outbox inside the caller's transaction, so they commit or roll back
 * together with the state change that caused them. One statement for the whole list.
 */
export async function appendToOutbox(
  manager: EntityManager,
  messages: readonly OutboxMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  await runPrepared(manager, APPEND_TO_OUTBOX, outboxAppendParameters(manager, messages));
}

function openTransactionOf(manager: EntityManager): QueryRunner {
  const queryRunner = manager.queryRunner;
  if (queryRunner === undefined || !queryRunner.isTransactionActive) {
    throw new Error('outbox rows need the EntityManager of an open transaction');
  }
  return queryRunner;
}
