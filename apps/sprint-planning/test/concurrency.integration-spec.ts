import { RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, client, dateFromToday, team } from './support/sprint-planning.harness';

// Optimistic concurrency on the aggregates: If-Match/ETag conflicts are 409, and commands racing
// without If-Match never both succeed on stale state.
describe('concurrent sprint commands', () => {
  let svc: RunningService;
  let admin: Call;
  const tenant = uniqueName('conc');

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    admin = await client(svc, tenant, ['admin']);
    await team(admin, 'red', 'assembly_line', { mgr: 'MANAGER', r1: 'SDR', r2: 'AE', r3: 'AE', r4: 'AM', r5: 'CSM' });
  });
  afterAll(() => svc?.close());

  async function eventsOf(type: string, streamLike: string): Promise<number> {
    const rows = await svc.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE type = $1 AND stream_id LIKE $2`,
      [type, `%${streamLike}`],
    );
    return rows[0].n;
  }

  it('answers 409 to the second of two managers editing the same sprint version', async () => {
    // The team's manager in two browser tabs.
    const manager1 = await client(svc, tenant, ['manager'], 'mgr');
    const manager2 = await client(svc, tenant, ['manager'], 'mgr');
    const planned = await admin('POST', '/v1/teams/red/sprints', {
      sprintId: 'c1',
      startDate: dateFromToday(30),
      goal: 'x',
    });
    const etag = planned.headers.get('etag')!;
    expect(etag).toBe('"1"');
    const [a, b] = await Promise.all([
      manager1('PUT', '/v1/sprints/c1/commitments/r1', { targets: { calls: 10 } }, { 'if-match': etag }),
      manager2('PUT', '/v1/sprints/c1/commitments/r1', { targets: { calls: 20 } }, { 'if-match': etag }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.headers.get('content-type')).toContain('application/problem+json');
    expect(loser.body).toMatchObject({
      type: 'urn:pacer:problem:version-conflict',
      status: 409,
      currentVersion: 2,
    });
    // a stale ETag stays a conflict; the current one works
    expect(
      (
        await manager2(
          'PUT',
          '/v1/sprints/c1/commitments/r1',
          { targets: { calls: 20 } },
          { 'if-match': etag },
        )
      ).status,
    ).toBe(409);
    const current = await admin('GET', '/v1/sprints/c1');
    expect(current.headers.get('etag')).toBe('"2"');
    expect(
      (
        await manager2(
          'PUT',
          '/v1/sprints/c1/commitments/r1',
          { targets: { calls: 20 } },
          { 'if-match': 'W/"2"' },
        )
      ).status,
    ).toBe(200);
    expect(
      (await admin('PUT', '/v1/sprints/c1/commitments/r1', { targets: {} }, { 'if-match': 'banana' })).body
        .type,
    ).toBe('urn:pacer:problem:invalid-if-match');
  });

  it('lets exactly one of several racing starts (without If-Match) succeed', async () => {
    await admin('POST', '/v1/teams/red/sprints', { sprintId: 'c2', startDate: dateFromToday(-1) });
    const results = await Promise.all(Array.from({ length: 6 }, () => admin('POST', '/v1/sprints/c2/start')));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 200))
      expect(r.body.type).toBe('urn:pacer:problem:sprint-not-planned');
    expect(await eventsOf('sprint.started', '/c2')).toBe(1);
  });

  it('serialises racing commitments of different reps without losing any', async () => {
    const reps = ['r1', 'r2', 'r3', 'r4', 'r5'];
    const results = await Promise.all(
      reps.map((r, i) =>
        admin('PUT', `/v1/sprints/c2/commitments/${r}`, {
          targets: { calls: i + 1 },
          items: [{ itemId: `it-${r}`, title: r }],
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const board = (await admin('GET', '/v1/sprints/c2/board')).body;
    // The manager is on the board too (a member), without a commitment.
    expect(board.reps.map((r: any) => [r.repId, r.targets.calls, r.items.length])).toEqual([
      ['mgr', undefined, 0],
      ...reps.map((r, i) => [r, i + 1, 1]),
    ]);
    expect(board.version).toBe(7);
  });

  it('plans only one of several overlapping sprints created at once', async () => {
    const results = await Promise.all(
      ['o1', 'o2', 'o3', 'o4'].map((id, i) =>
        admin('POST', '/v1/teams/red/sprints', {
          sprintId: id,
          startDate: dateFromToday(60 + i),
          lengthDays: 7,
        }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201))
      expect(r.body.type).toBe('urn:pacer:problem:sprint-overlap');
  });

  it('closes a sprint once when two closes race, publishing one report', async () => {
    const results = await Promise.all([
      admin('POST', '/v1/sprints/c2/close'),
      admin('POST', '/v1/sprints/c2/close'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.type).toBe('urn:pacer:problem:sprint-not-active');
    expect(await eventsOf('sprint.report_published', '/c2')).toBe(1);
  });
});
