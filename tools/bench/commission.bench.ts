// Commission benchmark (`node -r @swc-node/register tools/bench/commission.bench.ts`):
//  - dealsPerSec: deal_won events produced to the activities topic and credited — facts stored, every
//    touched statement recalculated, ledger lines stored and their deltas in the outbox — per second,
//    from the first send until the consumer has committed the last offset; dealsPerSecPublished also
//    waits until the outbox relay has put every delta on pacer.commissions.v1.
//    nodeCpuMsPerDeal and pgCpuMsPerDeal: CPU of this process and of the service database's Postgres
//    backends per deal over the same span; on a shared machine they move far less than deals/s.
//  - statement read latency (GET) for one rep with 10,000 deals in one period.
//  - late deals (dated before the period's last deal, so the period is computed whole) into an open
//    period, then as many into the same period once it is closed (booked as prior-period
//    adjustments in each rep's open period): deals/s of each, the cost of governance.
//  - the payroll file of a paid period of 10,000 reps: payout (events in the outbox), then
//    GET payout.csv streamed — seconds and the peak RSS of this process while it is served.
// Runs the service in this process against the shared broker and Postgres, on a fresh database and
// topic namespace (startTestService).
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { mintToken } from '@pacer/auth';
import { eventKey, makeEvent, newEventId, PacerEvent, TOPICS } from '@pacer/contracts';
import {
  pollUntil,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  testKafka,
  uniqueName,
} from '@pacer/testing';
import { CommissionService } from '../../apps/commission/src/app.module';
import { cpuSeconds } from './proc';
import { runStandalone } from './standalone';

const DEALS = Number(process.env['BENCH_COMMISSION_DEALS'] ?? 20_000);
const REPS = Number(process.env['BENCH_COMMISSION_REPS'] ?? 100);
const BIG_REP_DEALS = Number(process.env['BENCH_COMMISSION_BIG_REP_DEALS'] ?? 10_000);
const READS = Number(process.env['BENCH_COMMISSION_READS'] ?? 100);
const LATE_DEALS = Number(process.env['BENCH_COMMISSION_LATE_DEALS'] ?? 2_000);
const PAYOUT_REPS = Number(process.env['BENCH_COMMISSION_PAYOUT_REPS'] ?? 10_000);
// BENCH_COMMISSION_ONLY=throughput stops after the first phase (deals/s and CPU per deal), to
// iterate on the consumer's cost without the big-rep, late-deal and payout phases.
const ONLY_THROUGHPUT = process.env['BENCH_COMMISSION_ONLY'] === 'throughput';

const PLAN = {
  name: 'AE bench',
  currency: 'USD',
  period: 'quarter',
  tiers: [
    { from: '0', rate: '0.05' },
    { from: '1.00', rate: '0.08' },
    { from: '1.50', rate: '0.10' },
  ],
  tierMode: 'graduated',
  cap: null,
  spiffs: [{ id: 'club', metric: 'quotaAttainment', threshold: '1.00', amount: '1000.00' }],
  clawbackDays: 90,
  effectiveFrom: '2026-01-01',
};

async function put(svc: RunningService, token: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${svc.baseUrl}${path}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
}

/** `count` deals of the quarter FY2026-Q1 in time order, spread over `reps`. */
function deals(
  tenantId: string,
  count: number,
  repOf: (n: number) => string,
  prefix = 'D',
  offsetMs = 0,
): PacerEvent[] {
  const start = Date.parse('2026-01-01T00:00:00Z') + offsetMs;
  const step = Math.floor((90 * 86_400_000) / (count + 1));
  return Array.from({ length: count }, (_, n) => {
    const occurredAt = new Date(start + (n + 1) * step).toISOString();
    const dealId = `${prefix}${n}`;
    return makeEvent('pacer.activity.deal_won.v1', {
      id: newEventId(),
      tenantId,
      time: occurredAt,
      data: {
        activityId: `won-${repOf(n)}-${dealId}`,
        kind: 'deal_won',
        repId: repOf(n),
        occurredAt,
        dealId: `${repOf(n)}-${dealId}`,
        opportunityId: `opp-${dealId}`,
        amount: `${500 + ((n * 7919) % 20_000)}.${String(n % 100).padStart(2, '0')}`,
        currency: 'USD',
      },
    }) as PacerEvent;
  });
}

async function produceAll(kafka: Kafka, topic: string, events: readonly PacerEvent[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += 1000) {
      await producer.send({
        topic,
        acks: -1,
        messages: events.slice(i, i + 1000).map((e) => ({ key: eventKey(e), value: JSON.stringify(e) })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

async function waitConsumed(
  kafka: Kafka,
  dataSource: DataSource,
  groupId: string,
  topic: string,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  await pollUntil(
    async () => {
      const rows = (await dataSource.query(
        `SELECT topic, partition, next_offset::text AS o FROM consumer_offsets WHERE group_id = $1 AND topic = $2`,
        [groupId, topic],
      )) as { partition: number; o: string }[];
      const stored = new Map(rows.map((r) => [r.partition, BigInt(r.o)]));
      return ends.every((p) => (stored.get(p.partition) ?? 0n) >= BigInt(p.high));
    },
    (done) => done,
    { timeoutMs: 900_000, intervalMs: 50, what: 'consumer at the end of the topic' },
  );
}

async function outboxEmpty(dataSource: DataSource): Promise<void> {
  await pollUntil(
    async () =>
      ((await dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]?.n ?? 0,
    (n) => n === 0,
    { timeoutMs: 900_000, intervalMs: 50, what: 'outbox drained' },
  );
}

/**
 * CPU seconds (user + system) the Postgres backends of this service's database have used so far, by
 * backend pid, read from /proc (Postgres runs on this machine in the bench setup). With the Node
 * CPU it gives a cost per deal that other load on a shared machine moves much less than deals/s.
 */
async function backendCpu(dataSource: DataSource): Promise<Map<number, number>> {
  const rows = (await dataSource.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  )) as { pid: number }[];
  const out = new Map<number, number>();
  for (const { pid } of rows) {
    const seconds = cpuSeconds(pid);
    // Undefined for Postgres elsewhere (another host or container): no figure.
    if (seconds !== undefined) out.set(pid, seconds);
  }
  return out;
}

function cpuSince(before: ReadonlyMap<number, number>, after: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const [pid, seconds] of after) sum += seconds - (before.get(pid) ?? 0);
  return sum;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs both measurements on a fresh service, database and topic namespace. */
export async function benchCommission(): Promise<Record<string, number | string>> {
  const svc = await startTestService(CommissionService, { LOG_LEVEL: 'warn' });
  const kafka = testKafka('pacer-bench-commission');
  try {
    const tenantId = uniqueName('bench');
    const admin = await mintToken({ secret: TEST_JWT_SECRET, tenantId, roles: ['admin'] });
    await put(svc, admin, '/v1/plans/ae', PLAN);
    const reps = Array.from({ length: REPS }, (_, i) => `rep-${i}`);
    for (const rep of [...reps, 'big']) {
      await put(svc, admin, `/v1/reps/${rep}/plan`, { planId: 'ae', effectiveFrom: '2026-01-01' });
      await put(svc, admin, `/v1/reps/${rep}/quotas/FY2026-Q1`, {
        amount: rep === 'big' ? '50000000.00' : '500000.00',
      });
    }
    const topic = svc.topic(TOPICS.activities);

    const throughput = deals(tenantId, DEALS, (n) => reps[n % reps.length] as string);
    let t = performance.now();
    const cpu0 = process.cpuUsage();
    const pgCpu0 = await backendCpu(svc.dataSource);
    await produceAll(kafka, topic, throughput);
    const producedSeconds = (performance.now() - t) / 1000;
    await waitConsumed(kafka, svc.dataSource, svc.groupId, topic);
    const appliedSeconds = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const pgCpu = cpuSince(pgCpu0, await backendCpu(svc.dataSource));
    await outboxEmpty(svc.dataSource);
    const publishedSeconds = (performance.now() - t) / 1000;
    const metrics = await (await fetch(`${svc.baseUrl}/metrics`)).text();
    const batches = Number(/pacer_consumer_batch_size_count\{[^}]*\} (\d+)/.exec(metrics)?.[1] ?? NaN);
    const [ledger] = (await svc.dataSource.query(`SELECT count(*)::int AS n FROM ledger_lines`)) as {
      n: number;
    }[];
    const throughputFigures = {
      machine: `${os.cpus().length} cpus, ${os.cpus()[0]?.model ?? '?'}, node ${process.version}`,
      loadAverage: os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
      deals: DEALS,
      reps: REPS,
      dealsPerSec: Math.round(DEALS / appliedSeconds),
      dealsPerSecPublished: Math.round(DEALS / publishedSeconds),
      produceSeconds: +producedSeconds.toFixed(2),
      applySeconds: +appliedSeconds.toFixed(2),
      // Node CPU of this process (service consumer + outbox relay + the bench's producer) per deal:
      // a figure less sensitive than deals/s to other load on a shared machine. Postgres and Kafka excluded.
      nodeCpuMsPerDeal: +((cpu.user + cpu.system) / 1000 / DEALS).toFixed(3),
      // CPU of the service database's Postgres backends per deal over the same span (0 when /proc
      // does not show them).
      pgCpuMsPerDeal: +((pgCpu * 1000) / DEALS).toFixed(3),
      ledgerLines: ledger?.n ?? 0,
      consumerBatches: batches,
    };
    if (ONLY_THROUGHPUT) return throughputFigures;

    const big = deals(tenantId, BIG_REP_DEALS, () => 'big');
    t = performance.now();
    await produceAll(kafka, topic, big);
    await waitConsumed(kafka, svc.dataSource, svc.groupId, topic);
    const bigSeconds = (performance.now() - t) / 1000;
    await outboxEmpty(svc.dataSource);

    const rep = await mintToken({ secret: TEST_JWT_SECRET, tenantId, roles: ['rep'], repId: 'big' });
    const url = `${svc.baseUrl}/v1/reps/big/statements/FY2026-Q1`;
    const latencies: number[] = [];
    let bytes = 0;
    let lines = 0;
    for (let i = 0; i < READS + 5; i += 1) {
      const started = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${rep}` } });
      const body = await res.text();
      const ms = performance.now() - started;
      if (res.status !== 200) throw new Error(`statement read failed: ${res.status}`);
      if (i === 0) {
        bytes = body.length;
        lines = (JSON.parse(body) as { lines: unknown[] }).lines.length;
      }
      if (i >= 5) latencies.push(ms);
    }
    latencies.sort((a, b) => a - b);

    // Late deals: dated half a step after existing ones, so each period is computed whole.
    const halfStep = Math.floor((90 * 86_400_000) / (DEALS + 1) / 2);
    const lateOpen = deals(tenantId, LATE_DEALS, (n) => reps[n % reps.length] as string, 'LO', halfStep);
    t = performance.now();
    await produceAll(kafka, topic, lateOpen);
    await waitConsumed(kafka, svc.dataSource, svc.groupId, topic);
    const lateOpenSeconds = (performance.now() - t) / 1000;
    await outboxEmpty(svc.dataSource);
    const close = await fetch(`${svc.baseUrl}/v1/periods/FY2026-Q1/close`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
    });
    if (close.status !== 201) throw new Error(`close failed: ${close.status} ${await close.text()}`);
    const lateClosed = deals(
      tenantId,
      LATE_DEALS,
      (n) => reps[n % reps.length] as string,
      'LC',
      halfStep - 1,
    );
    t = performance.now();
    await produceAll(kafka, topic, lateClosed);
    await waitConsumed(kafka, svc.dataSource, svc.groupId, topic);
    const lateClosedSeconds = (performance.now() - t) / 1000;
    await outboxEmpty(svc.dataSource);
    const [booked] = (await svc.dataSource.query(
      `SELECT count(*)::int AS n FROM ledger_lines WHERE closed_period_key = 'FY2026-Q1'`,
    )) as { n: number }[];

    const payout = await benchPayoutFile(svc);

    return {
      ...throughputFigures,
      bigRepDeals: BIG_REP_DEALS,
      bigRepDealsPerSec: Math.round(BIG_REP_DEALS / bigSeconds),
      statementLines: lines,
      statementBytes: bytes,
      statementReadP50Ms: +percentile(latencies, 50).toFixed(1),
      statementReadP99Ms: +percentile(latencies, 99).toFixed(1),
      lateDeals: LATE_DEALS,
      lateDealsOpenPerSec: Math.round(LATE_DEALS / lateOpenSeconds),
      lateDealsClosedPerSec: Math.round(LATE_DEALS / lateClosedSeconds),
      priorPeriodLines: booked?.n ?? 0,
      ...payout,
    };
  } finally {
    await svc.close();
  }
}

/**
 * A paid period of PAYOUT_REPS reps: the statements (approved, one ledger line each) are written
 * straight into the service's tables — building them through plans and deals would time the setup,
 * not the payout — then the period is paid through the API and its payroll file downloaded.
 */
async function benchPayoutFile(svc: RunningService): Promise<Record<string, number>> {
  const tenantId = uniqueName('bench-payout');
  const admin = await mintToken({ secret: TEST_JWT_SECRET, tenantId, roles: ['admin'] });
  await svc.dataSource.query(
    `INSERT INTO statements (tenant_id, rep_id, period_key, window_start, window_end, plan_id, plan_version, currency,
                             total, summary, status, version, approved_version, approved_by, approved_at)
     SELECT $1, 'rep-' || lpad(i::text, 5, '0'), 'FY2026-Q1', '2026-01-01T00:00:00Z', '2026-04-01T00:00:00Z', 'ae', 1,
            'USD', (i % 5000) + 0.25, '{}', 'approved', 1, 1, 'bench', now()
       FROM generate_series(1, $2::int) AS i`,
    [tenantId, PAYOUT_REPS],
  );
  await svc.dataSource.query(
    `INSERT INTO ledger_lines (tenant_id, rep_id, period_key, line_id, base_line_id, base_kind, event_type, deal_id,
                               amount, currency, event_id, line)
     SELECT $1, 'rep-' || lpad(i::text, 5, '0'), 'FY2026-Q1', 'deal:X' || i, 'deal:X' || i, 'deal',
            'pacer.commission.earned.v1', 'X' || i, (i % 5000) + 0.25, 'USD', gen_random_uuid(), '{}'
       FROM generate_series(1, $2::int) AS i`,
    [tenantId, PAYOUT_REPS],
  );
  const headers = { authorization: `Bearer ${admin}` };
  const closed = await fetch(`${svc.baseUrl}/v1/periods/FY2026-Q1/close`, { method: 'POST', headers });
  if (closed.status !== 201) throw new Error(`close failed: ${closed.status}`);
  let t = performance.now();
  const paid = await fetch(`${svc.baseUrl}/v1/periods/FY2026-Q1/payout`, { method: 'POST', headers });
  if (paid.status !== 201) throw new Error(`payout failed: ${paid.status} ${await paid.text()}`);
  const payoutSeconds = (performance.now() - t) / 1000;
  await outboxEmpty(svc.dataSource);
  const payoutPublishedSeconds = (performance.now() - t) / 1000;

  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  t = performance.now();
  const res = await fetch(`${svc.baseUrl}/v1/periods/FY2026-Q1/payout.csv`, { headers });
  if (res.status !== 200 || res.body === null) throw new Error(`payout.csv failed: ${res.status}`);
  let rows = 0;
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (const b of value) if (b === 10) rows += 1;
  }
  const csvSeconds = (performance.now() - t) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (rows !== PAYOUT_REPS + 1) throw new Error(`payout.csv has ${rows} lines, expected ${PAYOUT_REPS + 1}`);
  return {
    payoutReps: PAYOUT_REPS,
    payoutSeconds: +payoutSeconds.toFixed(2),
    payoutPublishedSeconds: +payoutPublishedSeconds.toFixed(2),
    payoutCsvSeconds: +csvSeconds.toFixed(2),
    payoutCsvBytes: bytes,
    payoutCsvRssBeforeMB: Math.round(rssBefore / 1_048_576),
    payoutCsvPeakRssMB: Math.round(peak / 1_048_576),
  };
}

if (require.main === module) {
  runStandalone('commission', benchCommission);
}
