import { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often (at most) one replica deletes the rows of finished windows. */
const SWEEP_EVERY_MS = 60_000;

interface WindowRow {
  hits: number;
  window_start: string;
  now_ms: string;
}

/**
 * A `ThrottlerStorage` that holds across replicas: fixed windows of `ttl` ms aligned on the database's
 * clock (so replicas with drifting clocks agree on the window), one atomic upsert per request that
 * returns the window's count. A key over `limit` in its window is blocked until the window ends;
 * `blockDuration` is therefore not used (the window end is when the budget comes back).
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const rows = (await this.dataSource.query(
      `WITH clock AS (SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS ms)
       INSERT INTO rate_limit_windows AS w (key, window_start, hits, expires_at)
       SELECT $1, ms - ms % $2, 1, to_timestamp((ms - ms % $2 + $2) / 1000.0) FROM clock
       ON CONFLICT (key, window_start) DO UPDATE SET hits = w.hits + 1
       RETURNING w.hits, w.window_start, (SELECT ms FROM clock) AS now_ms`,
      [`${throttlerName}:${key}`, ttl],
    )) as WindowRow[];
    const row = rows[0];
    if (!row) throw new Error('the rate limit upsert returned no row');
    this.sweepNowAndThen();
    const msLeft = Number(row.window_start) + ttl - Number(row.now_ms);
    const secondsLeft = Math.max(1, Math.ceil(msLeft / 1000));
    const isBlocked = row.hits > limit;
    return { totalHits: row.hits, timeToExpire: secondsLeft, isBlocked, timeToBlockExpire: isBlocked ? secondsLeft : 0 };
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    // Off the request's path; a failed sweep is retried a minute later and costs nothing meanwhile.
    void this.dataSource.query(`DELETE FROM rate_limit_windows WHERE expires_at < clock_timestamp()`).catch(() => undefined);
  }
}
