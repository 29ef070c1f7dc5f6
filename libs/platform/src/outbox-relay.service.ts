import { Inject, Injectable } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { ServiceConfig } from '@pacer/config';
import { OutboxRelay } from '@pacer/messaging';
import { Logger } from '@pacer/observability';
import { LOGGER, SERVICE_CONFIG } from './tokens';

/** The service's outbox relay (started and stopped by the lifecycle service). */
@Injectable()
export class OutboxRelayService {
  readonly relay: OutboxRelay;

  constructor(kafka: Kafka, @Inject(SERVICE_CONFIG) config: ServiceConfig, @Inject(LOGGER) logger: Logger) {
    this.relay = new OutboxRelay({
      databaseUrl: config.databaseUrl,
      postgres: { ssl: config.database.ssl, statementTimeoutMs: config.database.statementTimeoutMs },
      kafka,
      logger: logger.child({ component: 'outbox-relay' }),
      batchSize: config.outbox.batchSize,
      pollMs: config.outbox.pollMs,
      topicPrefix: config.kafka.topicPrefix,
    });
  }

  start(): void {
    this.relay.start();
  }

  stop(options: { drainMs?: number } = {}): Promise<void> {
    return this.relay.stop(options);
  }
}
