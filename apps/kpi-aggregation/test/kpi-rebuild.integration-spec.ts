import { TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, testBrokers, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { rebuildKpis } from '../src/rebuild';
import { RebuildStatus } from '../src/rebuild/kpi-rebuild.service';
import { oracleSnapshots } from './support/kpi-oracle';
import { buildScenario } from './support/kpi-scenario';
import { getJson, inputProducer, latestSnapshots, postJson, produceEvents, token } from './support/kpi-service.fixture';

interface SnapshotRow {
  kpi_key: string;
  metrics: unknown;
  as_of_ms: string;
  revision: number;
  period_start: string;
  period_end: string;
}

describe('POST /v1/admin/rebuild', () => {
  let svc: RunningService;
  let kpiTopic: TopicRecorder;

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    kpiTopic = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi)]).start();
  });

  afterAll(async () => {
    await kpiTopic?.stop();
    await svc?.close();
  });

  const snapshots = async (): Promise<SnapshotRow[]> =>
    (await svc.dataSource.query(
      `SELECT kpi_key, metrics, as_of_ms, revision, period_start, period_end FROM kpi_snapshots ORDER BY kpi_key`,
    )) as SnapshotRow[];

  it('replays the topics into empty read models and ends with identical snapshots, publishing nothing new', async () => {
    const scenario = buildScenario(uniqueName('rebuild'), 3000, 5);
    const producer = await inputProducer();
    await produceEvents(producer, svc.topicPrefix, [...scenario.activities, ...scenario.setup]);
    await producer.disconnect();
    const expected = oracleSnapshots(scenario.tenantId, [...scenario.setup, ...scenario.activities]);
    const orgKey = `${scenario.tenantId}:org:${scenario.tenantId}:month:2026-11`;
    await pollUntil(
      () => latestSnapshots(kpiTopic.records, scenario.tenantId),
      (topic) => [...expected].every(([k, want]) => JSON.stringify(topic.get(k)?.metrics) === JSON.stringify(want.metrics) && topic.get(k)?.asOf === want.asOf),
      { timeoutMs: 30_000, what: 'every snapshot the oracle expects' },
    );
    // Let the relay publish everything committed before taking the picture.
    await pollUntil(async () => ((await svc.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]?.n, (n) => n === 0);
    const before = await snapshots();
    const facts = ((await svc.dataSource.query(`SELECT count(*)::int AS n FROM kpi_facts`)) as { n: number }[])[0]?.n;
    const recordsBefore = kpiTopic.records.length;

    const admin = await token(scenario.tenantId, ['admin']);
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', await token(scenario.tenantId, ['bi']))).status).toBe(403);
    const started = await postJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ rebuilding: true, epoch: 1 });
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(409);

    const done = await pollUntil(
      async () => (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body,
      (s) => !s.rebuilding,
      { timeoutMs: 40_000, intervalMs: 200, what: 'the rebuild to finish' },
    );
    expect(done).toMatchObject({ epoch: 1, republished: 0, remaining: 0 });
    expect(await snapshots()).toEqual(before);
    expect(((await svc.dataSource.query(`SELECT count(*)::int AS n FROM kpi_facts`)) as { n: number }[])[0]?.n).toBe(facts);
    expect(kpiTopic.records.length).toBe(recordsBefore);

    // After the rebuild the service carries on as before.
    const b = await inputProducer();
    const { KpiEventBuilder } = await import('./support/kpi-event.builder');
    const more = new KpiEventBuilder(scenario.tenantId, '2026-12-01T00:00:00Z');
    await produceEvents(b, svc.topicPrefix, [more.call('ann', '2026-11-30T10:00:00Z')]);
    await b.disconnect();
    const wantCalls = (expected.get(orgKey)?.metrics.calls ?? 0) + 1;
    await pollUntil(
      () => latestSnapshots(kpiTopic.records, scenario.tenantId).get(orgKey)?.metrics.calls,
      (n) => n === wantCalls,
      { timeoutMs: 20_000, what: 'a call after the rebuild' },
    );
  });

  it('is also what the CLI function does, while the service keeps consuming', async () => {
    await pollUntil(async () => ((await svc.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]?.n, (n) => n === 0);
    const before = await snapshots();
    expect(before.length).toBeGreaterThan(0);
    const state = await rebuildKpis({
      env: {
        DATABASE_URL: svc.db.url,
        KAFKA_BROKERS: testBrokers().join(','),
        KAFKA_GROUP_ID: svc.groupId,
        PACER_TOPIC_PREFIX: svc.topicPrefix,
        LOG_LEVEL: 'silent',
      },
      timeoutMs: 40_000,
    });
    expect(state).toMatchObject({ epoch: 2, rebuilding: false, republished: 0 });
    expect(await snapshots()).toEqual(before);
    expect(((await svc.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]?.n).toBe(0);
  });
});
