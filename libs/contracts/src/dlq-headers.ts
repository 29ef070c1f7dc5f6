/**
 * Kafka headers a consumer adds when it moves a message to `pacer.dlq.v1` (SPEC §2, §7). The value and
 * key are the original ones, unchanged, so a fixed consumer can replay the message as it was.
 */
export const DLQ_HEADERS = {
  /** Why the message could not be processed (the last error, one line). */
  error: 'pacer-dlq-error',
  sourceTopic: 'pacer-dlq-source-topic',
  sourcePartition: 'pacer-dlq-source-partition',
  sourceOffset: 'pacer-dlq-source-offset',
  /** The consumer group that gave up, so a replay targets the right service. */
  consumerGroup: 'pacer-dlq-consumer-group',
  /** How many times processing was attempted. */
  attempts: 'pacer-dlq-attempts',
  /** ISO 8601 instant at which the message was dead-lettered. */
  failedAt: 'pacer-dlq-failed-at',
} as const;

export type DlqHeader = (typeof DLQ_HEADERS)[keyof typeof DLQ_HEADERS];
