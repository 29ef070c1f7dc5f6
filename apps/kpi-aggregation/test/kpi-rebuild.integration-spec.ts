import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { mintToken } from '@pacer/auth';
import { DLQ_HEADERS, KpiSnapshotData, TOPICS } from '@pacer/contracts';
import {
  pollUntil,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  testBrokers,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { rebuildKpis } from '../src/rebuild';
import { KpiRebuildService, RebuildStatus } from '../src/rebuild/kpi-rebuild.service';
import { SHADOWED_TABLES } from '../src/rebuild/shadow-kpi.store';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { oracleSnapshots } from './support/kpi-oracle';
import { buildScenario, KpiScenario } from './support/kpi-scenario';
import {
  getJson,
  inputProducer,
  latestSnapshots,
  postJson,
  produceEvents,
  token,
} from './support/kpi-service.fixture';

interface SnapshotRow {
  kpi_key: string;
  metrics: KpiSnapshotData['metrics'];
  as_of_ms: string;
  revision: number;
  period_start: string;
  period_end: string;
}

interface Problem {
  type: string;
  errors?: { path: string; message: string }[];
}

/** A POST without any body (no content type either), as `curl -X POST` sends it. */
async function postNoBody<T>(
  baseUrl: string,
  path: string,
  bearer: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}` },
  });
  return { status: res.status, body: (await res.json()) as T };
}

// Tenant A's size; PACER_REBUILD_TEST_ACTIVITIES=30000 measures the figures on a bigger tenant.
const ACTIVITIES = Number(process.env['PACER_REBUILD_TEST_ACTIVITIES'] ?? 3000);

describe('POST /v1/admin/rebuild: one tenant at a time, never stopping the others', () => {
  let svc: RunningService;
  let kpiTopic: TopicRecorder;
  let scenario: KpiScenario;
  let admin: string;
  let operator: string;

  const tenantA = (): string => scenario.tenantId;
  const orgMonth = (tenant: string, month: string): string => `${tenant}:org:${tenant}:month:${month}`;

  const snapshotsOf = async (tenantId: string): Promise<SnapshotRow[]> =>
    (await svc.dataSource.query(
      `SELECT kpi_key, metrics, as_of_ms, revision, period_start, period_end FROM kpi_snapshots WHERE tenant_id = $1 ORDER BY kpi_key`,
      [tenantId],
    )) as SnapshotRow[];
  const recordsOf = (tenantId: string): number =>
    kpiTopic.records.filter((r) => r.value?.toString().includes(`"tenantid":"${tenantId}"`)).length;
  const outboxDrained = (): Promise<number | undefined> =>
    pollUntil(
      async () =>
        ((await svc.dataSource.query(`SELECT count(*)::int AS n FROM outbox`)) as { n: number }[])[0]?.n,
      (n) => n === 0,
      {
        timeoutMs: 20_000,
        what: 'the outbox to drain',
      },
    );
  const finished = (bearer: string, query = ''): Promise<RebuildStatus> =>
    pollUntil(
      async () => (await getJson<RebuildStatus>(svc.baseUrl, `/v1/admin/rebuild${query}`, bearer)).body,
      (s) => !s.rebuilding,
      { timeoutMs: 90_000, intervalMs: 200, what: 'the rebuild to end' },
    );
  const durationOf = (s: RebuildStatus): number =>
    Date.parse(s.completedAt ?? s.failedAt ?? '') - Date.parse(s.startedAt ?? '');

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    kpiTopic = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi)]).start();
    scenario = buildScenario(uniqueName('rebuild-a'), ACTIVITIES, 5);
    const producer = await inputProducer();
    await produceEvents(producer, svc.topicPrefix, [...scenario.activities, ...scenario.setup]);
    await producer.disconnect();
    const expected = oracleSnapshots(scenario.tenantId, [...scenario.setup, ...scenario.activities]);
    await pollUntil(
      () => latestSnapshots(kpiTopic.records, scenario.tenantId),
      (topic) =>
        [...expected].every(
          ([k, want]) =>
            JSON.stringify(topic.get(k)?.metrics) === JSON.stringify(want.metrics) &&
            topic.get(k)?.asOf === want.asOf,
        ),
      { timeoutMs: 60_000, what: 'every snapshot the oracle expects' },
    );
    await outboxDrained();
    admin = await token(scenario.tenantId, ['admin']);
    operator = await mintToken({ secret: TEST_JWT_SECRET, roles: ['operator'], subject: 'ops' });
  });

  afterAll(async () => {
    await kpiTopic?.stop();
    await svc?.close();
  });

  it('takes {} or no body and names any property it is sent; admins rebuild their tenant, operators everything', async () => {
    const bad = await postJson<Problem>(svc.baseUrl, '/v1/admin/rebuild', admin, { tenants: ['other'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.path)).toEqual(['tenants']);
    const badScope = await postJson<Problem>(svc.baseUrl, '/v1/admin/rebuild?scope=everything', admin);
    expect(badScope.status).toBe(400);
    expect(badScope.body.errors?.map((e) => e.path)).toEqual(['scope']);
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', await token(tenantA(), ['bi']))).status).toBe(
      403,
    );
    expect(
      (
        await postJson(
          svc.baseUrl,
          '/v1/admin/rebuild',
          await mintToken({
            secret: TEST_JWT_SECRET,
            tenantId: tenantA(),
            roles: ['display'],
            teamId: 'hunters',
          }),
        )
      ).status,
    ).toBe(403);
    const adminAll = await postJson<Problem>(svc.baseUrl, '/v1/admin/rebuild?scope=all', admin);
    expect([adminAll.status, adminAll.body.type]).toEqual([403, 'urn:pacer:problem:forbidden']);
    const operatorTenant = await postJson<Problem>(svc.baseUrl, '/v1/admin/rebuild', operator);
    expect(operatorTenant.status).toBe(400);
    expect(operatorTenant.body.errors?.map((e) => e.path)).toEqual(['scope']);
    expect((await getJson(svc.baseUrl, '/v1/admin/rebuild', operator)).status).toBe(400);
    expect((await getJson(svc.baseUrl, '/v1/admin/rebuild?scope=all', admin)).status).toBe(403);
    // Nothing was started by any of these.
    expect((await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body).toMatchObject({
      epoch: 0,
      status: 'idle',
      rebuilding: false,
    });
  });

  it("rebuilds tenant A with identical snapshots and nothing republished, while tenant B's KPIs keep flowing", async () => {
    const before = await snapshotsOf(tenantA());
    const recordsBefore = recordsOf(tenantA());
    expect(before.length).toBeGreaterThan(100);

    const started = await postNoBody<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ scope: tenantA(), epoch: 1, status: 'running', rebuilding: true });
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(409);

    // Tenant B starts sending while A rebuilds: its first snapshot must not wait for A.
    const tenantB = uniqueName('rebuild-b');
    const b = new KpiEventBuilder(tenantB, '2026-12-01T00:00:00Z');
    const producer = await inputProducer();
    const sentAt = Date.now();
    await produceEvents(producer, svc.topicPrefix, [
      b.call('bea', '2026-11-30T10:00:00Z', 'connected', { activityId: uniqueName('b-call') }),
    ]);
    await producer.disconnect();
    await pollUntil(
      () => latestSnapshots(kpiTopic.records, tenantB).get(orgMonth(tenantB, '2026-11'))?.metrics.calls,
      (n) => n === 1,
      { timeoutMs: 20_000, intervalMs: 50, what: "tenant B's snapshot" },
    );
    const bLatencyMs = Date.now() - sentAt;
    const aMeanwhile = (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body;
    // B's admin sees only B's (never started) rebuild.
    expect(
      (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', await token(tenantB, ['admin']))).body,
    ).toMatchObject({ scope: tenantB, epoch: 0 });

    const done = await finished(admin);
    process.stdout.write(
      `[rebuild figures] tenant B snapshot ${bLatencyMs} ms after its call while A rebuilt (A then: ${aMeanwhile.status}/${aMeanwhile.phase}); ` +
        `tenant A rebuild (${ACTIVITIES} activities, ${before.length} keys) took ${durationOf(done)} ms\n`,
    );
    expect(aMeanwhile.rebuilding).toBe(true);
    expect(bLatencyMs).toBeLessThan(5_000);
    expect(done).toMatchObject({
      status: 'completed',
      epoch: 1,
      republished: 0,
      remaining: 0,
      parked: 0,
      reason: null,
      swapped: [tenantA()],
    });
    expect(await snapshotsOf(tenantA())).toEqual(before);
    await outboxDrained();
    expect(recordsOf(tenantA())).toBe(recordsBefore);
  });

  it("counts tenant A's records that arrive during its rebuild exactly once", async () => {
    const key = orgMonth(tenantA(), '2026-11');
    const callsBefore = (await snapshotsOf(tenantA())).find((s) => s.kpi_key === key)?.metrics.calls ?? 0;
    const rebuilds = svc.app.get(KpiRebuildService);
    expect((await postJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(202);
    // Paused (its runner stopped), so the call surely arrives while A is rebuilding.
    await rebuilds.onModuleDestroy();
    const more = new KpiEventBuilder(tenantA(), '2026-12-01T00:00:00Z');
    const producer = await inputProducer();
    // CloudEvent ids are deduplicated across tenants: a fresh activity id, not the builder's call-000001.
    const late = more.call('ann', '2026-11-30T10:00:00Z', 'connected', {
      activityId: uniqueName('late-call'),
    });
    // Sent twice: a redelivery must not count twice either.
    await produceEvents(producer, svc.topicPrefix, [late, late]);
    await producer.disconnect();
    // The live tables keep serving A during its own rebuild.
    await pollUntil(
      () => latestSnapshots(kpiTopic.records, tenantA()).get(key)?.metrics.calls,
      (n) => n === callsBefore + 1,
      {
        timeoutMs: 20_000,
        what: "A's call during its rebuild",
      },
    );
    const paused = (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body;
    expect(paused).toMatchObject({ status: 'running', epoch: 2 });
    expect(paused.parked).toBeGreaterThanOrEqual(1);
    rebuilds.onApplicationBootstrap();
    const done = await finished(admin);
    expect(done).toMatchObject({ status: 'completed', epoch: 2, republished: 0, parked: 0 });
    expect((await snapshotsOf(tenantA())).find((s) => s.kpi_key === key)?.metrics.calls).toBe(
      callsBefore + 1,
    );
    const [acc] = (await svc.dataSource.query(
      `SELECT calls FROM kpi_accumulators WHERE tenant_id = $1 AND kpi_key = $2`,
      [tenantA(), key],
    )) as {
      calls: number;
    }[];
    expect(acc?.calls).toBe(callsBefore + 1);
  });

  it('resumes a rebuild whose runner stopped mid-way when the service object starts again', async () => {
    await outboxDrained();
    const before = await snapshotsOf(tenantA());
    const rebuilds = svc.app.get(KpiRebuildService);
    expect((await postJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(202);
    // Stopped while its replay consumer is still joining: nothing is swapped, the state stays in Postgres.
    await rebuilds.onModuleDestroy();
    const stopped = (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body;
    expect(stopped).toMatchObject({ status: 'running', epoch: 3, swapped: [] });
    rebuilds.onApplicationBootstrap();
    const done = await finished(admin);
    expect(done).toMatchObject({ status: 'completed', epoch: 3, republished: 0, attempts: 0 });
    expect(await snapshotsOf(tenantA())).toEqual(before);
  });

  it('rebuilds every tenant for an operator (scope=all) and from the CLI function', async () => {
    await outboxDrained();
    const before = await svc.dataSource.query(
      `SELECT tenant_id, kpi_key, metrics, revision FROM kpi_snapshots ORDER BY 1, 2`,
    );
    // A record nobody can read: the live consumer dead-letters it, and so does the platform-wide replay.
    const dlq = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.dlq)]).start();
    const producer = await inputProducer();
    await producer.send({
      topic: svc.topic(TOPICS.activities),
      messages: [{ key: 'garbage', value: 'not json', headers: { 'x-origin': 'test' } }],
    });
    await producer.disconnect();
    await pollUntil(
      () => dlq.records.filter((r) => r.key === 'garbage').length,
      (n) => n === 1,
      { timeoutMs: 20_000, what: 'the live dead letter' },
    );
    const started = await postJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild?scope=all', operator);
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ scope: '*', status: 'running' });
    // A tenant rebuild cannot start under a platform-wide one.
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(409);
    const done = await finished(operator, '?scope=all');
    expect(done).toMatchObject({ status: 'completed', republished: 0 });
    expect(done.swapped.length).toBeGreaterThanOrEqual(2);
    expect(
      await svc.dataSource.query(
        `SELECT tenant_id, kpi_key, metrics, revision FROM kpi_snapshots ORDER BY 1, 2`,
      ),
    ).toEqual(before);
    const replayed = await pollUntil(
      () =>
        dlq.records.find(
          (r) => r.key === 'garbage' && /-rebuild-all-/.test(r.headers[DLQ_HEADERS.consumerGroup] ?? ''),
        ),
      (r) => r !== undefined,
      { timeoutMs: 20_000, what: "the replay's dead letter" },
    );
    await dlq.stop();
    expect(replayed?.value?.toString()).toBe('not json');
    expect(replayed?.headers).toMatchObject({
      'x-origin': 'test',
      [DLQ_HEADERS.sourceTopic]: svc.topic(TOPICS.activities),
      [DLQ_HEADERS.error]: expect.stringContaining('not JSON'),
    });

    const state = await rebuildKpis({
      env: {
        DATABASE_URL: svc.db.url,
        KAFKA_BROKERS: testBrokers().join(','),
        KAFKA_GROUP_ID: svc.groupId,
        PACER_TOPIC_PREFIX: svc.topicPrefix,
        LOG_LEVEL: 'silent',
      },
      tenant: tenantA(),
      timeoutMs: 60_000,
    });
    expect(state).toMatchObject({ scope: tenantA(), status: 'completed', rebuilding: false, republished: 0 });
    expect(
      await svc.dataSource.query(
        `SELECT tenant_id, kpi_key, metrics, revision FROM kpi_snapshots ORDER BY 1, 2`,
      ),
    ).toEqual(before);
  });

  it('is finished by the service when the process that started it is killed mid-way', async () => {
    await outboxDrained();
    const before = await snapshotsOf(tenantA());
    const { epoch } = (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body;
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', 'apps/kpi-aggregation/src/rebuild.ts', `--tenant=${tenantA()}`],
      {
        cwd: path.resolve(__dirname, '../../..'),
        env: {
          ...process.env,
          DATABASE_URL: svc.db.url,
          KAFKA_BROKERS: testBrokers().join(','),
          KAFKA_GROUP_ID: svc.groupId,
          PACER_TOPIC_PREFIX: svc.topicPrefix,
          LOG_LEVEL: 'silent',
          NODE_ENV: 'test',
        },
        stdio: 'ignore',
      },
    );
    try {
      await pollUntil(
        async () => (await getJson<RebuildStatus>(svc.baseUrl, '/v1/admin/rebuild', admin)).body,
        (s) => s.epoch === epoch + 1 && s.rebuilding,
        { timeoutMs: 30_000, intervalMs: 20, what: 'the CLI process to start the rebuild' },
      );
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
    const done = await finished(admin);
    expect(done).toMatchObject({ epoch: epoch + 1, status: 'completed', republished: 0 });
    expect(await snapshotsOf(tenantA())).toEqual(before);
  });

  it('ends failed with a reason, instead of running forever, when it cannot make progress', async () => {
    // A fault only the replay meets: every shadow fact insert fails.
    await svc.dataSource
      .query(`CREATE FUNCTION kpi_rebuild.injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected fault in the shadow kpi_facts'; END $$`);
    await svc.dataSource.query(
      `CREATE TRIGGER injected_fault BEFORE INSERT ON kpi_rebuild.kpi_facts FOR EACH STATEMENT EXECUTE FUNCTION kpi_rebuild.injected_fault()`,
    );
    try {
      expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(202);
      const done = await finished(admin);
      expect(done).toMatchObject({ status: 'failed', rebuilding: false, attempts: 3 });
      expect(done.reason).toMatch(/injected fault/);
      expect(done.failedAt).not.toBeNull();
    } finally {
      await svc.dataSource.query(`DROP TRIGGER injected_fault ON kpi_rebuild.kpi_facts`);
    }
    // A failed rebuild leaves the live read models as they were, and the next one works.
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(202);
    expect(await finished(admin)).toMatchObject({ status: 'completed', republished: 0 });
  });

  it("dead-letters a record of the tenant it cannot apply, through the live consumer's DLQ path, and completes", async () => {
    await outboxDrained();
    const before = await snapshotsOf(tenantA());
    const dlq = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.dlq)]).start();
    // Contract-valid, but no period can hold it: the live consumer dead-letters it, and so must the replay
    // (folded into the shadow, it would make every swap fail on its snapshot's bounds).
    const farFuture = new KpiEventBuilder(tenantA()).call('rep-0', '9999-12-31T23:59:59Z', 'connected', {
      activityId: uniqueName('far'),
    });
    const producer = await inputProducer();
    await produceEvents(producer, svc.topicPrefix, [farFuture]);
    await producer.disconnect();
    const isFar = (r: { value: Buffer | null }): boolean => r.value?.toString().includes(farFuture.id) ?? false;
    await pollUntil(
      () => dlq.records.filter(isFar).length,
      (n) => n === 1,
      { timeoutMs: 20_000, what: 'the live dead letter' },
    );
    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(202);
    expect(await finished(admin)).toMatchObject({ status: 'completed', republished: 0, attempts: 0 });
    const replayed = await pollUntil(
      () => dlq.records.find((r) => isFar(r) && /-rebuild-tenant-/.test(r.headers[DLQ_HEADERS.consumerGroup] ?? '')),
      (r) => r !== undefined,
      { timeoutMs: 20_000, what: "the replay's dead letter" },
    );
    await dlq.stop();
    expect(replayed?.headers).toMatchObject({
      [DLQ_HEADERS.sourceTopic]: svc.topic(TOPICS.activities),
      [DLQ_HEADERS.error]: expect.stringContaining('beyond the last placeable instant'),
      [DLQ_HEADERS.attempts]: '4',
    });
    expect(await snapshotsOf(tenantA())).toEqual(before);
  });

  it('swaps by difference: live rows the shadow lacks go, changed ones come back, equal ones are not rewritten (a table mostly different is replaced), and only the snapshot that differs is republished', async () => {
    await outboxDrained();
    const tables = SHADOWED_TABLES;
    // An accumulator whose totals are all zero is there or not depending on where the replay's chunks
    // fell (a move in and out of a key within one chunk never creates it); it reads as no row to every
    // snapshot, so the comparison leaves such rows out.
    const labels = new Set(['tenant_id', 'kpi_key', 'scope', 'scope_id', 'period_type', 'period_key', 'as_of_ms']);
    const allZero = (row: Record<string, unknown>): boolean =>
      Object.entries(row).every(([k, v]) => labels.has(k) || v === 0);
    const dump = async (where: string): Promise<Record<string, string[]>> => {
      const out: Record<string, string[]> = {};
      for (const table of tables) {
        const rows = (await svc.dataSource.query(
          `SELECT to_jsonb(t)::text AS row FROM public.${table} t WHERE ${where} ORDER BY 1`,
          [tenantA()],
        )) as { row: string }[];
        out[table] = rows
          .map((r) => r.row)
          .filter((r) => table !== 'kpi_accumulators' || !allZero(JSON.parse(r) as Record<string, unknown>));
      }
      return out;
    };
    const versions = async (): Promise<Map<string, string>> =>
      new Map(
        (
          (await svc.dataSource.query(
            `SELECT activity_id || '|' || rep_id AS id, xmin::text AS v FROM kpi_facts WHERE tenant_id = $1`,
            [tenantA()],
          )) as { id: string; v: string }[]
        ).map((r) => [r.id, r.v]),
      );
    const liveA = await dump('tenant_id = $1');
    const others = await dump('tenant_id <> $1');
    const snapshots = await snapshotsOf(tenantA());
    const recordsBefore = recordsOf(tenantA());
    const [moved, dropped] = (await svc.dataSource.query(
      `SELECT activity_id, rep_id FROM kpi_facts WHERE tenant_id = $1 ORDER BY activity_id, rep_id LIMIT 2`,
      [tenantA()],
    )) as { activity_id: string; rep_id: string }[];
    if (!moved || !dropped) throw new Error('tenant A has no facts');
    const spoiled = snapshots.find((r) => typeof r.metrics.calls === 'number' && r.metrics.calls > 0);
    if (!spoiled) throw new Error('tenant A has no snapshot counting calls');

    // A live store that drifted from the inputs: an indexed column moved, a row lost, a stray row, a
    // total off, and one published snapshot that no longer matches its totals.
    const q = (sql: string, params: unknown[]): Promise<unknown> => svc.dataSource.query(sql, params);
    await q(`UPDATE kpi_facts SET occurred_ms = occurred_ms + 1 WHERE tenant_id = $1 AND activity_id = $2 AND rep_id = $3`, [
      tenantA(),
      moved.activity_id,
      moved.rep_id,
    ]);
    await q(`DELETE FROM kpi_facts WHERE tenant_id = $1 AND activity_id = $2 AND rep_id = $3`, [
      tenantA(),
      dropped.activity_id,
      dropped.rep_id,
    ]);
    await q(
      `INSERT INTO kpi_facts SELECT tenant_id, 'stray-' || activity_id, rep_id, kind, occurred_ms, recorded_ms, voided, void_recorded_ms,
              connected, amount_cents, credit_cents, is_primary, deal_id, opportunity_id, opened_ms, applied
         FROM kpi_facts WHERE tenant_id = $1 AND activity_id = $2 AND rep_id = $3`,
      [tenantA(), moved.activity_id, moved.rep_id],
    );
    await q(`UPDATE kpi_accumulators SET calls = calls + 7 WHERE tenant_id = $1 AND kpi_key = $2`, [tenantA(), spoiled.kpi_key]);
    // Every quota off by a cent: more than a third of a table differs, and it is replaced whole.
    expect(liveA['kpi_quotas']?.length).toBeGreaterThan(0);
    await q(`UPDATE kpi_quotas SET amount_cents = amount_cents + 1 WHERE tenant_id = $1`, [tenantA()]);
    await q(`UPDATE kpi_snapshots SET metrics = jsonb_set(metrics, '{calls}', to_jsonb(0)) WHERE tenant_id = $1 AND kpi_key = $2`, [
      tenantA(),
      spoiled.kpi_key,
    ]);
    const drifted = await versions();

    expect((await postJson(svc.baseUrl, '/v1/admin/rebuild', admin)).status).toBe(202);
    expect(await finished(admin)).toMatchObject({ status: 'completed', republished: 1, attempts: 0 });

    expect(await dump('tenant_id = $1')).toEqual(liveA);
    expect(await dump('tenant_id <> $1')).toEqual(others);
    // Every fact equal on both sides is the very row version it was (not deleted and inserted again).
    const after = await versions();
    const rewritten = [...after].filter(([id, v]) => drifted.get(id) !== v).map(([id]) => id);
    expect(rewritten.sort()).toEqual([`${dropped.activity_id}|${dropped.rep_id}`, `${moved.activity_id}|${moved.rep_id}`].sort());
    const restored = (await snapshotsOf(tenantA())).find((r) => r.kpi_key === spoiled.kpi_key);
    expect(restored?.metrics).toEqual(spoiled.metrics);
    await outboxDrained();
    const republished = await pollUntil(
      () => kpiTopic.records.filter((r) => r.value?.toString().includes(`"tenantid":"${tenantA()}"`)).slice(recordsBefore),
      (rs) => rs.length >= 1,
      { timeoutMs: 20_000, what: 'the republished snapshot on the KPI topic' },
    );
    expect(republished.map((r) => r.key?.toString())).toEqual([spoiled.kpi_key]);
  });
});
