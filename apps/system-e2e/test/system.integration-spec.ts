import { Decimal } from 'decimal.js';
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

  it("shows each committed rep's sprint actuals on the board as the KPI reference has them, and the team line as their sum", async () => {
    expect(seeded.sprints).toHaveLength(scenario.sprints.length);
    for (const spec of scenario.sprints) {
      const sprint = seeded.sprints.find((s) => s.teamId === spec.teamId && s.startDate === spec.startDate)!;
      const want = boardExpectation(spec.commitments, (repId) => expectedKpis.get(snapshotKey('rep', repId, 'sprint', sprint.sprintId))?.metrics);
      const got = await pollUntil(
        async () => boardFigures((await admin.board<unknown>(sprint.sprintId)).body, spec.commitments),
        (g) => JSON.stringify(g) === JSON.stringify(want),
        { timeoutMs: 60_000, intervalMs: 1_000, what: `board of ${sprint.sprintId} equal to the reference` },
      ).catch(async () => boardFigures((await admin.board<unknown>(sprint.sprintId)).body, spec.commitments));
      expect({ sprint: sprint.sprintId, ...got }).toEqual({ sprint: sprint.sprintId, ...want });
    }
  }, 120_000);

  it('closed the earlier sprints with reports frozen over the whole history, and the running one is active', async () => {
    for (const spec of scenario.sprints) {
      const sprint = seeded.sprints.find((s) => s.teamId === spec.teamId && s.startDate === spec.startDate)!;
      const report = await admin.request<{ reps?: { repId: string; targets: { metric: string; actual: unknown }[] }[] }>(
        'sprint-planning',
        'GET',
        `/v1/sprints/${sprint.sprintId}/report`,
        undefined,
        { accept: [409] },
      );
      expect({ sprint: sprint.sprintId, status: report.status }).toEqual({ sprint: sprint.sprintId, status: spec.outcome === 'closed' ? 200 : 409 });
      if (spec.outcome !== 'closed') continue;
      // The seeding closes a sprint only once the KPI service has counted its history.
      for (const c of spec.commitments) {
        const ref = expectedKpis.get(snapshotKey('rep', c.repId, 'sprint', sprint.sprintId));
        const calls = report.body.reps?.find((r) => r.repId === c.repId)?.targets.find((t) => t.metric === 'calls')?.actual;
        expect({ sprint: sprint.sprintId, rep: c.repId, calls }).toEqual({ sprint: sprint.sprintId, rep: c.repId, calls: ref?.metrics.calls ?? 0 });
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

type Commitments = Scenario['sprints'][number]['commitments'];

/**
 * What the board must show: each committed rep's targeted metrics as the reference has them, and the
 * team line (SPEC §4) as the sum over those same reps — every demo target is a count or money.
 */
function boardExpectation(commitments: Commitments, refOf: (repId: string) => Record<string, unknown> | undefined): { reps: Record<string, Record<string, unknown>>; team: Record<string, unknown> } {
  const reps: Record<string, Record<string, unknown>> = {};
  const team: Record<string, Decimal> = {};
  for (const c of commitments) {
    const ref = refOf(c.repId);
    reps[c.repId] = {};
    for (const metric of Object.keys(c.targets)) {
      const value = ref ? ref[metric] : 0;
      reps[c.repId]![metric] = normalise(value);
      team[metric] = (team[metric] ?? new Decimal(0)).plus(new Decimal(String(value ?? 0)));
    }
  }
  // Money targets are decimal strings (SPEC §4), and so is the money on the team line.
  const money = (metric: string): boolean => commitments.some((c) => typeof c.targets[metric] === 'string');
  return { reps, team: Object.fromEntries(Object.entries(team).map(([m, v]) => [m, normalise(money(m) ? v.toFixed(2) : v.toNumber())])) };
}

function boardFigures(board: unknown, commitments: Commitments): { reps: Record<string, Record<string, unknown>>; team: Record<string, unknown> } {
  const reps: Record<string, Record<string, unknown>> = {};
  for (const c of commitments) {
    const actuals = findActuals(board, c.repId);
    reps[c.repId] = Object.fromEntries(Object.keys(c.targets).map((m) => [m, normalise(actuals?.[m])]));
  }
  const teamActuals = ((board as { team?: { actuals?: Record<string, unknown> } }).team?.actuals ?? {}) as Record<string, unknown>;
  const metrics = [...new Set(commitments.flatMap((c) => Object.keys(c.targets)))];
  const team = Object.fromEntries(metrics.map((m) => [m, normalise(teamActuals[m])]));
  return { reps, team };
}

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
