// Rate limit figures (part of `npm run bench`, BENCH_ONLY=ratelimit): what the cross-replica rate limit
// costs per request. PostgresThrottlerStorage.increment (one GCRA upsert on the service's database) is
// driven by CONCURRENCY callers over one pool of 10 connections, as a service's requests would:
//  - oneTenant: every call on one tenant's row (they serialise on its row lock: the worst case)
//  - manyTenants: calls spread over 1,000 tenants
//  - selectOne: `SELECT 1` at the same concurrency, the round-trip ceiling of the pool (baseline)
import 'reflect-metadata';
import { CreateRateLimits1765650000000, PostgresThrottlerStorage } from '@pacer/platform';
import { createTestDatabase } from '@pacer/testing';

const CALLS = Number(process.env['BENCH_RATE_LIMIT_CALLS'] ?? 20_000);
const CONCURRENCY = 32;
const MINUTE_MS = 60_000;

export interface RateLimitFigures {
  oneTenantIncrementsPerSec: number;
  manyTenantsIncrementsPerSec: number;
  selectOnePerSec: number;
  incrementP99Ms: number;
  calls: number;
  concurrency: number;
}

async function drive(call: (i: number) => Promise<unknown>): Promise<{ perSec: number; p99Ms: number }> {
  let next = 0;
  const latencies: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) {
        const i = next++;
        const t = performance.now();
        await call(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSec: Math.round(CALLS / seconds), p99Ms: Number((latencies[Math.floor(latencies.length * 0.99)] ?? 0).toFixed(2)) };
}

export async function benchRateLimit(): Promise<RateLimitFigures> {
  const db = await createTestDatabase('bench_rate_limit', [CreateRateLimits1765650000000]);
  try {
    const storage = new PostgresThrottlerStorage(db.dataSource);
    // A limit no call reaches: every call is an admitted write, the common case.
    const limit = CALLS * 10;
    await drive(() => db.dataSource.query('SELECT 1')); // warm the pool
    const selectOne = await drive(() => db.dataSource.query('SELECT 1'));
    const oneTenant = await drive(() => storage.increment('bench-hot', MINUTE_MS, limit, MINUTE_MS, 'default'));
    const manyTenants = await drive((i) => storage.increment(`bench-${i % 1000}`, MINUTE_MS, limit, MINUTE_MS, 'default'));
    return {
      oneTenantIncrementsPerSec: oneTenant.perSec,
      manyTenantsIncrementsPerSec: manyTenants.perSec,
      selectOnePerSec: selectOne.perSec,
      incrementP99Ms: manyTenants.p99Ms,
      calls: CALLS,
      concurrency: CONCURRENCY,
    };
  } finally {
    await db.drop();
  }
}

if (require.main === module) {
  void benchRateLimit().then((figures) => console.log(JSON.stringify(figures, null, 2)));
}
