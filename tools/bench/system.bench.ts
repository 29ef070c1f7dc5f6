// Whole-system figures (part of `npm run bench`): the four services as separate processes, as in
// production, over the shared broker and database.
//  - apiToSnapshotActivitiesPerSec: activities posted to the ingestion batch API until the org/day KPI
//    snapshot on pacer.kpi.v1 counts every one of them (accept → outbox → Kafka → KPI → outbox → Kafka)
//  - cpuUsPerActivity.<service>: CPU time (user + system) each service process spent per activity in
//    the throughput phase, and their sum: on 2 cores the budget for 10k/s is 200 µs with Postgres and Kafka
//  - freshnessP50Ms / freshnessP99Ms: at a steady 1k activities/s, from the moment the API accepted a
//    batch to the moment a snapshot reflecting it was read from pacer.kpi.v1
// BENCH_E2E_ACTIVITIES (default 50,000) and BENCH_E2E_STEADY_SECONDS (20) size the two phases;
// BENCH_SERVICE_NODE_OPTIONS is handed to every service process as NODE_OPTIONS (Node refuses
// `--cpu-prof` there: profile with `--require <a preload that runs the inspector's Profiler>`);
// BENCH_SERVICE_BUILD=1 runs the compiled services, as the image does (the figure for memory), and
// BENCH_SERVICE_NODE_FLAGS gives node flags on their command line (V8 flags NODE_OPTIONS refuses).
//  - peakRssMB.<service>: each service process's peak RSS (VmHWM) over both phases
import 'reflect-metadata';
import { Kafka, logLevel } from 'kafkajs';
import { SERVICES } from '@pacer/config';
import { TOPICS } from '@pacer/contracts';
import { uniqueName } from '@pacer/testing';
import { ensureInfra } from '@pacer/testing/infra';
import { PacerSystem } from '../../apps/system-e2e/src/pacer-system';
import { cpuSeconds, statusKb } from './proc';
import { serviceBuild } from './service-build';
import { runStandalone } from './standalone';

const THROUGHPUT_ACTIVITIES = Number(process.env['BENCH_E2E_ACTIVITIES'] ?? 50_000);
const STEADY_SECONDS = Number(process.env['BENCH_E2E_STEADY_SECONDS'] ?? 20);
const STEADY_RATE = 1_000;
const SERVICE_NODE_OPTIONS = process.env['BENCH_SERVICE_NODE_OPTIONS'];
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

/** Each service's CPU time so far, to report what one activity costs each of them. */
function servicesCpu(system: PacerSystem): Map<string, number> {
  const out = new Map<string, number>();
  for (const [service, p] of Object.entries(system.processes)) {
    const s = cpuSeconds(p.pid);
    if (s !== undefined) out.set(service, s);
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function benchSystem(): Promise<Record<string, number | string>> {
  const infra = await ensureInfra({ log: () => undefined });
  const build = serviceBuild(SERVICES);
  const system = await PacerSystem.start({
    brokers: infra.kafkaBrokers,
    databaseServerUrl: infra.databaseServerUrl,
    env: { LOG_LEVEL: 'warn', ...(SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: SERVICE_NODE_OPTIONS } : {}) },
    entry: (service) => build.entry(service),
  });
  try {
    // Throughput: one tenant, everything today (the org/day snapshot then counts it all).
    const tenant = uniqueName('bench-e2e');
    const client = await system.client(tenant, ['ingest']);
    const watch = await watchOrgCalls(infra.kafkaBrokers, system.topic(TOPICS.kpi), tenant);
    const batch = 1000;
    const cpuBefore = servicesCpu(system);
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
    // CPU µs per activity of each service over the throughput phase: on 2 cores their sum is the budget.
    const cpuUsPerActivity: Record<string, number> = {};
    for (const [service, after] of servicesCpu(system)) {
      const before = cpuBefore.get(service);
      if (before !== undefined) cpuUsPerActivity[`cpuUsPerActivity.${service}`] = Math.round(((after - before) * 1e6) / THROUGHPUT_ACTIVITIES);
    }
    cpuUsPerActivity['cpuUsPerActivity.services'] = Object.values(cpuUsPerActivity).reduce((a, b) => a + b, 0);
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
    const peakRss: Record<string, number> = {};
    for (const [service, p] of Object.entries(system.processes)) {
      const kb = statusKb(p.pid, 'VmHWM');
      if (kb !== undefined) peakRss[`peakRssMB.${service}`] = Math.round(kb / 1024);
    }
    return {
      servicesRunAs: `${build.label}${SERVICE_NODE_OPTIONS ? ` ${SERVICE_NODE_OPTIONS}` : ''}`,
      apiToSnapshotActivities: THROUGHPUT_ACTIVITIES,
      apiAcceptActivitiesPerSec: Math.round(THROUGHPUT_ACTIVITIES / ((accepted - started) / 1000)),
      apiToSnapshotActivitiesPerSec: Math.round(THROUGHPUT_ACTIVITIES / ((done - started) / 1000)),
      freshnessRatePerSec: STEADY_RATE,
      freshnessP50Ms: Math.max(0, percentile(latencies, 50)),
      freshnessP99Ms: Math.max(0, percentile(latencies, 99)),
      ...cpuUsPerActivity,
      ...peakRss,
    };
  } finally {
    await system.stop();
    build.cleanup();
  }
}

if (require.main === module) {
  runStandalone('system', benchSystem);
}
