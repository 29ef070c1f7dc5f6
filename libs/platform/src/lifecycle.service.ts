import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Logger } from '@pacer/observability';
import { ConsumersService } from './consumers.service';
import { OutboxRelayService } from './outbox-relay.service';
import { LOGGER } from './tokens';

/**
 * Orders start and stop. On SIGTERM the consumers finish and commit their batch and leave the group
 * first, then the relay publishes what it holds, and only then the database pool closes — Nest's own
 * per-provider hooks would run these in no guaranteed order.
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly consumers: ConsumersService,
    private readonly relay: OutboxRelayService,
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    await this.consumers.start();
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'shutting down');
    await this.consumers.stop();
    await this.relay.stop();
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
    this.logger.info('shutdown complete');
  }
}
