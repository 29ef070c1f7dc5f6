import { RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, client, dateFromToday, team } from './support/sprint-planning.harness';

// SPEC §7: manager rights hold only for the teams where the token's repId is a MANAGER member; a
// display token reads its own team's sprints and board and nothing else.
describe('manager rights per team and display tokens', () => {
  let svc: RunningService;
  const tenant = uniqueName('rights');
  let admin: Call;
  let alice: Call;
  let bruno: Call;
  let noRepId: Call;
  let tvA: Call;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    admin = await client(svc, tenant, ['admin']);
    alice = await client(svc, tenant, ['manager'], 'alice');
    bruno = await client(svc, tenant, ['manager'], 'bruno');
    noRepId = await client(svc, tenant, ['manager']);
    await team(admin, 'a', 'island', { alice: 'MANAGER', ana: 'AE' });
    await team(admin, 'b', 'island', { bruno: 'MANAGER', bo: 'AE' });
    for (const [t, rep] of [
      ['a', 'ana'],
      ['b', 'bo'],
    ] as const) {
      await admin('POST', `/v1/teams/${t}/sprints`, { sprintId: `sp-${t}`, startDate: dateFromToday(-1) });
      await admin('PUT', `/v1/sprints/sp-${t}/commitments/${rep}`, {
        targets: { calls: 5, revenueWon: '1000.00' },
        items: [{ itemId: `${rep}-1`, title: 'x' }],
      });
    }
    tvA = await client(svc, tenant, ['display'], undefined, 'a');
  });
  afterAll(() => svc?.close());

  it("lets a manager act on its own team's sprint", async () => {
    expect(
      (await alice('PUT', '/v1/sprints/sp-a/commitments/ana', { targets: { calls: 6 }, items: [{ itemId: 'ana-1', title: 'x' }] })).status,
    ).toBe(200);
    expect((await alice('PATCH', '/v1/sprints/sp-a/items/ana-1', { status: 'doing' })).status).toBe(200);
    expect((await alice('POST', '/v1/sprints/sp-a/start')).status).toBe(200);
    expect((await alice('GET', '/v1/sprints/sp-a/board')).status).toBe(200);
  });

  it("answers 403 to a manager of team A on team B's team, sprints, commitments, items, board and report", async () => {
    for (const [method, path, body] of [
      ['POST', '/v1/sprints/sp-b/start'],
      ['POST', '/v1/sprints/sp-b/close'],
      ['PUT', '/v1/sprints/sp-b/commitments/bo', { targets: { calls: 1 } }],
      ['PATCH', '/v1/sprints/sp-b/items/bo-1', { status: 'done' }],
      ['POST', '/v1/teams/b/sprints', { startDate: dateFromToday(60) }],
      ['PUT', '/v1/teams/b/members/zed', { name: 'Zed', role: 'AE' }],
      ['DELETE', '/v1/teams/b/members/bo'],
      ['PATCH', '/v1/teams/b', { name: 'Mine now' }],
      ['GET', '/v1/sprints/sp-b'],
      ['GET', '/v1/sprints/sp-b/board'],
      ['GET', '/v1/sprints/sp-b/report'],
      ['GET', '/v1/teams/b/sprints'],
      ['GET', '/v1/teams/b/velocity'],
    ] as const) {
      const r = await alice(method, path, body);
      expect([method, path, r.status, r.body?.type]).toEqual([method, path, 403, 'urn:pacer:problem:forbidden']);
    }
    // A manager token without a repId manages no team.
    expect((await noRepId('POST', '/v1/sprints/sp-b/start')).status).toBe(403);
    // Nor can a manager make itself the MANAGER of a team that has one.
    expect((await alice('PUT', '/v1/teams/b/members/alice', { name: 'Alice', role: 'MANAGER' })).status).toBe(403);
    expect((await bruno('POST', '/v1/sprints/sp-b/start')).status).toBe(200);
  });

  it("lets a display token read only its own team's sprints and board", async () => {
    expect((await tvA('GET', '/v1/sprints/sp-a/board')).status).toBe(200);
    expect((await tvA('GET', '/v1/sprints/sp-a')).status).toBe(200);
    expect((await tvA('GET', '/v1/teams/a/sprints')).status).toBe(200);
    expect((await tvA('GET', '/v1/teams/a')).status).toBe(200);
    for (const path of ['/v1/sprints/sp-b/board', '/v1/sprints/sp-b', '/v1/teams/b/sprints', '/v1/teams/b']) {
      expect([path, (await tvA('GET', path)).status]).toEqual([path, 404]);
    }
    // Read-only, and nothing that does not name `display`.
    expect((await tvA('POST', '/v1/sprints/sp-a/close')).status).toBe(403);
    expect((await tvA('GET', '/v1/settings')).status).toBe(403);
    expect((await tvA('GET', '/v1/sprints/sp-a/report')).status).toBe(403);
  });

  it('returns money targets as decimal strings and counts as numbers on the board', async () => {
    const board = await admin('GET', '/v1/sprints/sp-b/board');
    const bo = board.body.reps.find((r: any) => r.repId === 'bo');
    expect(bo.targets).toEqual({ calls: 5, revenueWon: '1000.00' });
    expect(bo.actuals).toMatchObject({ calls: 0, revenueWon: '0.00' });
    expect(board.body.team).toMatchObject({ targets: { calls: 5, revenueWon: '1000.00' }, actuals: { calls: 0, revenueWon: '0.00' } });
  });
});
