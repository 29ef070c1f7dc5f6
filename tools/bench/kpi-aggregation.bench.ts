// KPI aggregation benchmark (issue 5). The service runs as its own process (as in production) on a
// fresh database and private 6-partition copies of the topics; this process only produces and watches.
//  - backlogActivitiesPerSec: N activities already on pacer.activities.v1 when the service starts, from
//    the service being ready until the org/day snapshot on pacer.kpi.v1 counts every one of them
//    (consume → aggregate → outbox → Kafka): the service's own rate;
//  - topicToSnapshotActivitiesPerSec: the same for N activities produced while it runs, from the first
//    produce (produceActivitiesPerSec is how fast this process got them onto the topic);
//  - freshnessP50Ms / freshnessP99Ms: at a steady 1k activities/s, per activity, from just before it is
//    produced to the moment a snapshot of its rep and day reflecting it is read from pacer.kpi.v1;
//  - rebuildEventsPerSec: POST /v1/admin/rebuild until it reports done, over every input event it replayed;
//    rebuildPhaseMs_* how long it reported each phase, and the CPU the service and its database's
//    Postgres backends spent on it per 100k replayed events (steadier than the rate on a shared machine).
// Env: BENCH_KPI_ACTIVITIES (default 100000), BENCH_KPI_STEADY_SECONDS (default 20), BENCH_KPI_FORECAST=1
// (opportunities carry expected close dates and probabilities, and the booked meetings' share becomes
// stage changes moving an earlier opportunity's date and probability: the forecast path's cost),
// BENCH_KPI_REBUILD_LIVE=changed|emptied (the rebuild's worst case: see REBUILD_LIVE).
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import { Client } from 'pg';
import { mintToken } from '@pacer/auth';
import { Activity, activityEventType, EVENT_TOPICS, eventKey, kpiKey, makeEvent, PacerEvent, TOPICS } from '@pacer/contracts';
import { createTestDatabase, deleteTopicNamespace, freePort, pollUntil, TEST_JWT_SECRET, testBrokers, uniqueName } from '@pacer/testing';
import { ensureTopics } from '@pacer/testing/infra';
import { runStandalone } from './standalone';

const ACTIVITIES = Number(process.env['BENCH_KPI_ACTIVITIES'] ?? 100_000);
const STEADY_SECONDS = Number(process.env['BENCH_KPI_STEADY_SECONDS'] ?? 20);
const STEADY_RATE = 1_000;
const FORECAST = process.env['BENCH_KPI_FORECAST'] === '1';
/** What the org/day snapshot counts of ACTIVITIES activities: stage changes (5 % with FORECAST) count nowhere. */
const COUNTED = FORECAST ? ACTIVITIES - Math.floor(ACTIVITIES / 100) * 5 - Math.max(0, Math.min(5, (ACTIVITIES % 100) - 85)) : ACTIVITIES;
/**
 * The rebuild's worst case for a swap that writes only what differs: `changed` moves every live fact
 * of the tenant by 1 ms (an indexed column) and every live accumulator by one call before the rebuild,
 * `emptied` deletes the tenant's live read models; the rebuild then rewrites each such row.
 */
const REBUILD_LIVE = ((v) => (v === 'changed' || v === 'emptied' ? v : undefined))(process.env['BENCH_KPI_REBUILD_LIVE']);
const REPS = 200;
const TEAMS = 10;
const DAY = '2026-11-27';
const ROOT = path.resolve(__dirname, '../..');

interface Prepared {
  topic: string;
  key: string;
  value: string;
}

function prepare(prefix: string, event: PacerEvent): Prepared {
  return { topic: prefix + EVENT_TOPICS[event.type], key: eventKey(event), value: JSON.stringify(event) };
}

function activityData(i: number, repId: string, occurredAt: string): Activity {
  const base = { activityId: `a-${i}`, repId, occurredAt };
  const r = i % 100;
  if (r < 60) return { ...base, kind: 'call_logged', outcome: i % 3 === 0 ? 'connected' : 'no_answer', durationSec: 60 };
  if (r < 85) return { ...base, kind: 'email_sent' };
  if (r < 90 && FORECAST) {
    // Moves the opportunity created 100 activities earlier (same r class): a new date and probability.
    return {
      ...base,
      kind: 'opportunity_stage_changed',
      opportunityId: `o-${i - (r - 90) - 100}`,
      toStage: 'proposal',
      expectedCloseDate: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`,
      probability: '0.4',
    };
  }
  if (r < 90) return { ...base, kind: 'meeting_scheduled', meetingId: `m-${i}`, scheduledFor: occurredAt };
  if (r < 95 && FORECAST) {
    const expectedCloseDate = `2026-12-${String(1 + (i % 28)).padStart(2, '0')}`;
    return { ...base, kind: 'opportunity_created', opportunityId: `o-${i}`, amount: '1250.00', currency: 'USD', expectedCloseDate, probability: '0.1' };
  }
  if (r < 95) return { ...base, kind: 'opportunity_created', opportunityId: `o-${i}`, amount: '1250.00', currency: 'USD' };
  if (r < 98) {
    return {
      ...base,
      kind: 'deal_won',
      dealId: `d-${i}`,
      opportunityId: `o-${i - 5}`,
      amount: '9999.99',
      currency: 'USD',
      credits: [
        { repId, share: '0.5' },
        { repId: `rep-${(i + 1) % REPS}`, share: '0.5' },
      ],
    };
  }
  return { ...base, kind: 'deal_lost', dealId: `d-${i}`, opportunityId: `o-${i}` };
}

function activityEvent(tenantId: string, data: Activity, recordedTime?: string): PacerEvent {
  return makeEvent(activityEventType(data.kind), {
    id: `ev-${tenantId}-${data.activityId}`,
    tenantId,
    time: data.occurredAt,
    data: data as never,
    ...(recordedTime ? { recordedTime } : {}),
  });
}

function setupEvents(tenantId: string): PacerEvent[] {
  const out: PacerEvent[] = [
    makeEvent('pacer.roster.settings_updated.v1', {
      id: `ev-${tenantId}-settings`,
      tenantId,
      time: '2026-01-01T00:00:00Z',
      data: { timezone: 'Europe/Berlin', weekStartsOn: 1, fiscalYearStartMonth: 2 },
    }),
  ];
  for (let r = 0; r < REPS; r += 1) {
    const teamId = `team-${r % TEAMS}`;
    out.push(
      makeEvent('pacer.roster.member_joined.v1', {
        id: `ev-${tenantId}-join-${r}`,
        tenantId,
        time: '2026-01-01T00:00:00Z',
        data: { teamId, repId: `rep-${r}`, name: `Rep ${r}`, role: 'AE', effectiveFrom: '2026-01-01T00:00:00Z' },
      }),
      makeEvent('pacer.plan.quota_set.v1', {
        id: `ev-${tenantId}-quota-${r}`,
        tenantId,
        time: '2026-01-01T00:00:00Z',
        data: { repId: `rep-${r}`, periodKey: '2026-11', amount: '100000' },
      }),
    );
  }
  for (let t = 0; t < TEAMS; t += 1) {
    out.push(
      makeEvent('pacer.sprint.planned.v1', {
        id: `ev-${tenantId}-sprint-${t}`,
        tenantId,
        time: '2026-01-01T00:00:00Z',
        data: { sprintId: `sprint-${t}`, teamId: `team-${t}`, startDate: '2026-11-23', lengthDays: 7, goal: 'bench' },
      }),
    );
  }
  return out;
}

async function send(producer: Producer, records: readonly Prepared[], chunk = 5000): Promise<void> {
  const inFlight: Promise<unknown>[] = [];
  for (let i = 0; i < records.length; i += chunk) {
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const r of records.slice(i, i + chunk)) {
      const list = byTopic.get(r.topic) ?? [];
      list.push({ key: r.key, value: r.value });
      byTopic.set(r.topic, list);
    }
    inFlight.push(producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) }));
    if (inFlight.length >= 2) await inFlight.shift();
  }
  await Promise.all(inFlight);
}


/** Mean consumer batch size and time, and the share of it spent aggregating, from the service's /metrics. */
function batchFigures(metrics: string): Record<string, number> {
  const value = (name: string): number => {
    const line = metrics.split('\n').find((l) => l.startsWith(name));
    return line ? Number(line.split(' ').pop()) : NaN;
  };
  const batches = value('pacer_consumer_batch_duration_seconds_count');
  return {
    meanBatchActivities: Math.round(value('pacer_consumer_batch_size_sum') / value('pacer_consumer_batch_size_count')),
    meanBatchMs: Math.round((value('pacer_consumer_batch_duration_seconds_sum') / batches) * 1000),
    meanAggregationMs: Math.round((value('pacer_kpi_aggregation_duration_seconds_sum') / value('pacer_kpi_aggregation_duration_seconds_count')) * 1000),
  };
}

/** CPU seconds used so far by the service, the Postgres backends of its database and the Kafka broker (Linux /proc). */
function cpuSeconds(servicePid: number | undefined, database: string): Record<string, number> {
  const ticks = (pid: string): number => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0;
    }
  };
  const out: Record<string, number> = { service: 0, postgres: 0, kafka: 0 };
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (Number(pid) === servicePid) out['service'] = ticks(pid) / 100;
    else if (cmd.startsWith('postgres') && cmd.includes(database)) out['postgres'] = (out['postgres'] ?? 0) + ticks(pid) / 100;
    else if (cmd.includes('kafka.Kafka')) out['kafka'] = (out['kafka'] ?? 0) + ticks(pid) / 100;
  }
  return out;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Reads pacer.kpi.v1 and hands every snapshot (key, parsed data, arrival time) to `onSnapshot`. */
async function watchKpis(
  kafka: Kafka,
  topic: string,
  onSnapshot: (key: string, data: { metrics: Record<string, number | string | null> }, at: number) => void,
): Promise<() => Promise<void>> {
  const consumer = kafka.consumer({ groupId: uniqueName('bench-kpi-watch'), maxWaitTimeInMs: 10 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ message }) => {
      const at = Date.now();
      if (!message.key || !message.value) return;
      onSnapshot(message.key.toString(), (JSON.parse(message.value.toString()) as { data: { metrics: Record<string, number | string | null> } }).data, at);
    },
  });
  await joined;
  return () => consumer.disconnect();
}

/** Counts a tenant's activities on its org/day snapshot as they show up on pacer.kpi.v1. */
function orgDayCount(tenant: string): { onSnapshot: (key: string, data: { metrics: Record<string, number | string | null> }, at: number) => void; count: number; at: number } {
  const orgDay = kpiKey(tenant, 'org', tenant, 'day', DAY);
  const state = {
    count: 0,
    at: 0,
    onSnapshot(key: string, data: { metrics: Record<string, number | string | null> }, at: number): void {
      if (key !== orgDay) return;
      const m = data.metrics as Record<string, number>;
      // With BENCH_KPI_FORECAST the meetings' share are stage changes, which count nowhere (COUNTED).
      const n =
        (m['calls'] ?? 0) + (m['emails'] ?? 0) + (m['meetingsScheduled'] ?? 0) + (m['opportunitiesCreated'] ?? 0) + (m['dealsWon'] ?? 0) + (m['dealsLost'] ?? 0);
      if (n > state.count) [state.count, state.at] = [n, at];
    },
  };
  return state;
}

/** Setup and N activities of one tenant on one day: 200 reps in 10 teams with sprints and quotas. */
function tenantRecords(prefix: string, tenant: string): Prepared[] {
  const dayStart = Date.parse(`${DAY}T07:00:00Z`);
  return [
    ...setupEvents(tenant).map((e) => prepare(prefix, e)),
    ...Array.from({ length: ACTIVITIES }, (_, i) =>
      prepare(prefix, activityEvent(tenant, activityData(i, `rep-${(i * 7919) % REPS}`, new Date(dayStart + ((i * 997) % 36_000) * 1000).toISOString()))),
    ),
  ];
}

async function spoilLiveRows(url: string, tenant: string, how: 'changed' | 'emptied'): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    if (how === 'changed') {
      await client.query(`UPDATE kpi_facts SET occurred_ms = occurred_ms + 1 WHERE tenant_id = $1`, [tenant]);
      await client.query(`UPDATE kpi_accumulators SET calls = calls + 1 WHERE tenant_id = $1`, [tenant]);
    } else {
      for (const table of ['kpi_settings', 'kpi_membership_events', 'kpi_memberships', 'kpi_sprints', 'kpi_quotas', 'kpi_cancels', 'kpi_facts', 'kpi_opportunity_events', 'kpi_forecasts', 'kpi_accumulators'])
        await client.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenant]);
    }
    await client.query('VACUUM ANALYZE kpi_facts');
  } finally {
    await client.end();
  }
}

export async function benchKpiAggregation(): Promise<Record<string, number | string>> {
  const brokers = testBrokers();
  const kafka = new Kafka({ clientId: 'bench-kpi', brokers, logLevel: logLevel.NOTHING });
  const prefix = `${uniqueName('bench-kpi')}.`;
  await ensureTopics(brokers, { prefix, partitions: 6, replicationFactor: 1, log: () => undefined });
  const db = await createTestDatabase('bench_kpi', []);
  await db.dataSource.destroy();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const stops: (() => Promise<void>)[] = [];
  let child: ChildProcess | undefined;
  try {
    // 0. A backlog: N activities already on the topic when the service starts (its pure consuming rate).
    const backlogTenant = uniqueName('bench-kpi-backlog');
    const backlog = orgDayCount(backlogTenant);
    stops.push(await watchKpis(kafka, prefix + TOPICS.kpi, backlog.onSnapshot));
    await send(producer, tenantRecords(prefix, backlogTenant));

    const profile = process.env['BENCH_KPI_CPU_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_KPI_CPU_PROFILE']}`] : [];
    child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', 'apps/kpi-aggregation/src/main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        DATABASE_URL: db.url,
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: uniqueName('bench-kpi'),
        PACER_TOPIC_PREFIX: prefix,
        PACER_JWT_SECRET: TEST_JWT_SECRET,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const servicePid = child.pid;
    await pollUntil(
      async () => (await fetch(`${baseUrl}/health/ready`).catch(() => undefined))?.status,
      (s) => s === 200,
      { timeoutMs: 60_000, intervalMs: 50, what: 'the KPI service to be ready' },
    );
    const ready = Date.now();
    await pollUntil(
      () => backlog.count,
      (n) => n >= COUNTED,
      { timeoutMs: 600_000, intervalMs: 50, what: `the backlog's org/day snapshot to count ${ACTIVITIES} activities` },
    );
    const backlogSeconds = (backlog.at - ready) / 1000;

    // 1. Throughput end to end: N activities produced while the service runs.
    const tenant = uniqueName('bench-kpi');
    const live = orgDayCount(tenant);
    stops.push(await watchKpis(kafka, prefix + TOPICS.kpi, live.onSnapshot));
    const records = tenantRecords(prefix, tenant);
    const cpuBefore = cpuSeconds(servicePid, db.name);
    const started = Date.now();
    await send(producer, records);
    const produced = Date.now();
    await pollUntil(
      () => live.count,
      (n) => n >= COUNTED,
      { timeoutMs: 600_000, intervalMs: 50, what: `the org/day snapshot to count ${ACTIVITIES} activities` },
    );
    const throughputSeconds = (live.at - started) / 1000;
    const cpuAfter = cpuSeconds(servicePid, db.name);
    // CPU seconds per 1,000 activities (Postgres: the backends of the service's database; not WAL writer or checkpointer).
    const cpuPer1k = Object.fromEntries(
      Object.keys(cpuAfter).map((k) => [`cpuSecPer1kActivities_${k}`, Math.round((((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)) / ACTIVITIES) * 1000 * 1000) / 1000]),
    );
    const metricsAfterThroughput = await (await fetch(`${baseUrl}/metrics`)).text();

    // 2. Freshness at a steady 1k/s: 100 activities every 100 ms over 50 reps of another tenant.
    const steady = uniqueName('bench-kpi-fresh');
    const steadyReps = 50;
    const sentAt = new Map<string, number[]>(); // per rep: send time of its n-th activity
    const reflected = new Map<string, number>(); // per rep: how many of its activities have a latency
    const latencies: number[] = [];
    stops.push(
      await watchKpis(kafka, prefix + TOPICS.kpi, (key, data, at) => {
        const m = new RegExp(`^${steady}:rep:(rep-\\d+):day:${DAY}$`).exec(key);
        if (!m?.[1]) return;
        const rep = m[1];
        const calls = Number(data.metrics['calls'] ?? 0);
        const times = sentAt.get(rep) ?? [];
        for (let n = reflected.get(rep) ?? 0; n < Math.min(calls, times.length); n += 1) latencies.push(at - (times[n] as number));
        reflected.set(rep, Math.max(reflected.get(rep) ?? 0, Math.min(calls, times.length)));
      }),
    );
    const per = STEADY_RATE / 10;
    let seq = 0;
    for (let tick = 0; tick < STEADY_SECONDS * 10; tick += 1) {
      const tickStart = Date.now();
      const batch: Prepared[] = [];
      for (let j = 0; j < per; j += 1) {
        const rep = `rep-${seq % steadyReps}`;
        const data: Activity = { activityId: `f-${seq}`, kind: 'call_logged', repId: rep, occurredAt: `${DAY}T12:00:00Z`, outcome: 'connected', durationSec: 30 };
        batch.push(prepare(prefix, activityEvent(steady, data, new Date().toISOString())));
        const times = sentAt.get(rep) ?? [];
        times.push(Date.now());
        sentAt.set(rep, times);
        seq += 1;
      }
      await send(producer, batch);
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tickStart))));
    }
    await pollUntil(
      () => latencies.length,
      (n) => n >= seq,
      { timeoutMs: 120_000, intervalMs: 50, what: 'every steady activity to be reflected' },
    );
    latencies.sort((a, b) => a - b);

    // 3. Rebuild of everything above.
    const admin = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] });
    const headers = { authorization: `Bearer ${admin}` };
    if (REBUILD_LIVE !== undefined) await spoilLiveRows(db.url, tenant, REBUILD_LIVE);
    const rebuildCpuBefore = cpuSeconds(servicePid, db.name);
    const rebuildStarted = Date.now();
    const start = await fetch(`${baseUrl}/v1/admin/rebuild`, { method: 'POST', headers });
    if (start.status !== 202) throw new Error(`rebuild answered ${start.status}: ${await start.text()}`);
    const status = (await start.json()) as { targets: { offset: string }[]; phase: string };
    const replayed = status.targets.reduce((s, t) => s + Number(t.offset), 0);
    // Where the rebuild's time goes: each phase from the first poll that saw it to the first that saw
    // the next one (100 ms resolution; a phase shorter than a poll may be folded into its neighbour).
    const phaseMs: Record<string, number> = {};
    let phase = { name: status.phase, since: rebuildStarted };
    const done = await pollUntil(
      async () => {
        const s = (await (await fetch(`${baseUrl}/v1/admin/rebuild`, { headers })).json()) as { rebuilding: boolean; republished: number | null; phase: string };
        const at = Date.now();
        if (s.phase !== phase.name) {
          phaseMs[phase.name] = (phaseMs[phase.name] ?? 0) + (at - phase.since);
          phase = { name: s.phase, since: at };
        }
        return s;
      },
      (s) => !s.rebuilding,
      { timeoutMs: 600_000, intervalMs: 100, what: 'the rebuild to finish' },
    );
    const rebuildSeconds = (Date.now() - rebuildStarted) / 1000;
    const rebuildCpu = cpuSeconds(servicePid, db.name);
    const rebuildCpuPer100k = (who: string): number =>
      Math.round((((rebuildCpu[who] ?? 0) - (rebuildCpuBefore[who] ?? 0)) / replayed) * 100_000 * 100) / 100;

    return {
      kpiActivities: ACTIVITIES,
      backlogActivitiesPerSec: Math.round(ACTIVITIES / backlogSeconds),
      produceActivitiesPerSec: Math.round(ACTIVITIES / ((produced - started) / 1000)),
      topicToSnapshotActivitiesPerSec: Math.round(ACTIVITIES / throughputSeconds),
      freshnessRatePerSec: STEADY_RATE,
      freshnessP50Ms: percentile(latencies, 50),
      freshnessP99Ms: percentile(latencies, 99),
      rebuildEvents: replayed,
      rebuildSeconds: Math.round(rebuildSeconds * 10) / 10,
      rebuildEventsPerSec: Math.round(replayed / rebuildSeconds),
      rebuildRepublished: done.republished ?? -1,
      ...Object.fromEntries(['context', 'activities', 'inbox', 'swap'].map((p) => [`rebuildPhaseMs_${p}`, phaseMs[p] ?? 0])),
      rebuildCpuSecPer100kEvents_service: rebuildCpuPer100k('service'),
      rebuildCpuSecPer100kEvents_postgres: rebuildCpuPer100k('postgres'),
      ...batchFigures(metricsAfterThroughput),
      ...cpuPer1k,
    };
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    if (child) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    await db.drop();
    await deleteTopicNamespace(prefix);
  }
}

if (require.main === module) {
  runStandalone('kpi-aggregation', benchKpiAggregation);
}
