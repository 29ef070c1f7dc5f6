// Notifications figures, measured in-process against the real broker, database and an HTTP receiver on
// loopback (apps/notifications/test/support: the same receiver the integration tests use):
//  - latencyP50Ms / latencyP99Ms: from the causing event's recordedtime (the producer's publish) to
//    the receiver holding the signed webhook, at BENCH_NOTIFY_RATE deal_won events per second
//  - outage*: the receiver is down for BENCH_NOTIFY_OUTAGE_S seconds while events keep coming; how
//    many were lost (must be 0), the backlog's peak, and how long the backlog took to drain after
//    the receiver came back (bounded by the breaker window + the longest backoff of the run's config)
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { dealWon, NotificationsFixture } from '../../apps/notifications/test/support/notifications-fixture';
import { Receiver } from '../../apps/notifications/test/support/receiver';
import { runStandalone } from './standalone';

const RATE = Number(process.env['BENCH_NOTIFY_RATE'] ?? 50);
const EVENTS = Number(process.env['BENCH_NOTIFY_EVENTS'] ?? 1000);
const OUTAGE_S = Number(process.env['BENCH_NOTIFY_OUTAGE_S'] ?? 60);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await delay(20);
  }
}

export async function benchNotifications(): Promise<Record<string, number | string>> {
  process.env['TEST_LOG_LEVEL'] ??= 'silent';
  // Production-like defaults except the retry timing, shortened so the outage phase stays bounded.
  const fx = await NotificationsFixture.start({
    PACER_NOTIFY_POLL_MS: '100',
    PACER_NOTIFY_BACKOFF_BASE_MS: '500',
    PACER_NOTIFY_BACKOFF_MAX_MS: '5000',
    PACER_NOTIFY_BREAKER_THRESHOLD: '5',
    PACER_NOTIFY_BREAKER_OPEN_MS: '10000',
  });
  const receiver = await new Receiver().start();
  try {
    const tenant = `bench-${randomUUID().slice(0, 8)}`;
    const token = await fx.token(tenant);
    const created = await fx.api('POST', '/v1/destinations', token, { name: 'bench', kind: 'webhook', url: receiver.url(), eventTypes: ['deal_won'] });
    if (created.status !== 201) throw new Error(`bench: create destination → ${created.status}`);

    // Phase 1: steady rate, receiver up.
    const recorded = new Map<string, number>();
    const interval = 1000 / RATE;
    const start = Date.now();
    for (let i = 0; i < EVENTS; i++) {
      const wait = start + i * interval - Date.now();
      if (wait > 0) await delay(wait);
      const event = await fx.publish(dealWon(tenant, `rep-${i % 20}`, '100.00'));
      recorded.set(String(event['id']), Date.parse(String(event['recordedtime'])));
    }
    await until(() => new Set(receiver.accepted().map((r) => r.json['sourceEventId'])).size >= EVENTS, 120_000, 'phase 1 deliveries');
    const latencies = receiver
      .accepted()
      .map((r) => r.at - (recorded.get(String(r.json['sourceEventId'])) ?? r.at))
      .sort((a, b) => a - b);

    // Where the time goes: event recorded → delivery queued (consumer), queued → accepted (worker).
    const [split] = (await fx.svc.dataSource.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM created_at - caused_at) * 1000) AS queued_p50,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - created_at) * 1000) AS sent_p50
         FROM deliveries WHERE status = 'delivered'`,
    )) as { queued_p50: number; sent_p50: number }[];

    // Phase 2: the receiver is down for OUTAGE_S while events keep coming at a tenth of the rate.
    receiver.received.length = 0;
    await receiver.down();
    const outageIds = new Set<string>();
    const downAt = Date.now();
    let backlogPeak = 0;
    while (Date.now() - downAt < OUTAGE_S * 1000) {
      outageIds.add(String((await fx.publish(dealWon(tenant, 'rep-x', '1.00')))['id']));
      const [row] = await fx.svc.dataSource.query(`SELECT count(*)::int AS n FROM deliveries WHERE status = 'pending'`);
      backlogPeak = Math.max(backlogPeak, (row as { n: number }).n);
      await delay(Math.max(100, 10_000 / RATE));
    }
    await receiver.up();
    const upAt = Date.now();
    await until(() => new Set(receiver.accepted().map((r) => String(r.json['sourceEventId']))).size >= outageIds.size, 120_000, 'the backlog drained');
    const drainMs = Date.now() - upAt;
    const delivered = new Set(receiver.accepted().map((r) => String(r.json['sourceEventId'])));
    const lost = [...outageIds].filter((id) => !delivered.has(id)).length;
    const duplicates = receiver.accepted().length - delivered.size;

    return {
      notifyRatePerSec: RATE,
      notifyEvents: EVENTS,
      latencyP50Ms: percentile(latencies, 50),
      latencyP99Ms: percentile(latencies, 99),
      latencyMaxMs: latencies[latencies.length - 1] ?? NaN,
      recordedToQueuedP50Ms: Math.round(split?.queued_p50 ?? NaN),
      queuedToDeliveredP50Ms: Math.round(split?.sent_p50 ?? NaN),
      outageSeconds: OUTAGE_S,
      outageEvents: outageIds.size,
      outageBacklogPeak: backlogPeak,
      outageLost: lost,
      outageDuplicates: duplicates,
      outageDrainMs: drainMs,
    };
  } finally {
    await receiver.stop();
    await fx.close();
  }
}

if (require.main === module) {
  runStandalone('notifications', benchNotifications);
}
