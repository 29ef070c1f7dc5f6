import { Inject, Injectable } from '@nestjs/common';
import { Client, type Pool, type PoolConfig } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Logger } from '@pacer/observability';
import { LOGGER } from '@pacer/platform';

const CHANNEL = 'pacer_notifications_due';
const RECONNECT_MS = 1_000;

/**
 * Wakes the delivery worker as soon as a transaction that queued deliveries commits (Postgres
 * LISTEN/NOTIFY: a NOTIFY is delivered at commit, and not at all on rollback), on every replica.
 * Polling stays the ground truth: a lost listener connection costs latency, never a delivery.
 */
@Injectable()
export class DueSignal {
  private client?: Client;
  private stopped = false;
  private listeners = new Set<() => void>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Inside the queuing transaction: signals the workers when (and if) it commits. */
  static async notify(manager: EntityManager): Promise<void> {
    await manager.query(`SELECT pg_notify('${CHANNEL}', '')`);
  }

  onDue(listener: () => void): void {
    this.listeners.add(listener);
  }

  async listen(): Promise<void> {
    if (this.stopped) return;
    try {
      // A connection of its own (not borrowed from the pool, so closing the pool at shutdown never
      // waits for it), made with the pool's options: the same TLS and credentials as every query.
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool & { options: PoolConfig };
      const client = new Client(pool.options);
      client.on('error', (e) => this.reconnect(client, e));
      await client.connect();
      client.on('notification', () => {
        for (const listener of this.listeners) listener();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
    } catch (e) {
      this.logger.warn({ err: e }, 'notifications: cannot listen for due deliveries; polling only until it can');
      if (!this.stopped) setTimeout(() => void this.listen(), RECONNECT_MS).unref();
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = undefined;
    if (client) {
      await client.end().catch(() => undefined);
    }
  }

  private reconnect(client: Client, e: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.logger.warn({ err: e }, 'notifications: the listener connection failed; reconnecting');
    void client.end().catch(() => undefined);
    if (!this.stopped) setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
