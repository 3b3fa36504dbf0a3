import { dlqTopicOf } from '@keel/contracts';
import { headersAsStrings, type IncomingRecord, type OutgoingRecord } from '../kafka/kafka-records';

/** Why a record went to a dead-letter topic; parse failures use the contracts' rejection codes. */
export type DeadLetterReason = string;

export const DEAD_LETTER_HEADERS = {
  reason: 'keel_dlq_reason',
  detail: 'keel_dlq_detail',
  consumer: 'keel_dlq_consumer',
  originalTopic: 'keel_dlq_original_topic',
  originalPartition: 'keel_dlq_original_partition',
  originalOffset: 'keel_dlq_original_offset',
  failedAt: 'keel_dlq_failed_at',
} as const;

const DETAIL_LENGTH_MAX = 2_000;

/** The original record, unchanged, with the reason and its origin added as headers. */
export function deadLetterRecord(
  record: IncomingRecord,
  consumerName: string,
  reason: DeadLetterReason,
  detail: string,
  failedAt: Date = new Date(),
): OutgoingRecord {
  return {
    topic: dlqTopicOf(record.topic),
    key: record.key?.toString('utf8') ?? '',
    value: record.value ?? Buffer.alloc(0),
    headers: {
      ...headersAsStrings(record.headers),
      [DEAD_LETTER_HEADERS.reason]: reason,
      [DEAD_LETTER_HEADERS.detail]: detail.slice(0, DETAIL_LENGTH_MAX),
      [DEAD_LETTER_HEADERS.consumer]: consumerName,
      [DEAD_LETTER_HEADERS.originalTopic]: record.topic,
      [DEAD_LETTER_HEADERS.originalPartition]: String(record.partition),
      [DEAD_LETTER_HEADERS.originalOffset]: record.offset,
      [DEAD_LETTER_HEADERS.failedAt]: failedAt.toISOString(),
    },
  };
}
