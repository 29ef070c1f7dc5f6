import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
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
  private client?: PoolClient;
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
      // The service's own pool, so the listener uses the same TLS and credentials as every query.
      const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
      const client = await pool.connect();
      client.on('notification', () => {
        for (const listener of this.listeners) listener();
      });
      client.on('error', (e) => this.reconnect(client, e));
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
      await client.query(`UNLISTEN ${CHANNEL}`).catch(() => undefined);
      client.release();
    }
  }

  private reconnect(client: PoolClient, e: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.logger.warn({ err: e }, 'notifications: the listener connection failed; reconnecting');
    client.release(e);
    if (!this.stopped) setTimeout(() => void this.listen(), RECONNECT_MS).unref();
  }
}
