// Whole-system figures (part of `npm run bench`): the four services as separate processes, as in
// production, over the shared broker and database.
//  - apiToSnapshotActivitiesPerSec: activities posted to the ingestion batch API until the org/day KPI
//    snapshot on pacer.kpi.v1 counts every one of them (accept → outbox → Kafka → KPI → outbox → Kafka)
//  - freshnessP50Ms / freshnessP99Ms: at a steady 1k activities/s, from the moment the API accepted a
//    batch to the moment a snapshot reflecting it was read from pacer.kpi.v1
import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { TOPICS } from '@pacer/contracts';
import { uniqueName } from '@pacer/testing';
import { ensureInfra } from '@pacer/testing/infra';
import { PacerSystem } from '../../apps/system-e2e/src/pacer-system';
import { runStandalone } from './standalone';

const THROUGHPUT_ACTIVITIES = Number(process.env['BENCH_E2E_ACTIVITIES'] ?? 50_000);
const STEADY_SECONDS = Number(process.env['BENCH_E2E_STEADY_SECONDS'] ?? 20);
const STEADY_RATE = 1_000;
const REPS = 50;

interface OrgDayWatch {
  /** Highest `calls` seen so far on the tenant's org/day snapshot, and when each level was first seen. */
  seen: { calls: number; at: number }[];
  stop(): Promise<void>;
}

async function watchOrgCalls(brokers: string[], topic: string, tenantId: string): Promise<OrgDayWatch> {
  const kafka = new Kafka({ clientId: 'bench-watch', brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: uniqueName('bench-watch'), maxWaitTimeInMs: 20 });
  const seen: { calls: number; at: number }[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const at = Date.now();
      if (!message.value) return;
      const event = JSON.parse(message.value.toString()) as { tenantid: string; data: { scope: string; period: { type: string }; metrics: { calls: number } } };
      if (event.tenantid !== tenantId || event.data.scope !== 'org' || event.data.period.type !== 'day') return;
      const calls = event.data.metrics.calls;
      if (calls > (seen.at(-1)?.calls ?? 0)) seen.push({ calls, at });
    },
  });
  await joined;
  return { seen, stop: () => consumer.disconnect() };
}

function activity(tenantSeq: string, i: number): Record<string, unknown> {
  return {
    activityId: `${tenantSeq}-${i}`,
    kind: 'call_logged',
    repId: `rep-${i % REPS}`,
    occurredAt: new Date().toISOString(),
    outcome: i % 3 === 0 ? 'connected' : 'no_answer',
    durationSec: 60,
  };
}

async function waitFor(watch: OrgDayWatch, calls: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = watch.seen.find((s) => s.calls >= calls);
    if (hit) return hit.at;
    if (Date.now() > deadline) throw new Error(`no snapshot counted ${calls} calls within ${timeoutMs} ms (last ${watch.seen.at(-1)?.calls ?? 0})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function benchSystem(): Promise<Record<string, number | string>> {
  const infra = await ensureInfra({ log: () => undefined });
  const system = await PacerSystem.start({
    brokers: infra.kafkaBrokers,
    databaseServerUrl: infra.databaseServerUrl,
    env: { LOG_LEVEL: 'warn' },
  });
  try {
    // Throughput: one tenant, everything today (the org/day snapshot then counts it all).
    const tenant = uniqueName('bench-e2e');
    const client = await system.client(tenant, ['ingest']);
    const watch = await watchOrgCalls(infra.kafkaBrokers, system.topic(TOPICS.kpi), tenant);
    const batch = 1000;
    const started = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < THROUGHPUT_ACTIVITIES) {
          const from = next;
          next += batch;
          const items = Array.from({ length: Math.min(batch, THROUGHPUT_ACTIVITIES - from) }, (_, j) => activity(tenant, from + j));
          await client.postActivities(items);
        }
      }),
    );
    const accepted = Date.now();
    const done = await waitFor(watch, THROUGHPUT_ACTIVITIES, 600_000);
    await watch.stop();

    // Freshness at a steady 1k/s: batches of 100 every 100 ms.
    const steadyTenant = uniqueName('bench-fresh');
    const steadyClient = await system.client(steadyTenant, ['ingest']);
    const steadyWatch = await watchOrgCalls(infra.kafkaBrokers, system.topic(TOPICS.kpi), steadyTenant);
    const acceptedAt: { calls: number; at: number }[] = [];
    const per = STEADY_RATE / 10;
    for (let b = 0; b < STEADY_SECONDS * 10; b += 1) {
      const tick = Date.now();
      await steadyClient.postActivities(Array.from({ length: per }, (_, j) => activity(steadyTenant, b * per + j)));
      acceptedAt.push({ calls: (b + 1) * per, at: Date.now() });
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tick))));
    }
    const latencies: number[] = [];
    for (const a of acceptedAt) latencies.push((await waitFor(steadyWatch, a.calls, 120_000)) - a.at);
    await steadyWatch.stop();
    latencies.sort((x, y) => x - y);
    return {
      apiToSnapshotActivities: THROUGHPUT_ACTIVITIES,
      apiAcceptActivitiesPerSec: Math.round(THROUGHPUT_ACTIVITIES / ((accepted - started) / 1000)),
      apiToSnapshotActivitiesPerSec: Math.round(THROUGHPUT_ACTIVITIES / ((done - started) / 1000)),
      freshnessRatePerSec: STEADY_RATE,
      freshnessP50Ms: Math.max(0, percentile(latencies, 50)),
      freshnessP99Ms: Math.max(0, percentile(latencies, 99)),
    };
  } finally {
    await system.stop();
  }
}

if (require.main === module) {
  runStandalone('system', benchSystem);
}
