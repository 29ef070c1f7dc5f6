import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ServiceConfig } from '@pacer/config';
import { PacerEvent, parseCloudEvent, TOPICS } from '@pacer/contracts';
import { BatchConsumer, ConsumerHandler, ConsumerStatus, DecodeResult, PartitionStatus } from '@pacer/messaging';
import { Logger } from '@pacer/observability';
import { KAFKA_CONSUMER, KafkaConsumerOptions } from './kafka-consumer.decorator';
import { KafkaProbe, KafkaUnavailableError } from './kafka-probe.service';
import { LOGGER, SERVICE_CONFIG } from './tokens';

/** Kafka input is untrusted: every record is checked against the published CloudEvent schemas. */
export function decodeCloudEvent(value: Buffer | null): DecodeResult<PacerEvent> {
  if (value === null) {
    return { ok: false, skip: true, reason: 'tombstone' };
  }
  const result = parseCloudEvent(value);
  if (result.ok) {
    return { ok: true, event: result.event };
  }
  // A type this service does not know is somebody else's event (or a newer version): skip it.
  if (result.unknownType) {
    return { ok: false, skip: true, reason: result.error };
  }
  return { ok: false, error: result.error };
}

/** A partition with records waiting and nothing applied for longer than the stall threshold. */
export interface StalledPartition extends PartitionStatus {
  group: string;
}

export interface ConsumersHealth {
  stallSeconds: number;
  consumers: ConsumerStatus[];
  /** Partitions waiting longer than the threshold, and members kafkajs stopped restarting (partition -1). */
  stalled: StalledPartition[];
}

/** How often consumers that Kafka refused (credentials, certificate) try again. */
export const REFUSED_RETRY_MS = 15_000;

/** Runs every @KafkaConsumer provider of the service (started and stopped by the lifecycle service). */
@Injectable()
export class ConsumersService {
  private readonly running: BatchConsumer<unknown>[] = [];
  /** Why Kafka refused this service's connection, while it does. */
  private refused?: string;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly probe: KafkaProbe,
  ) {}

  /**
   * A refused credential or an untrusted certificate is not fixed by restarting the process, and a
   * crash loop buries the reason: the service stays up, says why in its log, on /health/ready and on
   * /health/consumers, and tries again every REFUSED_RETRY_MS. Any other failure (a broker still
   * starting) is left to kafkajs's retries, as before.
   */
  async start(): Promise<void> {
    this.stopped = false;
    try {
      await this.probe.check();
    } catch (e) {
      if (e instanceof KafkaUnavailableError && e.security) {
        this.refuse(e.message);
        return;
      }
    }
    if (this.refused !== undefined) this.logger.info('kafka accepts the connection now; starting consumers');
    this.refused = undefined;
    await this.startConsumers();
  }

  private refuse(problem: string): void {
    if (this.refused !== problem) {
      this.logger.error({ problem, retryInMs: REFUSED_RETRY_MS }, `kafka refused the connection, consumers not started: ${problem}`);
    }
    this.refused = problem;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.stopped) return;
      this.start().catch((e: unknown) => this.logger.error({ err: e }, 'starting consumers failed'));
    }, REFUSED_RETRY_MS);
    this.retryTimer.unref();
  }

  private async startConsumers(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const { metatype, instance } = wrapper;
      if (!metatype || !instance) continue;
      const options = this.reflector.get<KafkaConsumerOptions | undefined>(KAFKA_CONSUMER, metatype);
      if (!options) continue;
      const groupId = options.groupSuffix ? `${this.config.kafka.groupId}-${options.groupSuffix}` : this.config.kafka.groupId;
      const consumer = new BatchConsumer<unknown>({
        kafka: this.kafka,
        dataSource: this.dataSource,
        logger: this.logger.child({ consumer: groupId }),
        groupId,
        topics: options.topics.map((t) => this.config.kafka.topicPrefix + t),
        decode: options.decode ?? decodeCloudEvent,
        eventId: options.decode ? undefined : (e) => (e as PacerEvent).id,
        handler: instance as ConsumerHandler<unknown>,
        dlqTopic: TOPICS.dlq,
        maxRetries: this.config.consumer.maxRetries,
        retryBackoffMs: this.config.consumer.retryBackoffMs,
        dedupeRetentionMs: this.config.consumer.dedupeRetentionHours * 60 * 60 * 1000,
        sessionTimeoutMs: options.sessionTimeoutMs,
      });
      await consumer.start();
      this.running.push(consumer);
      this.logger.info({ groupId, topics: options.topics }, 'consumer started');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await Promise.all(this.running.splice(0).map((c) => c.stop()));
  }

  /** Whether every consumer is making progress; a stall is records waiting with no batch applied for `stallSeconds`. */
  health(): ConsumersHealth {
    const stallSeconds = this.config.consumer.stallSeconds;
    const consumers = this.running.map((c) => c.status());
    const stalled: StalledPartition[] = [];
    if (this.refused !== undefined) {
      stalled.push({ group: this.config.kafka.groupId, topic: '*', partition: -1, lag: null, waitingSeconds: 0, lastAppliedAt: null, lastError: this.refused });
    }
    for (const c of consumers) {
      if (c.state === 'crashed') {
        stalled.push({ group: c.groupId, topic: '*', partition: -1, lag: null, waitingSeconds: 0, lastAppliedAt: null, lastError: c.error ?? 'consumer crashed' });
      }
      for (const p of c.partitions) if (p.waitingSeconds > stallSeconds) stalled.push({ group: c.groupId, ...p });
    }
    return { stallSeconds, consumers, stalled };
  }
}
