import { parse } from 'csv-parse/sync';
import { makeEvent } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { getJson, inputProducer, produceEvents, token } from './support/kpi-service.fixture';

interface Board {
  teamId: string | null;
  period: string;
  key: string;
  metric: string;
  entries: {
    rank: number;
    repId: string;
    name: string | null;
    value: number | string | null;
    revision: number | null;
    asOf: string | null;
  }[];
}

const EVIL_NAME = '=HYPERLINK("http://evil.example","Ann")';

// SPEC §6 exports: GET /v1/leaderboard.csv is the JSON leaderboard as CSV, same access, text cells
// neutralised against formula injection, numbers left as numbers.
describe('GET /v1/leaderboard.csv', () => {
  let svc: RunningService;
  const tenantId = uniqueName('lb-csv');
  const b = new KpiEventBuilder(tenantId);

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService);
    const producer = await inputProducer();
    await produceEvents(producer, svc.topicPrefix, [
      makeEvent('pacer.roster.member_joined.v1', {
        id: `${tenantId}-join-ann`,
        tenantId,
        time: '2026-01-01T00:00:00Z',
        data: {
          teamId: 'hunters',
          repId: 'ann',
          name: EVIL_NAME,
          role: 'AE',
          effectiveFrom: '2026-01-01T00:00:00Z',
        },
      }),
      b.joined('hunters', 'bob', '2026-01-01T00:00:00Z'),
      b.joined('hunters', 'cy', '2026-01-01T00:00:00Z'),
      b.joined('hunters', 'max', '2026-01-01T00:00:00Z', 'MANAGER'),
      b.dealWon('ann', '2026-11-27T10:00:00Z', { dealId: 'd1', amount: '500' }),
      b.dealWon('bob', '2026-11-27T10:00:00Z', { dealId: 'd2', amount: '1250.5' }),
      b.call('ann', '2026-11-27T11:00:00Z'),
    ]);
    await producer.disconnect();
    const admin = await token(tenantId, ['admin']);
    await pollUntil(
      async () =>
        (await getJson<Board>(svc.baseUrl, '/v1/leaderboard?teamId=hunters&period=month&key=2026-11', admin))
          .body,
      (board) =>
        board.entries?.length === 3 &&
        board.entries[0]?.value === '1250.50' &&
        board.entries[0]?.name !== null &&
        board.entries[1]?.name === EVIL_NAME,
      { timeoutMs: 30_000, what: 'the hunters leaderboard' },
    );
  });
  afterAll(() => svc?.close());

  async function getCsv(path: string, bearer: string): Promise<Response> {
    return fetch(`${svc.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } });
  }

  it('holds the same rows as the JSON leaderboard, names neutralised, money and ratios as numbers', async () => {
    const ann = await token(tenantId, ['rep'], 'ann');
    for (const metric of ['revenueWon', 'winRate', 'calls']) {
      const query = `?teamId=hunters&period=month&key=2026-11&metric=${metric}`;
      const json = (await getJson<Board>(svc.baseUrl, `/v1/leaderboard${query}`, ann)).body;
      const res = await getCsv(`/v1/leaderboard.csv${query}`, ann);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain(
        `filename="leaderboard-hunters-month-2026-11-${metric}.csv"`,
      );
      const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
      expect(rows).toEqual(
        json.entries.map((e) => ({
          rank: String(e.rank),
          repId: e.repId,
          name: e.name === EVIL_NAME ? `'${EVIL_NAME}` : (e.name ?? ''),
          metric,
          value: e.value === null ? '' : String(e.value),
          teamId: 'hunters',
          period: 'month',
          key: '2026-11',
          revision: e.revision === null ? '' : String(e.revision),
          asOf: e.asOf ?? '',
        })),
      );
    }
    const revenue = parse(
      await (await getCsv('/v1/leaderboard.csv?teamId=hunters&period=month&key=2026-11', ann)).text(),
      { columns: true },
    ) as Record<string, string>[];
    expect(revenue.map((r) => [r['repId'], r['name'], r['value']])).toEqual([
      ['bob', 'Bob', '1250.50'],
      ['ann', `'${EVIL_NAME}`, '500.00'],
      ['cy', 'Cy', '0.00'],
    ]);
  });

  it('keeps the leaderboard’s access rules and answers problems as JSON', async () => {
    const ann = await token(tenantId, ['rep'], 'ann');
    const org = await getCsv('/v1/leaderboard.csv?period=month&key=2026-11', ann);
    expect(org.status).toBe(403);
    expect(org.headers.get('content-type')).toContain('application/problem+json');
    const bad = await getCsv('/v1/leaderboard.csv?teamId=hunters&period=month&metric=nope', ann);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path)).toEqual([
      'metric',
    ]);
    expect((await fetch(`${svc.baseUrl}/v1/leaderboard.csv?period=month`)).status).toBe(401);
    const bi = await token(tenantId, ['bi']);
    const whole = parse(await (await getCsv('/v1/leaderboard.csv?period=month&key=2026-11', bi)).text(), {
      columns: true,
    }) as Record<string, string>[];
    const orgJson = (await getJson<Board>(svc.baseUrl, '/v1/leaderboard?period=month&key=2026-11', bi)).body;
    // The org board has no team: an empty teamId cell, the reps that have snapshots.
    expect(whole.map((r) => [r['repId'], r['teamId']])).toEqual(orgJson.entries.map((e) => [e.repId, '']));
    expect(whole.length).toBeGreaterThan(0);
  });
});
