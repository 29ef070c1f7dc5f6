import { Producer } from 'kafkajs';
import { pollUntil, RunningService, startTestService, uniqueName } from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { sprintWindowOf } from '../src/domain/calendar/sprint-calendar';
import { Call, client, kpiProducer, kpiSnapshot, produceKpi } from './support/sprint-planning.harness';

// The request shapes of the shared black-box check (checks/sprint-check.mjs), with the KPI service's
// snapshots produced here instead of activities going through ingestion and KPI.
describe('the sprint API shapes the contract check relies on', () => {
  let svc: RunningService;
  let producer: Producer;
  let call: Call;
  const tenant = uniqueName('check');

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    producer = await kpiProducer();
    call = await client(svc, tenant, ['admin']);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await svc?.close();
  });

  // the check's own walker: the rep's actual calls anywhere in the board document
  function actualCalls(board: unknown): number | undefined {
    let found: number | undefined;
    (function walk(x: any): void {
      if (!x || typeof x !== 'object' || found !== undefined) return;
      if (x.repId === 's1')
        for (const k of ['actuals', 'actual'])
          if (x[k] && typeof x[k].calls === 'number') {
            found = x[k].calls;
            return;
          }
      for (const v of Object.values(x)) walk(v);
    })(board);
    return found;
  }

  it('runs the check flow: team, members by date, sprint, overlap refused, commitment, start, board, close, report', async () => {
    const startDate = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
    expect(
      (await call('POST', '/v1/teams', { teamId: 'alpha', name: 'Alpha', salesModel: 'island' })).status,
    ).toBeLessThan(300);
    for (const m of ['s1', 's2']) {
      expect(
        (
          await call('PUT', `/v1/teams/alpha/members/${m}`, {
            name: m,
            role: 'AE',
            effectiveFrom: '2026-01-01',
          })
        ).status,
      ).toBeLessThan(300);
    }
    const sprint = await call('POST', '/v1/teams/alpha/sprints', {
      startDate,
      lengthDays: 7,
      goal: 'book demos',
    });
    expect(sprint.status).toBeLessThan(300);
    const sprintId = sprint.body.sprintId;
    expect(sprintId).toEqual(expect.any(String));
    expect([400, 409, 422]).toContain(
      (await call('POST', '/v1/teams/alpha/sprints', { startDate, lengthDays: 7, goal: 'overlap' })).status,
    );
    const commitment = await call('PUT', `/v1/sprints/${sprintId}/commitments/s1`, {
      targets: { calls: 5, meetingsHeld: 1 },
      items: [{ itemId: 'i1', title: 'send ACME contract' }],
    });
    expect(commitment.status).toBeLessThan(300);
    expect((await call('POST', `/v1/sprints/${sprintId}/start`)).status).toBeLessThan(300);

    const board = async () => actualCalls((await call('GET', `/v1/sprints/${sprintId}/board`)).body);
    expect(await board()).toBe(0);
    const w = sprintWindowOf(sprintId, startDate, 7, 'UTC');
    const period = { type: 'sprint' as const, key: sprintId, start: w.start, end: w.end };
    await produceKpi(producer, svc, [
      kpiSnapshot({
        tenantId: tenant,
        scope: 'rep',
        scopeId: 's1',
        period,
        revision: 1,
        metrics: { calls: 3 },
      }),
    ]);
    await pollUntil(board, (n) => n === 3, { timeoutMs: 30_000, what: '3 calls' });
    await produceKpi(producer, svc, [
      kpiSnapshot({
        tenantId: tenant,
        scope: 'rep',
        scopeId: 's1',
        period,
        revision: 2,
        metrics: { calls: 2 },
      }),
    ]);
    await pollUntil(board, (n) => n === 2, { timeoutMs: 30_000, what: '2 calls after the void' });

    expect((await call('POST', `/v1/sprints/${sprintId}/close`)).status).toBeLessThan(300);
    expect((await call('GET', `/v1/sprints/${sprintId}/report`)).status).toBe(200);
  });
});
