import { ThrottlerStorage } from '@nestjs/throttler';
import { DataSource } from 'typeorm';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often (at most) one replica deletes the rows of keys whose budget is full again. */
const SWEEP_EVERY_MS = 60_000;

interface GcraRow {
  /** The key's new theoretical arrival time when the request was admitted; null when it was refused. */
  admitted_tat: number | null;
  /** The key's stored theoretical arrival time as this statement found it (null for a new key). */
  seen_tat: number | null;
  now_ms: number;
}

/**
 * A `ThrottlerStorage` that holds across replicas, as a generic cell rate algorithm (GCRA, the token
 * bucket kept as one timestamp): `limit` requests per `ttl` ms, a burst of up to `limit`, the budget
 * refilling continuously at one request per `ttl / limit` ms. Each request is one atomic upsert in the
 * service's database on the database's clock, so replicas with drifting clocks agree and concurrent
 * requests of one tenant serialise on its row. `blockDuration` is not used: a refused request waits
 * only until the next request fits (Retry-After), as with a token bucket.
 */
export class PostgresThrottlerStorage implements ThrottlerStorage {
  private lastSweep = 0;

  constructor(private readonly dataSource: DataSource) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const interval = ttl / Math.max(1, limit);
    // The row is written only when the request fits: GREATEST(tat, now) + interval may lie at most
    // `ttl` ahead of now. A refused request changes nothing, so a tenant hammering a full budget does
    // not push its own recovery further out.
    const rows = (await this.dataSource.query(
      `WITH clock AS (SELECT extract(epoch FROM clock_timestamp())::double precision * 1000 AS now_ms),
       admitted AS (
         INSERT INTO rate_limits AS r (key, tat)
         SELECT $1, now_ms + $2 FROM clock
         ON CONFLICT (key) DO UPDATE SET tat = GREATEST(r.tat, (SELECT now_ms FROM clock)) + $2
           WHERE GREATEST(r.tat, (SELECT now_ms FROM clock)) + $2 - (SELECT now_ms FROM clock) <= $3
         RETURNING r.tat
       )
       SELECT (SELECT tat FROM admitted) AS admitted_tat,
              (SELECT tat FROM rate_limits WHERE key = $1) AS seen_tat,
              (SELECT now_ms FROM clock) AS now_ms`,
      [`${throttlerName}:${key}`, interval, ttl],
    )) as GcraRow[];
    const row = rows[0];
    if (!row) throw new Error('the rate limit statement returned no row');
    this.sweepNowAndThen();
    return gcraRecord(row, interval, ttl);
  }

  private sweepNowAndThen(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    // Off the request's path; a failed sweep is retried a minute later and costs nothing meanwhile.
    void this.dataSource
      .query(`DELETE FROM rate_limits WHERE tat < extract(epoch FROM clock_timestamp())::double precision * 1000`)
      .catch(() => undefined);
  }
}

/** What the throttler guard reads (seconds, rounded up; hits = the budget in use, in requests). */
export function gcraRecord(row: GcraRow, interval: number, ttl: number): ThrottlerStorageRecord {
  if (row.admitted_tat !== null) {
    const ahead = Math.max(0, row.admitted_tat - row.now_ms);
    return { totalHits: Math.ceil(ahead / interval - 1e-9), timeToExpire: Math.ceil(ahead / 1000), isBlocked: false, timeToBlockExpire: 0 };
  }
  // Refused: the stored tat is more than ttl - interval ahead; the next request fits once it is not.
  const tat = row.seen_tat ?? row.now_ms;
  const waitMs = tat + interval - ttl - row.now_ms;
  return {
    totalHits: Math.ceil((tat - row.now_ms) / interval - 1e-9) + 1,
    timeToExpire: Math.ceil(Math.max(0, tat - row.now_ms) / 1000),
    isBlocked: true,
    timeToBlockExpire: Math.max(1, Math.ceil(waitMs / 1000)),
  };
}
