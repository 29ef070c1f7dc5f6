import { parse } from 'csv-parse/sync';
import { mintToken } from '@pacer/auth';
import { RunningService, startTestService, TEST_JWT_SECRET, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, client, dateFromToday } from './support/sprint-planning.harness';

const EVIL_NAME = '=HYPERLINK("http://evil.example","Ana")';

interface Target {
  metric: string;
  planned: number | string;
  actual: number | string | null;
  ratio: number | null;
}
interface Outcome {
  targets: Target[];
  completionRatio: number | null;
  itemsTotal: number;
  itemsDone: number;
  itemsCarriedOver: number;
}

// SPEC §6 exports: GET /v1/sprints/{id}/report.csv is the frozen report as CSV, read back here and
// compared with GET /v1/sprints/{id}/report.
describe('GET /v1/sprints/{id}/report.csv', () => {
  let svc: RunningService;
  const tenant = uniqueName('report-csv');
  let admin: Call;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    admin = await client(svc, tenant, ['admin']);
    expect(
      (await admin('POST', '/v1/teams', { teamId: 'alpha', name: 'Alpha', salesModel: 'island' })).status,
    ).toBe(201);
    for (const [repId, name, role] of [
      ['max', 'Max', 'MANAGER'],
      ['ana', EVIL_NAME, 'AE'],
      ['bo', 'Bo', 'AE'],
    ]) {
      expect(
        (await admin('PUT', `/v1/teams/alpha/members/${repId}`, { name, role, effectiveFrom: '2026-01-01' }))
          .status,
      ).toBe(200);
    }
    expect(
      (
        await admin('POST', '/v1/teams/alpha/sprints', {
          sprintId: 's1',
          startDate: dateFromToday(-2),
          goal: 'g',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin('POST', '/v1/teams/alpha/sprints', {
          sprintId: 's2',
          startDate: dateFromToday(5),
          goal: 'next',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await admin('PUT', '/v1/sprints/s1/commitments/ana', {
          targets: { calls: 10, revenueWon: '1500.00' },
          items: [
            { itemId: 'a1', title: 'Call Acme' },
            { itemId: 'a2', title: 'Demo' },
          ],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin('PUT', '/v1/sprints/s1/commitments/bo', {
          targets: {},
          items: [{ itemId: 'b1', title: 'Follow up' }],
        })
      ).status,
    ).toBe(200);
    expect((await admin('POST', '/v1/sprints/s1/start')).status).toBe(200);
    expect((await admin('PATCH', '/v1/sprints/s1/items/a1', { status: 'done' })).status).toBe(200);
    expect((await admin('POST', '/v1/sprints/s1/close')).status).toBe(200);
  });
  afterAll(() => svc?.close());

  function expectedRows(report: {
    sprintId: string;
    teamId: string;
    reps: (Outcome & { repId: string; name: string | null; role: string | null })[];
    team: Outcome;
  }): string[][] {
    const cell = (v: number | string | null | undefined): string =>
      v === null || v === undefined ? '' : String(v);
    const rows = (scope: string, o: Outcome, who: string[]): string[][] => {
      const tail = [cell(o.completionRatio), cell(o.itemsTotal), cell(o.itemsDone), cell(o.itemsCarriedOver)];
      if (o.targets.length === 0)
        return [[report.sprintId, report.teamId, scope, ...who, '', '', '', '', ...tail]];
      return o.targets.map((t) => [
        report.sprintId,
        report.teamId,
        scope,
        ...who,
        t.metric,
        cell(t.planned),
        cell(t.actual),
        cell(t.ratio),
        ...tail,
      ]);
    };
    return [
      ...report.reps.flatMap((r) =>
        rows('rep', r, [r.repId, r.name?.startsWith('=') ? `'${r.name}` : (r.name ?? ''), r.role ?? '']),
      ),
      ...rows('team', report.team, ['', '', '']),
    ];
  }

  it('holds the JSON report per rep and metric, then the team line, with the hostile name neutralised', async () => {
    const json = await admin('GET', '/v1/sprints/s1/report');
    expect(json.status).toBe(200);
    const res = await fetch(`${svc.baseUrl}/v1/sprints/s1/report.csv`, {
      headers: { authorization: `Bearer ${await mintFor(['rep'], 'bo')}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toContain('filename="sprint-report-s1.csv"');
    const [header, ...rows] = parse(await res.text()) as string[][];
    expect(header).toEqual([
      'sprintId',
      'teamId',
      'scope',
      'repId',
      'name',
      'role',
      'metric',
      'planned',
      'actual',
      'ratio',
      'completionRatio',
      'itemsTotal',
      'itemsDone',
      'itemsCarriedOver',
    ]);
    expect(rows).toEqual(expectedRows(json.body));
    const ana = rows.filter((r) => r[3] === 'ana');
    expect(ana.map((r) => [r[4], r[6], r[7], r[11], r[12], r[13]])).toEqual([
      [`'${EVIL_NAME}`, 'calls', '10', '2', '1', '1'],
      [`'${EVIL_NAME}`, 'revenueWon', '1500.00', '2', '1', '1'],
    ]);
    expect(rows.find((r) => r[3] === 'bo')?.slice(6, 10)).toEqual(['', '', '', '']);
  });

  it('is 409 before close and 404 for another tenant, as problem documents', async () => {
    const early = await fetch(`${svc.baseUrl}/v1/sprints/s2/report.csv`, {
      headers: { authorization: `Bearer ${await mintFor(['admin'])}` },
    });
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toContain('application/problem+json');
    const stranger = await fetch(`${svc.baseUrl}/v1/sprints/s1/report.csv`, {
      headers: { authorization: `Bearer ${await mintFor(['admin'], undefined, uniqueName('stranger'))}` },
    });
    expect(stranger.status).toBe(404);
  });

  function mintFor(roles: ('admin' | 'rep')[], repId?: string, tenantId = tenant): Promise<string> {
    return mintToken({ secret: TEST_JWT_SECRET, tenantId, roles, ...(repId ? { repId } : {}) });
  }
});
