import { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { flushTracing, Logger } from '@pacer/observability';
import { ConsumersService } from './consumers.service';
import { OutboxRelayService } from './outbox-relay.service';
import { LOGGER } from './tokens';

/** How long requests already being served may take to finish once the server stops accepting. */
export const HTTP_DRAIN_MS = 10_000;
/** How long the relay keeps publishing committed outbox records after the consumers stopped. */
export const OUTBOX_DRAIN_MS = 5_000;

/**
 * Orders start and stop. On shutdown: the HTTP server stops accepting and finishes the requests in
 * flight; the consumers finish and commit their batch and leave the group; the relay publishes what
 * is committed and releases its leadership; only then does the database pool close — Nest's own
 * per-provider hooks would run these in no guaranteed order.
 *
 * `runService` calls `stopProcessing` on SIGTERM before `app.close()`, so the work stops before any
 * other module's `onModuleDestroy` runs; `app.close()` alone (tests) gets the same order here.
 */
@Injectable()
export class LifecycleService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private stopping?: Promise<void>;

  constructor(
    private readonly consumers: ConsumersService,
    private readonly relay: OutboxRelayService,
    private readonly dataSource: DataSource,
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.relay.start();
    await this.consumers.start();
  }

  /** Stops taking and doing work (HTTP, consumers, relay); idempotent. */
  stopProcessing(signal?: string): Promise<void> {
    this.stopping ??= this.stopWork(signal);
    return this.stopping;
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.stopProcessing(signal);
    if (this.dataSource.isInitialized) {
      await this.dataSource.destroy();
    }
    await flushTracing();
    this.logger.info('shutdown complete');
  }

  private async stopWork(signal?: string): Promise<void> {
    this.logger.info({ signal }, 'shutting down');
    await this.stopHttp();
    await this.consumers.stop();
    await this.relay.stop({ drainMs: OUTBOX_DRAIN_MS });
  }

  private async stopHttp(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    let closed = false;
    const done = new Promise<void>((resolve) =>
      server.close(() => {
        closed = true;
        resolve();
      }),
    );
    // Keep-alive connections idle between requests would hold close() open until they time out.
    const deadline = Date.now() + HTTP_DRAIN_MS;
    while (!closed && Date.now() < deadline) {
      server.closeIdleConnections();
      await Promise.race([done, delay(50)]);
    }
    if (!closed) {
      this.logger.warn({ afterMs: HTTP_DRAIN_MS }, 'closing HTTP connections with requests still in flight');
      server.closeAllConnections();
      await done;
    }
    this.logger.info('http server closed');
  }
}
