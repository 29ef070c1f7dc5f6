import { DateTime } from 'luxon';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { buildScenario, seedScenario, SeedReport } from '@pacer/api-client';
import { DLQ_HEADERS, TOPICS } from '@pacer/contracts';
import { freePort, pollUntil, TopicRecorder, uniqueName } from '@pacer/testing';
import { SandboxKafka, SandboxPostgres, startSandboxKafka, startSandboxPostgres } from '@pacer/testing/infra';
import { latestSnapshots, ledgerTotals, snapshotMismatches } from '../src/expectations';
import { PacerSystem } from '../src/pacer-system';
import { referenceCommissions, referenceKpis } from '../src/reference';

// `npm run chaos`: at least 50k activities flow while every service is SIGKILLed several times, the
// broker is restarted once and Postgres once (its own sandbox broker and cluster, never the shared
// ones). Afterwards the KPI snapshots and commission totals must equal the reference exactly, and the
// DLQ must hold the one poison record the test planted, and nothing else.
const ACTIVITIES = Number(process.env['CHAOS_ACTIVITIES'] ?? 50_000);

jest.setTimeout(45 * 60_000);

describe('chaos', () => {
  let kafka: SandboxKafka;
  let postgres: SandboxPostgres;
  let system: PacerSystem;

  beforeAll(async () => {
    postgres = await startSandboxPostgres({ port: await freePort() });
    kafka = await startSandboxKafka({ port: await freePort(), controllerPort: await freePort() });
    system = await PacerSystem.start({
      brokers: kafka.brokers,
      databaseServerUrl: postgres.serverUrl,
      env: { LOG_LEVEL: 'warn', PACER_TOPIC_PARTITIONS: '6' },
    });
    for (const p of Object.values(system.processes)) p.supervise = true;
  });

  afterAll(async () => {
    // The sandbox broker and cluster are thrown away whole.
    await system?.stop({ dropTopics: false, dropDatabases: false });
    await kafka?.stop();
    await postgres?.stop();
  });

  it('loses nothing and counts nothing twice through kills and restarts', async () => {
    const scenario = buildScenario({ tenantId: uniqueName('chaos'), now: DateTime.now(), activityCount: ACTIVITIES });
    const client = (await system.client(scenario.tenantId)).withRetries(300_000);
    const brokerClient = new Kafka({ clientId: 'chaos', brokers: kafka.brokers, logLevel: logLevel.NOTHING });

    // The poison message: not a CloudEvent at all. Every consumer of the topic must dead-letter it and go on.
    const producer = brokerClient.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    await producer.send({ topic: system.topic(TOPICS.activities), messages: [{ key: `${scenario.tenantId}:poison`, value: 'this is not a CloudEvent' }] });
    await producer.disconnect();

    let seeded: SeedReport | undefined;
    // Paced so that activities keep arriving through the whole chaos schedule (about two minutes).
    const pauseMs = Number(process.env['CHAOS_PAUSE_MS'] ?? Math.max(0, Math.round(110_000 / (ACTIVITIES / 250)) - 150));
    const seeding = seedScenario(client, scenario, { batchSize: 250, pauseMsBetweenBatches: pauseMs }).then((r) => (seeded = r));
    const chaos: string[] = [];
    const p = system.processes;
    // Kills do not wait for the victim to be ready again: several services may be down at once.
    const kill9 = (s: keyof typeof p) => () => p[s].restart('SIGKILL', { wait: false });
    const schedule: [string, () => Promise<void>][] = [
      ['kill -9 activity-ingestion', kill9('activity-ingestion')],
      ['kill -9 kpi-aggregation', kill9('kpi-aggregation')],
      ['kill -9 commission', kill9('commission')],
      ['kill -9 sprint-planning', kill9('sprint-planning')],
      ['restart the Kafka broker', () => kafka.restart()],
      ['kill -9 kpi-aggregation', kill9('kpi-aggregation')],
      ['kill -9 activity-ingestion', kill9('activity-ingestion')],
      ['restart PostgreSQL (immediate shutdown)', () => postgres.restart()],
      ['kill -9 commission', kill9('commission')],
      ['kill -9 sprint-planning', kill9('sprint-planning')],
      ['kill -9 kpi-aggregation', kill9('kpi-aggregation')],
      ['kill -9 commission', kill9('commission')],
      ['kill -9 activity-ingestion', kill9('activity-ingestion')],
      ['kill -9 sprint-planning', kill9('sprint-planning')],
    ];
    for (const [what, act] of schedule) {
      await new Promise((r) => setTimeout(r, 8_000));
      const started = Date.now();
      await act();
      chaos.push(`${what} (${Date.now() - started} ms, seeding ${seeded ? 'done' : 'in flight'})`);
    }
    await seeding;
    await Promise.all(Object.values(p).map((s) => s.waitReady()));
    process.stdout.write(`chaos events:\n  ${chaos.join('\n  ')}\n`);

    const expectedKpis = referenceKpis(scenario, seeded!.sprints);
    const kpiTopic = await new TopicRecorder(brokerClient, [system.topic(TOPICS.kpi)]).start();
    const ledgerTopic = await new TopicRecorder(brokerClient, [system.topic(TOPICS.commissions)]).start();
    const dlqTopic = await new TopicRecorder(brokerClient, [system.topic(TOPICS.dlq)]).start();
    try {
      const mismatches = await pollUntil(
        async () => snapshotMismatches(expectedKpis, latestSnapshots(kpiTopic.records, scenario.tenantId)),
        (m) => m.length === 0,
        { timeoutMs: 600_000, intervalMs: 2_000, what: 'KPI snapshots equal to the reference after chaos' },
      ).catch(() => snapshotMismatches(expectedKpis, latestSnapshots(kpiTopic.records, scenario.tenantId)));
      expect(mismatches).toEqual([]);

      const expectedCommissions = referenceCommissions(scenario);
      const sums = await pollUntil(
        async () => ledgerTotals(ledgerTopic.records, scenario.tenantId),
        (s) => [...expectedCommissions].every(([k, v]) => s.get(k) === v),
        { timeoutMs: 300_000, intervalMs: 2_000, what: 'commission ledger equal to the reference after chaos' },
      ).catch(() => ledgerTotals(ledgerTopic.records, scenario.tenantId));
      for (const [key, total] of expectedCommissions) {
        expect({ key, ledger: sums.get(key) }).toEqual({ key, ledger: total });
        const [repId, periodKey] = key.split('|') as [string, string];
        const statement = await client.statement<{ total: string }>(repId, periodKey);
        expect({ key, statement: statement.body.total }).toEqual({ key, statement: total });
      }

      // Only the planted poison is in the DLQ: once per consumer group that reads activities.
      await pollUntil(async () => dlqTopic.records.length, (n) => n >= 2, { timeoutMs: 60_000, what: 'the poison record in the DLQ' });
      for (const r of dlqTopic.records) {
        expect(r.value?.toString()).toBe('this is not a CloudEvent');
        expect(r.headers[DLQ_HEADERS.sourceTopic]).toBe(system.topic(TOPICS.activities));
      }
      expect(new Set(dlqTopic.records.map((r) => r.headers[DLQ_HEADERS.consumerGroup])).size).toBe(dlqTopic.records.length);

      // Nothing stuck: every outbox is empty once the system has settled.
      for (const service of Object.keys(p) as (keyof typeof p)[]) {
        const [row] = await system.query<{ n: string }>(service, 'SELECT count(*)::text AS n FROM outbox');
        expect({ service, outbox: row?.n }).toEqual({ service, outbox: '0' });
      }
    } finally {
      await Promise.all([kpiTopic.stop(), ledgerTopic.stop(), dlqTopic.stop()]);
    }
    const crashes = Object.values(p).map((s) => `${s.service}: ${s.restarts} kills, ${s.crashes} crashes`);
    process.stdout.write(`chaos outcome: ${crashes.join('; ')}\n`);
  });
});
