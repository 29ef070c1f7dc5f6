import { DateTime } from 'luxon';
import { buildScenario, PacerClient, Scenario, SeedReport, seedScenario } from '@pacer/api-client';
import { TOPICS } from '@pacer/contracts';
import { pollUntil, testBrokers, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { latestSnapshots, ledgerTotals, snapshotMismatches } from '../src/expectations';
import { PacerSystem } from '../src/pacer-system';
import { referenceCommissions, referenceKpis, ReferenceSnapshot, snapshotKey } from '../src/reference';

// The four services as separate processes, driven only through their public APIs and topics, and
// checked against a reference computed here from the same input.
describe('the whole system', () => {
  let system: PacerSystem;
  let kpiTopic: TopicRecorder;
  let ledgerTopic: TopicRecorder;
  let dlqTopic: TopicRecorder;
  let scenario: Scenario;
  let seeded: SeedReport;
  let admin: PacerClient;
  let expectedKpis: Map<string, ReferenceSnapshot>;

  beforeAll(async () => {
    const serverUrl = process.env['PACER_TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
    system = await PacerSystem.start({ brokers: testBrokers(), databaseServerUrl: serverUrl });
    kpiTopic = await new TopicRecorder(testKafka(), [system.topic(TOPICS.kpi)]).start();
    ledgerTopic = await new TopicRecorder(testKafka(), [system.topic(TOPICS.commissions)]).start();
    dlqTopic = await new TopicRecorder(testKafka(), [system.topic(TOPICS.dlq)]).start();
    scenario = buildScenario({ tenantId: uniqueName('e2e'), now: DateTime.now(), activityCount: Number(process.env['E2E_ACTIVITIES'] ?? 3000) });
    admin = await system.client(scenario.tenantId);
    seeded = await seedScenario(admin, scenario);
    expectedKpis = referenceKpis(scenario, seeded.sprints);
  }, 600_000);

  afterAll(async () => {
    await Promise.all([kpiTopic?.stop(), ledgerTopic?.stop(), dlqTopic?.stop()]);
    await system?.stop();
  });

  it('accepted every distinct activity once and recognised every duplicate', () => {
    const distinct = new Set(scenario.activities.map((a) => a.activityId)).size + scenario.cancellations.length;
    expect(seeded.accepted).toBe(distinct);
    expect(seeded.duplicates).toBe(scenario.activities.length - new Set(scenario.activities.map((a) => a.activityId)).size + scenario.duplicates.length);
  });

  it('publishes KPI snapshots on pacer.kpi.v1 equal to the reference for every scope and period', async () => {
    const mismatches = await pollUntil(
      async () => snapshotMismatches(expectedKpis, latestSnapshots(kpiTopic.records, scenario.tenantId)),
      (m) => m.length === 0,
      { timeoutMs: Number(process.env['E2E_KPI_TIMEOUT_MS'] ?? 240_000), intervalMs: 1_000, what: 'KPI snapshots equal to the reference' },
    ).catch(() => snapshotMismatches(expectedKpis, latestSnapshots(kpiTopic.records, scenario.tenantId)));
    expect(mismatches).toEqual([]);
    expect(expectedKpis.size).toBeGreaterThan(100);
  }, 300_000);

  it('serves the same numbers from the KPI API', async () => {
    const samples = [...expectedKpis.values()].filter((s) => s.periodType === 'quarter' || s.periodType === 'sprint' || (s.scope === 'org' && s.periodType === 'month'));
    for (const ref of samples) {
      const res = await admin.kpis<unknown>({ scope: ref.scope, scopeId: ref.scopeId, period: ref.periodType, key: ref.periodKey });
      const items = (Array.isArray(res.body) ? res.body : ((res.body as { items?: unknown[] }).items ?? [])) as {
        period: { type: string; key: string };
        scope: string;
        scopeId: string;
        metrics: Record<string, unknown>;
      }[];
      const found = items.find((i) => snapshotKey(i.scope, i.scopeId, i.period.type, i.period.key) === snapshotKey(ref.scope, ref.scopeId, ref.periodType, ref.periodKey));
      expect({ key: snapshotKey(ref.scope, ref.scopeId, ref.periodType, ref.periodKey), metrics: found?.metrics }).toEqual({
        key: snapshotKey(ref.scope, ref.scopeId, ref.periodType, ref.periodKey),
        metrics: expect.objectContaining({ calls: ref.metrics.calls, revenueWon: ref.metrics.revenueWon, dealsWon: ref.metrics.dealsWon, quota: ref.metrics.quota }),
      });
    }
  });

  it("shows each committed rep's sprint actuals on the board as the KPI reference has them", async () => {
    const sprint = seeded.sprints[0]!;
    const spec = scenario.sprints[0]!;
    for (const commitment of spec.commitments) {
      const ref = expectedKpis.get(snapshotKey('rep', commitment.repId, 'sprint', sprint.sprintId));
      const board = await admin.board<unknown>(sprint.sprintId);
      const actuals = findActuals(board.body, commitment.repId);
      for (const metric of Object.keys(commitment.targets)) {
        const want = ref ? ref.metrics[metric as keyof typeof ref.metrics] : 0;
        const got = actuals?.[metric];
        expect({ rep: commitment.repId, metric, value: normalise(got) }).toEqual({ rep: commitment.repId, metric, value: normalise(want) });
      }
    }
  });

  it('states commissions equal to the reference, and the ledger deltas sum to each statement', async () => {
    const expected = referenceCommissions(scenario);
    expect(expected.size).toBeGreaterThan(3);
    for (const [key, total] of expected) {
      const [repId, periodKey] = key.split('|') as [string, string];
      const statement = await pollUntil(
        async () => (await admin.statement<{ total?: string }>(repId, periodKey, { accept: [404] })).body,
        (s) => s?.total === total,
        { timeoutMs: 120_000, intervalMs: 1_000, what: `statement ${key} = ${total}` },
      ).catch(async () => (await admin.statement<{ total?: string }>(repId, periodKey, { accept: [404] })).body);
      expect({ key, total: statement?.total }).toEqual({ key, total });
    }
    const sums = await pollUntil(
      async () => ledgerTotals(ledgerTopic.records, scenario.tenantId),
      (s) => [...expected].every(([k, v]) => s.get(k) === v),
      { timeoutMs: 60_000, intervalMs: 500, what: 'ledger deltas summing to the statements' },
    ).catch(() => ledgerTotals(ledgerTopic.records, scenario.tenantId));
    for (const [key, total] of expected) expect({ key, sum: sums.get(key) }).toEqual({ key, sum: total });
  }, 300_000);

  it('dead-letters nothing', () => {
    expect(dlqTopic.records).toEqual([]);
  });
});

function findActuals(board: unknown, repId: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  (function walk(x: unknown): void {
    if (!x || typeof x !== 'object' || found) return;
    const o = x as Record<string, unknown>;
    if (o['repId'] === repId) {
      for (const k of ['actuals', 'actual']) {
        if (o[k] && typeof o[k] === 'object') {
          found = o[k] as Record<string, unknown>;
          return;
        }
      }
    }
    for (const v of Object.values(o)) walk(v);
  })(board);
  return found;
}

/** Board money may be a string or a number; compare as numbers rounded to cents. */
function normalise(v: unknown): unknown {
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v).toFixed(2);
  if (typeof v === 'number') return Number.isInteger(v) ? v : v.toFixed(2);
  return v ?? 0;
}
