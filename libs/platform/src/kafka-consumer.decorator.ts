import { SetMetadata } from '@nestjs/common';
import { DecodeResult } from '@pacer/messaging';

export const KAFKA_CONSUMER = 'pacer:kafka-consumer';

export interface KafkaConsumerOptions<E = unknown> {
  topics: readonly string[];
  /** Appended to the service's group id when one service runs several independent consumers. */
  groupSuffix?: string;
  /** Defaults to CloudEvent validation from @pacer/contracts. */
  decode?: (value: Buffer | null) => DecodeResult<E>;
  /** How long the group waits for a silent member (default 30 s); also bounds one batch's duration. */
  sessionTimeoutMs?: number;
}

/**
 * Marks a provider implementing `ConsumerHandler` as a Kafka consumer. The platform discovers it at
 * boot and runs it as a BatchConsumer (offsets in Postgres, retries, DLQ) in the service's group.
 */
export const KafkaConsumer = <E>(options: KafkaConsumerOptions<E>): ClassDecorator =>
  SetMetadata(KAFKA_CONSUMER, options);
