import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { mintToken } from '@pacer/auth';
import { ServiceName } from '@pacer/config';
import { TOPICS } from '@pacer/contracts';
import { freePort, pollUntil, TopicRecorder, uniqueName } from '@pacer/testing';
import {
  databaseUrlFor,
  ensureDatabase,
  ensureTopics,
  KafkaCluster,
  SandboxPostgres,
  startSandboxPostgres,
} from '@pacer/testing/infra';
import { metricSum, occurrences, resumedAfter, Sample } from '../src/broker-failover';
import { ServiceProcess } from '../src/service-process';

// `npm run chaos`: a steady load of activities goes in through activity-ingestion's API while one of
// three Kafka brokers is killed with -9 (and started again later). The activities travel API →
// event store + outbox → relay (idempotent producer, acks=all) → pacer.activities.v1 (RF 3,
// min.insync.replicas 2) → kpi-aggregation's BatchConsumer → its read model. Afterwards every
// accepted activity is on the topic exactly once and counted exactly once, and neither service was
// restarted. FAILOVER_LOAD_SECONDS / FAILOVER_RATE / FAILOVER_KILLS make it a long soak
// (docs/infrastructure.md).
const LOAD_SECONDS = Number(process.env['FAILOVER_LOAD_SECONDS'] ?? 90);
const RATE = Number(process.env['FAILOVER_RATE'] ?? 100); // activities per second
const KILLS = Number(process.env['FAILOVER_KILLS'] ?? 1);
const BATCH = 10;
// Each kill gets an equal slot of the load: killed a quarter in (at most 20 s), started again at two thirds.
const SLOT_MS = (LOAD_SECONDS * 1000) / KILLS;
const KILL_IN_SLOT_MS = Math.min(20_000, SLOT_MS / 4);
const RESTART_IN_SLOT_MS = (SLOT_MS * 2) / 3;

interface Kill {
  victim: number;
  controller: number | null;
  /** Coordinator of kpi-aggregation's consumer group. */
  coordinator: number;
  led: number;
  partitions: number;
  killedAt: number;
  sentBeforeKill: number;
  restartAt: number;
  rejoinedMs: number;
  inSyncMs: number | undefined;
}
const JWT_SECRET = 'pacer-broker-failover-secret';
const SERVICES: ServiceName[] = ['activity-ingestion', 'kpi-aggregation'];

jest.setTimeout(20 * 60_000 + LOAD_SECONDS * 1000);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Java's String.hashCode, which Kafka uses to place a group on a __consumer_offsets partition. */
function javaHash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

describe('broker failover', () => {
  let home: string;
  let cluster: KafkaCluster;
  let postgres: SandboxPostgres;
  const processes = new Map<ServiceName, ServiceProcess>();
  const databases = new Map<ServiceName, string>();
  const run = uniqueName('failover').replace(/-/g, '_');
  const prefix = `${run}.`;

  beforeAll(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'pacer-failover-kafka-'));
    const ports = async (): Promise<number[]> => [await freePort(), await freePort(), await freePort()];
    cluster = new KafkaCluster({ size: 3, home, brokerPorts: await ports(), controllerPorts: await ports() });
    postgres = await startSandboxPostgres({ port: await freePort() });
    await cluster.start();
    await ensureTopics(cluster.brokers, { prefix, partitions: 6, log: () => undefined });
    const logDir = path.resolve(__dirname, '../../../tmp/system-e2e', run);
    mkdirSync(logDir, { recursive: true });
    for (const service of SERVICES) {
      const db = `${run}_${service.replace(/-/g, '_')}`;
      await ensureDatabase(postgres.serverUrl, db);
      databases.set(service, databaseUrlFor(postgres.serverUrl, db));
      const env: NodeJS.ProcessEnv = {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrlFor(postgres.serverUrl, db),
        KAFKA_BROKERS: cluster.brokers.join(','),
        PACER_TOPIC_PREFIX: prefix,
        PACER_JWT_SECRET: JWT_SECRET,
        LOG_LEVEL: process.env['SYSTEM_LOG_LEVEL'] ?? 'warn',
        KAFKA_GROUP_ID: `${run}-${service}`,
      };
      const p = new ServiceProcess(service, await freePort(), env, path.join(logDir, `${service}.log`));
      processes.set(service, p);
      p.start();
    }
    await Promise.all([...processes.values()].map((p) => p.waitReady()));
  });

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.stop()));
    await cluster?.stop();
    await postgres?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('loses and duplicates nothing when a broker is killed under load, and recovers without restarts', async () => {
    const tenantId = uniqueName('failover');
    const token = await mintToken({ secret: JWT_SECRET, tenantId, roles: ['admin'], subject: 'failover', expiresIn: '2h' });
    const ingestion = processes.get('activity-ingestion')!;
    const kpi = processes.get('kpi-aggregation')!;
    const activitiesTopic = prefix + TOPICS.activities;
    const group = `${run}-kpi-aggregation`;

    // Counters of the real services, sampled from their /metrics while the load runs.
    const published: Sample[] = [];
    const applied: Sample[] = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const at = Date.now();
        const [a, b] = await Promise.all([
          fetch(`${ingestion.baseUrl}/metrics`).then((r) => r.text()).catch(() => undefined),
          fetch(`${kpi.baseUrl}/metrics`).then((r) => r.text()).catch(() => undefined),
        ]);
        if (a) published.push({ at, value: metricSum(a, 'pacer_outbox_published_total', { topic: TOPICS.activities }) });
        if (b) applied.push({ at, value: metricSum(b, 'pacer_consumer_messages_total', { group, topic: activitiesTopic }) });
        await sleep(200);
      }
    })();

    // The load: batches of 10 call activities at RATE per second, each batch retried until the API
    // accepted it (the API is idempotent on activityId, so a retry can never double anything).
    const accepted = new Set<string>();
    let apiErrors = 0;
    const started = Date.now();
    const loadEnd = started + LOAD_SECONDS * 1000;
    const day = DateTime.utc().startOf('hour');
    let n = 0;
    const load = (async () => {
      while (Date.now() < loadEnd) {
        const due = started + (n / RATE) * 1000;
        if (due > Date.now()) await sleep(due - Date.now());
        const batch = Array.from({ length: BATCH }, (_, i) => ({
          activityId: `a-${n + i}`,
          kind: 'call_logged',
          repId: `rep-${(n + i) % 5}`,
          occurredAt: day.plus({ seconds: (n + i) % 3000 }).toISO({ suppressMilliseconds: true }),
          outcome: 'connected',
          durationSec: 60,
        }));
        n += BATCH;
        for (;;) {
          const res = await fetch(`${ingestion.baseUrl}/v1/activities:batch`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify(batch),
          }).catch(() => undefined);
          if (res?.status === 202) {
            const body = (await res.json()) as { accepted: number; duplicates: number };
            expect(body.accepted + body.duplicates).toBe(BATCH);
            for (const a of batch) accepted.add(a.activityId);
            break;
          }
          apiErrors += 1;
          await sleep(200);
        }
      }
    })();

    // The first victim: the broker leading partition 0 of the activities topic (and whatever else
    // it leads or coordinates); later ones in turn. kill -9: no controlled shutdown, no hand-over.
    const brokerClient = new Kafka({ clientId: 'failover-test', brokers: cluster.brokers, logLevel: logLevel.NOTHING });
    const kills: Kill[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(Math.max(0, started + k * SLOT_MS + KILL_IN_SLOT_MS - Date.now()));
      const admin = brokerClient.admin();
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: [activitiesTopic] });
      const { controller } = await admin.describeCluster();
      // The coordinator of kpi-aggregation's group leads partition abs(hash(group)) % 50 of
      // __consumer_offsets: killing it makes the consumer find a new coordinator and rejoin, the
      // hardest case for a consumer (a partition leader alone only moves its fetches).
      const offsets = (await admin.fetchTopicMetadata({ topics: ['__consumer_offsets'] })).topics[0]!.partitions;
      const coordinator = offsets.find((p) => p.partitionId === (javaHash(group) & 0x7fffffff) % offsets.length)!.leader;
      await admin.disconnect();
      const partitions = meta.topics[0]!.partitions;
      const first = process.env['FAILOVER_VICTIM'] === 'leader' ? partitions.find((p) => p.partitionId === 0)!.leader : coordinator;
      const victim = k === 0 ? first : ((kills[0]!.victim - 1 + k) % cluster.nodes.length) + 1;
      const killedAt = Date.now();
      await cluster.kill(victim, 'SIGKILL');
      const sentBeforeKill = n;
      await sleep(Math.max(0, started + k * SLOT_MS + RESTART_IN_SLOT_MS - Date.now()));
      const restartAt = Date.now();
      await cluster.startNode(victim);
      const rejoinedMs = Date.now() - restartAt;
      // The next kill must not find this broker still catching up: that would be two down at once.
      const inSync = await pollUntil(() => cluster.fullyReplicated([activitiesTopic]), (ok) => ok, { timeoutMs: 120_000, intervalMs: 500 }).catch(() => false);
      const led = partitions.filter((p) => p.leader === victim).length;
      kills.push({ victim, controller, coordinator, led, partitions: partitions.length, killedAt, sentBeforeKill, restartAt, rejoinedMs, inSyncMs: inSync ? Date.now() - restartAt : undefined });
    }

    await load;
    sampling = false;
    await sampler;
    const sent = n;

    // Effect: every accepted call counted exactly once by the consumer's read model. A lost record
    // keeps the sum low for ever; a record applied twice pushes it above `sent`.
    const kpiDb = new Client({ connectionString: databases.get('kpi-aggregation') });
    await kpiDb.connect();
    const countedCalls = async (): Promise<number> => {
      const { rows } = await kpiDb.query<{ calls: string | null }>(
        `SELECT sum(calls)::text AS calls FROM kpi_accumulators WHERE tenant_id = $1 AND scope = 'rep' AND period_type = 'day'`,
        [tenantId],
      );
      return Number(rows[0]?.calls ?? 0);
    };
    let counted: number;
    try {
      counted = await pollUntil(countedCalls, (c) => c >= sent, { timeoutMs: 180_000, intervalMs: 500, what: `${sent} calls counted` }).catch(() => countedCalls());
      // A duplicate applied late would still raise the count: look again once the topic is read.
      await sleep(3_000);
      counted = await countedCalls();
    } finally {
      await kpiDb.end();
    }

    // Wire: every accepted activity on the topic exactly once (the relay's producer is idempotent).
    const recorder = await new TopicRecorder(brokerClient, [activitiesTopic]).start();
    const onTopic = (): string[] =>
      recorder
        .json<{ tenantid?: string; data?: { activityId?: string } }>()
        .filter((e) => e.tenantid === tenantId)
        .map((e) => e.data?.activityId ?? '');
    let wire: { distinct: number; duplicated: number };
    try {
      await pollUntil(async () => occurrences(onTopic()).distinct, (d) => d >= accepted.size, {
        timeoutMs: 120_000,
        intervalMs: 500,
        what: 'every accepted activity on the topic',
      }).catch(() => undefined);
      wire = occurrences(onTopic());
    } finally {
      await recorder.stop();
    }
    const fullyReplicated = await pollUntil(() => cluster.fullyReplicated([activitiesTopic]), (ok) => ok, {
      timeoutMs: 120_000,
      intervalMs: 1_000,
      what: 'the restarted broker back in every ISR',
    }).catch(() => false);

    const s1 = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
    // Looked for up to the next kill (or the end of the load), so a recovery that only came with the
    // broker's return is reported as such rather than as "never".
    const recoveries = kills.map((kill, i) => {
      const until = kills[i + 1]?.killedAt ?? loadEnd;
      return { kill, producing: resumedAfter(published, kill.killedAt, until), consuming: resumedAfter(applied, kill.killedAt, until) };
    });
    process.stdout.write(
      [
        'broker failover report:',
        `  load: ${sent} activities sent in ${LOAD_SECONDS} s (${Math.round(sent / LOAD_SECONDS)}/s of ${RATE}/s asked, batches of ${BATCH}), ${accepted.size} accepted, ${apiErrors} API retries`,
        ...recoveries.flatMap(({ kill, producing, consuming }) => {
          const after = (at: number | undefined): string =>
            at === undefined ? 'never' : `${s1(at - kill.killedAt)}${at > kill.restartAt ? ' (only once the broker was back)' : ''}`;
          return [
            `  killed broker ${kill.victim} (kill -9) at +${s1(kill.killedAt - started)} after ${kill.sentBeforeKill} activities; it led ${kill.led}/${kill.partitions} activity partitions; group coordinator was ${kill.coordinator}, active controller ${kill.controller}`,
            `    producers (outbox relay) publishing again ${after(producing.at)} after the kill (stood still ${s1(producing.standstillMs)})`,
            `    consumers (kpi-aggregation) applying again ${after(consuming.at)} after the kill (stood still ${s1(consuming.standstillMs)})`,
            `    broker ${kill.victim} restarted at +${s1(kill.restartAt - started)}, registered again in ${s1(kill.rejoinedMs)}, all its replicas in sync ${kill.inSyncMs === undefined ? 'not within 120 s' : `after ${s1(kill.inSyncMs)}`}`,
          ];
        }),
        `  all replicas in sync at the end: ${fullyReplicated}`,
        `  lost ${sent - wire.distinct} on the topic / ${Math.max(0, sent - counted)} in the read model; duplicated ${wire.duplicated} on the topic / ${Math.max(0, counted - sent)} in the read model`,
        `  service restarts: ${[...processes.values()].map((p) => `${p.service} ${p.crashes}`).join(', ')}`,
        '',
      ].join('\n'),
    );

    expect(accepted.size).toBe(sent);
    expect({ lostOnTopic: sent - wire.distinct, duplicatedOnTopic: wire.duplicated }).toEqual({ lostOnTopic: 0, duplicatedOnTopic: 0 });
    expect({ counted }).toEqual({ counted: sent });
    // Both moved again while the broker was still down: the surviving two took over its partitions.
    const whileDown = (at: number | undefined, kill: Kill): boolean => at !== undefined && at < kill.restartAt;
    for (const { kill, producing, consuming } of recoveries) {
      expect({ victim: kill.victim, producing: whileDown(producing.at, kill), consuming: whileDown(consuming.at, kill) }).toEqual({ victim: kill.victim, producing: true, consuming: true });
    }
    expect(fullyReplicated).toBe(true);
    // Nobody restarted the services: they rode out the leader changes themselves and stay ready.
    for (const p of processes.values()) {
      expect({ service: p.service, crashes: p.crashes, restarts: p.restarts }).toEqual({ service: p.service, crashes: 0, restarts: 0 });
      const ready = await fetch(`${p.baseUrl}/health/ready`);
      expect({ service: p.service, ready: ready.status }).toEqual({ service: p.service, ready: 200 });
      const consumers = await fetch(`${p.baseUrl}/health/consumers`);
      expect({ service: p.service, consumers: consumers.status }).toEqual({ service: p.service, consumers: 200 });
    }
    const outbox = new Client({ connectionString: databases.get('activity-ingestion') });
    await outbox.connect();
    try {
      const { rows } = await outbox.query<{ n: string }>('SELECT count(*)::text AS n FROM outbox');
      expect(rows[0]?.n).toBe('0');
    } finally {
      await outbox.end();
    }
  });
});
