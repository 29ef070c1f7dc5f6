import { randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { pollUntil, RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { sprintDays, sprintWindowOf } from '../src/domain/calendar/sprint-calendar';
import {
  Call,
  client,
  dateFromToday,
  kpiProducer,
  kpiSnapshot,
  produceKpi,
  SnapshotSpec,
  team,
} from './support/sprint-planning.harness';

// Board actuals are the KPI service's sprint snapshots: they follow restated revisions (voids, late
// activities), ignore stale ones, and the report freezes what was known at close.
describe('the sprint board follows pacer.kpi.v1', () => {
  const TZ = 'Europe/Berlin';
  const tenant = uniqueName('board');
  const start = dateFromToday(-2);
  let svc: RunningService;
  let producer: Producer;
  let admin: Call;
  let sprintId: string;

  const window = () => sprintWindowOf(sprintId, start, 7, TZ);
  const sprintPeriod = () => ({
    type: 'sprint' as const,
    key: sprintId,
    start: window().start,
    end: window().end,
  });
  const dayPeriod = (i: number) => {
    const d = sprintDays(start, 7, TZ)[i]!;
    return { type: 'day' as const, key: d.date, start: d.start, end: d.end };
  };
  const snap = (s: Omit<SnapshotSpec, 'tenantId'>) => kpiSnapshot({ tenantId: tenant, ...s });
  const board = async () => (await admin('GET', `/v1/sprints/${sprintId}/board`)).body;
  const rep = (b: any, repId: string) => b.reps.find((r: any) => r.repId === repId);

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    producer = await kpiProducer();
    admin = await client(svc, tenant, ['admin']);
    await admin('PUT', '/v1/settings', { timezone: TZ });
    await team(admin, 'north', 'island', { ana: 'AE', bo: 'AE', max: 'MANAGER' });
    const planned = await admin('POST', '/v1/teams/north/sprints', {
      startDate: start,
      lengthDays: 7,
      goal: 'pipeline',
    });
    sprintId = planned.body.sprintId;
    await admin('PUT', `/v1/sprints/${sprintId}/commitments/ana`, {
      targets: { calls: 10, revenueWon: '1000.00', connectRate: 0.3 },
      items: [{ itemId: 'a1', title: 'Call ACME' }],
    });
    await admin('PUT', `/v1/sprints/${sprintId}/commitments/bo`, { targets: { calls: 5 } });
    await admin('POST', `/v1/sprints/${sprintId}/start`);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await svc?.close();
  });

  let emptyBoardEtag: string | null = null;

  it('shows zero actuals and null ratios before any snapshot exists', async () => {
    const first = await admin('GET', `/v1/sprints/${sprintId}/board`);
    emptyBoardEtag = first.headers.get('etag');
    const b = first.body;
    expect(b.reps.map((r: any) => r.repId)).toEqual(['ana', 'bo', 'max']);
    expect(rep(b, 'ana')).toMatchObject({
      name: 'ANA',
      role: 'AE',
      targets: { calls: 10, revenueWon: '1000.00', connectRate: 0.3 },
      committedTargets: { calls: 10, revenueWon: '1000.00', connectRate: 0.3 },
      actualsRevision: null,
      progress: { calls: 0, revenueWon: 0, connectRate: null },
      items: [{ itemId: 'a1', title: 'Call ACME', status: 'todo', committed: true, addedAfterStart: false }],
    });
    expect(rep(b, 'ana').actuals).toMatchObject({ calls: 0, revenueWon: '0.00', connectRate: null });
    expect(rep(b, 'max')).toMatchObject({
      role: 'MANAGER',
      targets: {},
      committedTargets: null,
      progress: {},
    });
    expect(b.team).toMatchObject({
      targets: { calls: 15, revenueWon: '1000.00', connectRate: 0.3 },
      progress: { calls: 0 },
    });
    expect(b.burnup.metrics).toEqual(['calls', 'revenueWon']);
    expect(b.window).toEqual({ start: window().start, end: window().end });
  });

  it('takes actuals and the burnup from the snapshots, and follows a restated (higher) revision', async () => {
    await produceKpi(producer, svc, [
      snap({
        scope: 'rep',
        scopeId: 'ana',
        period: sprintPeriod(),
        revision: 1,
        metrics: { calls: 3, connects: 2, connectRate: 2 / 3, revenueWon: '500.00' },
      }),
      snap({
        scope: 'team',
        scopeId: 'north',
        period: sprintPeriod(),
        revision: 1,
        metrics: { calls: 3, revenueWon: '500.00' },
      }),
      snap({
        scope: 'rep',
        scopeId: 'ana',
        period: dayPeriod(0),
        revision: 1,
        metrics: { calls: 1, revenueWon: '500.00' },
      }),
      snap({ scope: 'rep', scopeId: 'ana', period: dayPeriod(1), revision: 1, metrics: { calls: 2 } }),
      // another team's sprint and another scope are not this board's business
      snap({ scope: 'team', scopeId: 'south', period: sprintPeriod(), revision: 1, metrics: { calls: 99 } }),
    ]);
    let b = await pollUntil(board, (x) => rep(x, 'ana').actuals.calls === 3, {
      timeoutMs: 30_000,
      what: 'ana calls = 3',
    });
    expect(rep(b, 'ana')).toMatchObject({ actualsRevision: 1, progress: { calls: 0.3, revenueWon: 0.5 } });
    expect(rep(b, 'ana').progress.connectRate).toBeCloseTo(2 / 3 / 0.3, 12);
    expect(rep(b, 'ana').actuals.revenueWon).toBe('500.00');
    // A cache that kept the empty board must not be told it is still fresh: the sprint's version did
    // not change, its actuals did.
    expect(emptyBoardEtag).toBeTruthy();
    const revalidated = await admin('GET', `/v1/sprints/${sprintId}/board`, undefined, {
      'if-none-match': emptyBoardEtag ?? '',
    });
    expect(revalidated.status).toBe(200);
    expect(rep(revalidated.body, 'ana').actuals.calls).toBe(3);
    b = await pollUntil(board, (x) => x.team.snapshot.calls === 3, { timeoutMs: 10_000, what: 'team calls' });
    // The team line sums the committed reps (ana 3 + bo 0); the team snapshot is shown beside it.
    expect(b.team).toMatchObject({ actuals: { calls: 3, revenueWon: '500.00' }, snapshotRevision: 1 });
    expect(b.team.progress).toMatchObject({ calls: 3 / 15, revenueWon: 0.5 });
    const [day0, day1] = b.burnup.days;
    expect(day0).toMatchObject({
      date: start,
      team: { calls: 1, revenueWon: '500.00' },
      reps: { ana: { calls: 1, revenueWon: '500.00' }, bo: { calls: 0 } },
    });
    expect(day1).toMatchObject({ team: { calls: 3, revenueWon: '500.00' }, reps: { ana: { calls: 3 } } });

    // a void: the KPI service restates the sprint and the day with lower numbers, higher revisions
    await produceKpi(producer, svc, [
      snap({
        scope: 'rep',
        scopeId: 'ana',
        period: sprintPeriod(),
        revision: 2,
        metrics: { calls: 2, revenueWon: '500.00' },
      }),
      snap({ scope: 'rep', scopeId: 'ana', period: dayPeriod(1), revision: 2, metrics: { calls: 1 } }),
    ]);
    b = await pollUntil(
      board,
      (x) => rep(x, 'ana').actuals.calls === 2 && x.burnup.days[1].reps.ana.calls === 2,
      {
        timeoutMs: 30_000,
        what: 'restated calls',
      },
    );
    expect(rep(b, 'ana')).toMatchObject({ actualsRevision: 2, progress: { calls: 0.2 } });
  });

  it('ignores an older revision that arrives late', async () => {
    await produceKpi(producer, svc, [
      snap({
        id: randomUUID(),
        scope: 'rep',
        scopeId: 'ana',
        period: sprintPeriod(),
        revision: 1,
        metrics: { calls: 99 },
      }),
      snap({ scope: 'rep', scopeId: 'bo', period: sprintPeriod(), revision: 1, metrics: { calls: 4 } }),
    ]);
    // bo's snapshot is on another key, possibly another partition: wait for it and for the stale one's offset
    const b = await pollUntil(board, (x) => rep(x, 'bo').actuals.calls === 4, {
      timeoutMs: 30_000,
      what: 'bo calls',
    });
    await pollUntil(
      async () => Number((await svc.dataSource.query(`SELECT count(*) AS n FROM processed_events`))[0].n),
      (n) => n >= 9,
      { timeoutMs: 30_000, what: 'every snapshot consumed' },
    );
    expect(rep(await board(), 'ana')).toMatchObject({ actualsRevision: 2, actuals: { calls: 2 } });
    expect(rep(b, 'bo').progress).toEqual({ calls: 0.8 });
  });

  it('freezes the report at close; later revisions move the board but not the report', async () => {
    // a late activity raises ana's sprint to 5 calls before the close
    await produceKpi(producer, svc, [
      snap({
        scope: 'rep',
        scopeId: 'ana',
        period: sprintPeriod(),
        revision: 3,
        metrics: { calls: 5, revenueWon: '1200.00' },
      }),
    ]);
    await pollUntil(board, (x) => rep(x, 'ana').actuals.calls === 5, {
      timeoutMs: 30_000,
      what: 'late activity',
    });
    expect((await admin('POST', `/v1/sprints/${sprintId}/close`)).status).toBe(200);
    const report = (await admin('GET', `/v1/sprints/${sprintId}/report`)).body;
    const anaReport = report.reps.find((r: any) => r.repId === 'ana');
    expect(anaReport.targets).toEqual([
      { metric: 'calls', planned: 10, actual: 5, ratio: 0.5 },
      { metric: 'connectRate', planned: 0.3, actual: null, ratio: null },
      { metric: 'revenueWon', planned: '1000.00', actual: '1200.00', ratio: 1.2 },
    ]);
    // mean of min(1, ratio): (0.5 + 0 + 1) / 3
    expect(anaReport.completionRatio).toBeCloseTo(0.5, 10);
    expect(report.reps.find((r: any) => r.repId === 'bo').completionRatio).toBeCloseTo(0.8, 10);

    await produceKpi(producer, svc, [
      snap({ scope: 'rep', scopeId: 'ana', period: sprintPeriod(), revision: 4, metrics: { calls: 7 } }),
    ]);
    const b = await pollUntil(board, (x) => rep(x, 'ana').actuals.calls === 7, {
      timeoutMs: 30_000,
      what: 'post-close revision',
    });
    expect(b.status).toBe('closed');
    expect(b.burnup.days).toHaveLength(7);
    expect((await admin('GET', `/v1/sprints/${sprintId}/report`)).body).toEqual(report);
  });
});
