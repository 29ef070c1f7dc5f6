import { DateTime } from 'luxon';
import { mintToken } from '@pacer/auth';
import { KpiSnapshotData } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, TEST_JWT_SECRET, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { getJson, inputProducer, produceEvents, token } from './support/kpi-service.fixture';

interface Page {
  items: KpiSnapshotData[];
}
interface Board {
  teamId: string | null;
  key: string;
  metric: string;
  entries: { rank: number; repId: string; name: string | null; value: unknown; revision: number | null }[];
}

describe('GET /v1/kpis and /v1/leaderboard', () => {
  let svc: RunningService;
  const tenantId = uniqueName('api');
  const b = new KpiEventBuilder(tenantId);

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    const producer = await inputProducer();
    await produceEvents(producer, svc.topicPrefix, [
      b.joined('hunters', 'ann', '2026-01-01T00:00:00Z'),
      b.joined('hunters', 'bob', '2026-01-01T00:00:00Z'),
      b.joined('hunters', 'max', '2026-01-01T00:00:00Z', 'MANAGER'),
      b.joined('hunters', 'zed', '2026-01-01T00:00:00Z'),
      b.joined('farmers', 'cyd', '2026-01-01T00:00:00Z'),
      b.sprint('s1', 'hunters', '2026-11-23', 7),
      b.dealWon('ann', '2026-11-27T10:00:00Z', { dealId: 'd1', amount: '500' }),
      b.dealWon('bob', '2026-11-27T10:00:00Z', { dealId: 'd2', amount: '500' }),
      b.dealWon('zed', '2026-11-27T10:00:00Z', { dealId: 'd3', amount: '900' }),
      b.dealWon('cyd', '2026-11-27T10:00:00Z', { dealId: 'd4', amount: '100' }),
      b.call('ann', '2026-11-27T11:00:00Z'),
    ]);
    await producer.disconnect();
    const admin = await token(tenantId, ['admin']);
    await pollUntil(
      async () => (await getJson<Page>(svc.baseUrl, `/v1/kpis?scope=org&period=month&key=2026-11`, admin)).body.items[0]?.metrics,
      (m) => m?.dealsWon === 4 && m.calls === 1,
      { timeoutMs: 30_000, what: 'the org month' },
    );
    // The roster topic is consumed independently of the activities: wait for the team's sprint too.
    await pollUntil(
      async () => (await getJson<Page>(svc.baseUrl, `/v1/kpis?scope=team&scopeId=hunters&period=sprint&key=s1`, admin)).body.items[0]?.metrics,
      (m) => m?.dealsWon === 3,
      { timeoutMs: 30_000, what: 'the team sprint' },
    );
  });

  afterAll(() => svc?.close());

  it('lets reps read their own and their teams’ KPIs, managers their teams’ members, admin and bi everything', async () => {
    const ann = await token(tenantId, ['rep'], 'ann');
    const max = await token(tenantId, ['manager'], 'max');
    const bi = await token(tenantId, ['bi']);
    const q = (query: string, who: string): Promise<{ status: number; body: Page }> => getJson<Page>(svc.baseUrl, `/v1/kpis?${query}`, who);

    expect((await q('scope=rep&scopeId=ann&period=month&key=2026-11', ann)).body.items[0]?.metrics).toMatchObject({ revenueWon: '500.00', calls: 1 });
    expect((await q('scope=rep&period=month&key=2026-11', ann)).body.items[0]?.scopeId).toBe('ann');
    expect((await q('scope=team&scopeId=hunters&period=sprint&key=s1', ann)).body.items[0]?.metrics).toMatchObject({ dealsWon: 3 });
    expect((await q('scope=rep&scopeId=bob&period=month', ann)).status).toBe(403);
    expect((await q('scope=team&scopeId=farmers&period=month', ann)).status).toBe(403);
    expect((await q('scope=org&period=month', ann)).status).toBe(403);

    expect((await q('scope=rep&scopeId=bob&period=month&key=2026-11', max)).body.items[0]?.metrics).toMatchObject({ revenueWon: '500.00' });
    expect((await q('scope=rep&scopeId=cyd&period=month', max)).status).toBe(403);
    // Manager rights follow the MANAGER membership: a manager token of an AE member sees no teammate.
    const annAsManager = await token(tenantId, ['manager'], 'ann');
    expect((await q('scope=rep&scopeId=bob&period=month', annAsManager)).status).toBe(403);
    expect((await q('scope=team&scopeId=farmers&period=month&key=2026-11', bi)).body.items[0]?.metrics).toMatchObject({ revenueWon: '100.00' });
    expect((await q('scope=org&period=day&from=2026-11-27&to=2026-11-28', bi)).body.items.map((i) => i.period.key)).toEqual(['2026-11-27']);
    expect((await q('scope=org&period=day&from=2026-11-28', bi)).body.items).toEqual([]);

    // Another tenant sees nothing of this one; bad queries and missing tokens are problems.
    const stranger = await token(uniqueName('other'), ['admin']);
    expect((await q(`scope=org&scopeId=${tenantId}&period=month`, stranger)).body.items).toEqual([]);
    expect((await q('scope=team&scopeId=hunters&period=month', stranger)).body.items).toEqual([]);
    expect((await q('scope=rep&scopeId=ann&period=month&key=November', bi)).status).toBe(400);
    expect((await q('scope=rep&scopeId=ann&color=blue', bi)).status).toBe(400);
    expect((await getJson(svc.baseUrl, '/v1/kpis?scope=org')).status).toBe(401);
  });

  it('ranks a team’s selling members by a metric with their names, ties in repId order, the manager left out', async () => {
    const ann = await token(tenantId, ['rep'], 'ann');
    const board = await getJson<Board>(svc.baseUrl, '/v1/leaderboard?teamId=hunters&period=month&key=2026-11&metric=revenueWon', ann);
    expect(board.status).toBe(200);
    expect(board.body.entries.map((e) => [e.rank, e.repId, e.name, e.value])).toEqual([
      [1, 'zed', 'Zed', '900.00'],
      [2, 'ann', 'Ann', '500.00'],
      [3, 'bob', 'Bob', '500.00'],
    ]);
    const sprint = await getJson<Board>(svc.baseUrl, '/v1/leaderboard?teamId=hunters&period=sprint&key=s1&metric=winRate', ann);
    expect(sprint.body.entries.map((e) => [e.repId, e.value])).toEqual([
      ['ann', 1],
      ['bob', 1],
      ['zed', 1],
    ]);
    // Without a key: the current period in the tenant's calendar (UTC here, no settings sent).
    const current = await getJson<Board>(svc.baseUrl, '/v1/leaderboard?teamId=hunters&period=month', ann);
    expect(current.body.key).toBe(DateTime.utc().toFormat('yyyy-MM'));
    expect(current.body.entries.map((e) => e.repId)).toEqual(['ann', 'bob', 'zed']);
    const bi = await token(tenantId, ['bi']);
    const org = await getJson<Board>(svc.baseUrl, '/v1/leaderboard?period=month&key=2026-11&metric=dealsWon', bi);
    expect(org.body.entries.map((e) => e.repId)).toEqual(['ann', 'bob', 'cyd', 'zed']);
    expect((await getJson(svc.baseUrl, '/v1/leaderboard?period=month&key=2026-11', ann)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/leaderboard?teamId=farmers&period=month&key=2026-11', ann)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/leaderboard?teamId=farmers&period=sprint&key=s1', bi)).status).toBe(404);
  });

  it('lets a display token read only its own team’s leaderboard and KPIs', async () => {
    const tv = await mintToken({ secret: TEST_JWT_SECRET, tenantId, roles: ['display'], teamId: 'hunters' });
    const own = await getJson<Board>(svc.baseUrl, '/v1/leaderboard?period=month&key=2026-11', tv);
    expect(own.status).toBe(200);
    expect(own.body.teamId).toBe('hunters');
    expect(own.body.entries.map((e) => e.repId)).toEqual(['zed', 'ann', 'bob']);
    expect((await getJson<Page>(svc.baseUrl, '/v1/kpis?scope=team&period=month&key=2026-11', tv)).body.items[0]?.metrics).toMatchObject({ dealsWon: 3 });
    expect((await getJson(svc.baseUrl, '/v1/leaderboard?teamId=farmers&period=month&key=2026-11', tv)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/kpis?scope=team&scopeId=farmers&period=month', tv)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/kpis?scope=rep&scopeId=ann&period=month', tv)).status).toBe(403);
    expect((await getJson(svc.baseUrl, '/v1/kpis?scope=org&period=month', tv)).status).toBe(403);
  });
});
