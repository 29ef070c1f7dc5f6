import { Producer } from 'kafkajs';
import {
  createTestDatabase,
  pollUntil,
  RunningService,
  startTestService,
  TestDatabase,
  uniqueName,
} from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { sprintWindowOf } from '../src/domain/calendar/sprint-calendar';
import { MIGRATIONS } from '../src/migrations';
import { rebuildReadModels } from '../src/projections/rebuild-read-models';
import { PROJECTION_TABLES, SprintPlanningProjection } from '../src/projections/sprint-planning.projection';
import {
  Call,
  client,
  dateFromToday,
  kpiProducer,
  kpiSnapshot,
  produceKpi,
  team,
} from './support/sprint-planning.harness';

// The read models are projections: replaying the event store into empty tables gives the same
// tables, and therefore the same teams, boards, reports and velocity.
describe('replaying the event store into empty read models', () => {
  const tenant = uniqueName('replay');
  let svc: RunningService;
  let producer: Producer;
  let admin: Call;
  let fresh: TestDatabase | undefined;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    producer = await kpiProducer();
    admin = await client(svc, tenant, ['admin']);
    await admin('PUT', '/v1/settings', { timezone: 'America/New_York', weekStartsOn: 7 });
    await team(admin, 'east', 'assembly_line', { sdr: 'SDR', ae: 'AE', am: 'AM', boss: 'MANAGER' });
    await admin('PATCH', '/v1/teams/east', { name: 'East Coast' });
    await admin('PUT', '/v1/teams/east/members/sdr', {
      name: 'Sid',
      role: 'AE',
      effectiveFrom: dateFromToday(-10),
    });
    await admin('DELETE', `/v1/teams/east/members/am?effectiveTo=${dateFromToday(-4)}`);
    await team(admin, 'west', 'island', { w1: 'AE' });

    // p1: closed with a carry-over into p2; p2: active with changes after start; p3: planned
    await admin('POST', '/v1/teams/east/sprints', {
      sprintId: 'p1',
      startDate: dateFromToday(-14),
      lengthDays: 7,
    });
    await admin('POST', '/v1/teams/east/sprints', {
      sprintId: 'p2',
      startDate: dateFromToday(-7),
      lengthDays: 14,
    });
    await admin('POST', '/v1/teams/east/sprints', {
      sprintId: 'p3',
      startDate: dateFromToday(7),
      lengthDays: 7,
    });
    await admin('PUT', '/v1/sprints/p1/commitments/ae', {
      targets: { calls: 20, dealsWon: 1, winRate: 0.5 },
      items: [
        { itemId: 'x1', title: 'Contract', opportunityId: 'o1', dueDate: dateFromToday(-10) },
        { itemId: 'x2', title: 'Demo' },
        { itemId: 'x3', title: 'Follow-up' },
      ],
    });
    await admin('PUT', '/v1/sprints/p1/commitments/sdr', { targets: { meetingsScheduled: 4 } });
    await admin('PUT', '/v1/sprints/p2/commitments/ae', {
      targets: { calls: 25 },
      items: [{ itemId: 'y1', title: 'Renewal' }],
    });
    await admin('POST', '/v1/sprints/p1/start');
    await admin('PATCH', '/v1/sprints/p1/items/x1', { status: 'done' });
    await admin('PATCH', '/v1/sprints/p1/items/x2', { status: 'doing' });
    const p1 = sprintWindowOf('p1', dateFromToday(-14), 7, 'America/New_York');
    await produceKpi(producer, svc, [
      kpiSnapshot({
        tenantId: tenant,
        scope: 'rep',
        scopeId: 'ae',
        period: { type: 'sprint', key: 'p1', start: p1.start, end: p1.end },
        revision: 1,
        metrics: { calls: 15, dealsWon: 1, dealsLost: 1, winRate: 0.5 },
      }),
      kpiSnapshot({
        tenantId: tenant,
        scope: 'team',
        scopeId: 'east',
        period: { type: 'sprint', key: 'p1', start: p1.start, end: p1.end },
        revision: 1,
        metrics: { calls: 18, meetingsScheduled: 2, dealsWon: 1 },
      }),
    ]);
    await pollUntil(
      async () => (await admin('GET', '/v1/sprints/p1/board')).body,
      (b) => b.team.snapshot.calls === 18,
      { timeoutMs: 30_000, what: 'p1 actuals' },
    );
    await admin('POST', '/v1/sprints/p1/close');
    await admin('POST', '/v1/sprints/p2/start');
    await admin('PUT', '/v1/sprints/p2/commitments/ae', {
      targets: { calls: 30 },
      items: [
        { itemId: 'x2', title: 'Demo (moved)' },
        { itemId: 'y2', title: 'Upsell' },
      ],
    });
    await admin('PATCH', '/v1/sprints/p2/items/y2', { status: 'done' });
    await admin('PUT', '/v1/sprints/p3/commitments/sdr', {
      targets: { meetingsScheduled: 6 },
      items: [{ itemId: 'z1', title: 'Cadence' }],
    });
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fresh?.drop();
    await svc?.close();
  });

  async function everything(): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    const paths = [
      '/v1/settings',
      '/v1/teams',
      '/v1/teams/east',
      '/v1/teams/west',
      '/v1/teams/east/sprints',
      '/v1/teams/east/velocity?last=10',
      ...['p1', 'p2', 'p3'].flatMap((s) => [`/v1/sprints/${s}`, `/v1/sprints/${s}/board`]),
      '/v1/sprints/p1/report',
    ];
    for (const path of paths) {
      const r = await admin('GET', path);
      expect([path, r.status]).toEqual([path, 200]);
      out[path] = r.body;
    }
    return out;
  }

  async function dump(db: {
    query: (sql: string) => Promise<unknown[]>;
  }): Promise<Record<string, unknown[]>> {
    const out: Record<string, unknown[]> = {};
    for (const table of PROJECTION_TABLES) {
      out[table] = await db.query(`SELECT row_to_json(t)::text AS row FROM ${table} t ORDER BY 1`);
    }
    return out;
  }

  it('builds the scenario the replay must reproduce', async () => {
    const board = (await admin('GET', '/v1/sprints/p2/board')).body;
    const ae = board.reps.find((r: any) => r.repId === 'ae');
    expect(ae.committedTargets).toEqual({ calls: 25 });
    expect(ae.targets).toEqual({ calls: 30 });
    expect(ae.items).toEqual([
      {
        itemId: 'x2',
        title: 'Demo (moved)',
        status: 'doing',
        committed: true,
        addedAfterStart: false,
        carriedFrom: 'p1',
      },
      { itemId: 'y2', title: 'Upsell', status: 'done', committed: false, addedAfterStart: true },
    ]);
    // dropped after start: the carried-in x3 and the committed y1 stay visible as removed
    expect(ae.removedItems).toEqual([
      {
        itemId: 'x3',
        title: 'Follow-up',
        status: 'todo',
        committed: true,
        addedAfterStart: false,
        carriedFrom: 'p1',
      },
      { itemId: 'y1', title: 'Renewal', status: 'todo', committed: true, addedAfterStart: false },
    ]);
    const report = (await admin('GET', '/v1/sprints/p1/report')).body;
    expect(report).toMatchObject({
      carriedOverTo: 'p2',
      team: { itemsTotal: 3, itemsDone: 1, itemsCarriedOver: 2 },
    });
    const velocity = (await admin('GET', '/v1/teams/east/velocity?last=3')).body;
    expect(velocity).toMatchObject({
      teamId: 'east',
      last: 3,
      sprints: [
        {
          sprintId: 'p1',
          completionRatio: report.team.completionRatio,
          itemsDone: 1,
          itemsTotal: 3,
          itemsCarriedOver: 2,
        },
      ],
      averageItemsDone: 1,
    });
    expect((await admin('GET', '/v1/teams/east/velocity?last=0')).status).toBe(400);
  });

  it('gives identical boards, reports and views after POST /v1/admin/rebuild', async () => {
    const before = await everything();
    const tablesBefore = await dump(svc.dataSource);
    const rebuilt = await admin('POST', '/v1/admin/rebuild');
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body.events).toBeGreaterThan(20);
    expect(await dump(svc.dataSource)).toEqual(tablesBefore);
    expect(await everything()).toEqual(before);
  });

  it('rebuilds the same tables in a fresh database holding only the events', async () => {
    fresh = await createTestDatabase('sprint_replay', MIGRATIONS);
    const events = await svc.dataSource.query(
      `SELECT global_position, stream_id, stream_type, version, event_id, type, tenant_id, data, metadata, occurred_at, recorded_at, tx_id::text AS tx
         FROM events ORDER BY global_position`,
    );
    for (const e of events) {
      await fresh.dataSource.query(
        `INSERT INTO events (global_position, stream_id, stream_type, version, event_id, type, tenant_id, data, metadata, occurred_at, recorded_at, tx_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::xid8)`,
        [
          e.global_position,
          e.stream_id,
          e.stream_type,
          e.version,
          e.event_id,
          e.type,
          e.tenant_id,
          JSON.stringify(e.data),
          JSON.stringify(e.metadata),
          e.occurred_at,
          e.recorded_at,
          e.tx,
        ],
      );
    }
    for (const table of PROJECTION_TABLES) {
      expect(await fresh.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }
    const result = await rebuildReadModels(fresh.dataSource, new SprintPlanningProjection(), 7);
    expect(result.events).toBe(events.length);
    expect(await dump(fresh.dataSource)).toEqual(await dump(svc.dataSource));
  });
});
