import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Client } from 'pg';
import { KpiSnapshotData, TOPICS } from '@pacer/contracts';
import {
  createTestDatabase,
  createTopicNamespace,
  deleteTopicNamespace,
  freePort,
  pollUntil,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  testBrokers,
  TestDatabase,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { oracleSnapshots } from './support/kpi-oracle';
import { buildScenario } from './support/kpi-scenario';
import { inputProducer, latestSnapshots, produceEvents } from './support/kpi-service.fixture';

const ROOT = path.resolve(__dirname, '../../..');


async function storedOffset(url: string, groupId: string, topic: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string | null }>(
      `SELECT sum(next_offset) AS n FROM consumer_offsets WHERE group_id = $1 AND topic = $2`,
      [groupId, topic],
    );
    return Number(rows[0]?.n ?? 0);
  } catch {
    return 0; // not migrated yet
  } finally {
    await client.end();
  }
}

describe('a consumer killed mid-stream', () => {
  let prefix: string;
  let db: TestDatabase;
  let child: ChildProcess | undefined;
  let svc: RunningService | undefined;
  let recorder: TopicRecorder | undefined;

  beforeAll(async () => {
    prefix = await createTopicNamespace('kpi-crash');
    db = await createTestDatabase('kpi_crash', []);
    await db.dataSource.destroy();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await recorder?.stop();
    await svc?.close();
    await db?.drop();
    if (prefix) await deleteTopicNamespace(prefix);
  });

  it('restarts on the same database and topics without counting anything twice', async () => {
    const scenario = buildScenario(uniqueName('crash'), 20_000, 11);
    const producer = await inputProducer();
    await produceEvents(producer, prefix, [...scenario.setup, ...scenario.activities]);
    await producer.disconnect();
    const activitiesTopic = prefix + TOPICS.activities;
    const total = scenario.activities.length;
    const groupId = uniqueName('kpi-crash');
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_GROUP_ID: groupId,
      PACER_TOPIC_PREFIX: prefix,
      PACER_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    };

    // The service as its own process, killed without warning once it is part-way through the stream.
    child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/kpi-aggregation/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(await freePort()) },
      stdio: 'ignore',
    });
    const before = await pollUntil(
      () => storedOffset(db.url, groupId, activitiesTopic),
      (n) => n > total * 0.15,
      { timeoutMs: 40_000, intervalMs: 20, what: 'the first process to be part-way through' },
    );
    child.kill('SIGKILL');
    await once(child, 'exit');
    child = undefined;
    const atKill = await storedOffset(db.url, groupId, activitiesTopic);
    expect(atKill).toBeGreaterThanOrEqual(before);
    expect(atKill).toBeLessThan(total);

    // The same database, group and topics in a new process; its relay publishes what the dead one left in the outbox.
    svc = await startTestService(KpiAggregationService, { DATABASE_URL: db.url, PACER_TOPIC_PREFIX: prefix, KAFKA_GROUP_ID: groupId });
    recorder = await new TopicRecorder(testKafka(), [prefix + TOPICS.kpi]).start();
    const expected = oracleSnapshots(scenario.tenantId, [...scenario.setup, ...scenario.activities]);
    const differing = (topic: Map<string, KpiSnapshotData>): string[] =>
      [...expected].filter(([k, want]) => JSON.stringify(topic.get(k)?.metrics) !== JSON.stringify(want.metrics) || topic.get(k)?.asOf !== want.asOf).map(([k]) => k);
    const diffs = await pollUntil(
      () => differing(latestSnapshots(recorder?.records ?? [], scenario.tenantId)),
      (d) => d.length === 0,
      { timeoutMs: 75_000, intervalMs: 500, what: 'the KPI topic to match the oracle after the restart' },
    ).catch(() => differing(latestSnapshots(recorder?.records ?? [], scenario.tenantId)));
    expect(diffs.slice(0, 5)).toEqual([]);
    const org = latestSnapshots(recorder.records, scenario.tenantId).get(`${scenario.tenantId}:org:${scenario.tenantId}:month:2026-11`);
    expect(org?.metrics).toEqual(expected.get(`${scenario.tenantId}:org:${scenario.tenantId}:month:2026-11`)?.metrics);
  }, 150_000);
});
