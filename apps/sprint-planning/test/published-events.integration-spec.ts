import { parseCloudEvent, TOPICS } from '@pacer/contracts';
import {
  pollUntil,
  RunningService,
  startTestService,
  TopicRecorder,
  testKafka,
  uniqueName,
} from '@pacer/testing';
import { SprintPlanningService } from '../src/app.module';
import { Call, client, dateFromToday } from './support/sprint-planning.harness';

// Every state change leaves through the outbox as SPEC §2 CloudEvents, on the right topic and key.
describe('sprint-planning publishes roster and sprint events', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  const tenant = uniqueName('pub');
  let admin: Call;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    recorder = await new TopicRecorder(testKafka(), [
      svc.topic(TOPICS.roster),
      svc.topic(TOPICS.sprints),
    ]).start();
    admin = await client(svc, tenant, ['admin']);
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  function events(topic: string) {
    return recorder.records
      .filter((r) => r.topic === svc.topic(topic))
      .map((r) => {
        const parsed = parseCloudEvent(r.value ?? Buffer.alloc(0));
        if (!parsed.ok) throw new Error(`invalid event on ${topic}: ${parsed.error}`);
        return { key: r.key, event: parsed.event };
      });
  }

  it('publishes settings, team and membership changes to pacer.roster.v1', async () => {
    expect(
      (
        await admin('PUT', '/v1/settings', {
          timezone: 'Europe/Berlin',
          weekStartsOn: 1,
          fiscalYearStartMonth: 4,
        })
      ).status,
    ).toBe(200);
    // the same settings again change nothing and publish nothing
    expect(
      (
        await admin('PUT', '/v1/settings', {
          timezone: 'Europe/Berlin',
          weekStartsOn: 1,
          fiscalYearStartMonth: 4,
        })
      ).status,
    ).toBe(200);
    expect(
      (await admin('POST', '/v1/teams', { teamId: 'emea', name: 'EMEA', salesModel: 'assembly_line' }))
        .status,
    ).toBe(201);
    expect((await admin('PATCH', '/v1/teams/emea', { name: 'EMEA Sales' })).status).toBe(200);
    expect(
      (
        await admin('PUT', '/v1/teams/emea/members/ana', {
          name: 'Ana',
          role: 'SDR',
          effectiveFrom: '2026-01-05',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await admin('PUT', '/v1/teams/emea/members/ana', {
          name: 'Ana',
          role: 'AE',
          effectiveFrom: '2026-03-01T09:00:00+01:00',
        })
      ).status,
    ).toBe(200);
    expect((await admin('DELETE', '/v1/teams/emea/members/ana?effectiveTo=2026-06-01')).status).toBe(200);

    const all = await pollUntil(
      () => events(TOPICS.roster),
      (e) => e.length >= 6,
      { timeoutMs: 20_000, what: 'roster events' },
    );
    // Order holds per key (partition); settings and the team have different keys.
    const settings = all.filter((r) => r.key === `${tenant}:settings`);
    const team = all.filter((r) => r.key === `${tenant}:emea`);
    expect(settings.map((r) => r.event.type)).toEqual(['pacer.roster.settings_updated.v1']);
    const roster = [...settings, ...team];
    expect(roster.map((r) => r.event.type)).toEqual([
      'pacer.roster.settings_updated.v1',
      'pacer.roster.team_created.v1',
      'pacer.roster.team_renamed.v1',
      'pacer.roster.member_joined.v1',
      'pacer.roster.member_role_changed.v1',
      'pacer.roster.member_left.v1',
    ]);
    expect(roster[0]).toMatchObject({
      key: `${tenant}:settings`,
      event: { data: { timezone: 'Europe/Berlin', fiscalYearStartMonth: 4 } },
    });
    expect(roster[2]?.event.data).toEqual({
      teamId: 'emea',
      name: 'EMEA Sales',
      salesModel: 'assembly_line',
    });
    // dates are tenant-local midnight (Berlin, winter: UTC+1); instants are kept as the moment given
    expect(roster[3]?.event.data).toEqual({
      teamId: 'emea',
      repId: 'ana',
      name: 'Ana',
      role: 'SDR',
      effectiveFrom: '2026-01-04T23:00:00.000Z',
    });
    expect(roster[4]?.event.data).toMatchObject({ role: 'AE', effectiveFrom: '2026-03-01T08:00:00.000Z' });
    expect(roster[5]?.event.data).toEqual({
      teamId: 'emea',
      repId: 'ana',
      effectiveTo: '2026-05-31T22:00:00.000Z',
    });
    expect(roster[3]?.event).toMatchObject({
      source: '/pacer/sprint-planning',
      subject: 'ana',
      tenantid: tenant,
    });
  });

  it('publishes the sprint lifecycle, commitments, items, carry-over and the report to pacer.sprints.v1', async () => {
    await admin('PUT', '/v1/teams/emea/members/bo', { name: 'Bo', role: 'AE', effectiveFrom: '2026-01-01' });
    const s1 = await admin('POST', '/v1/teams/emea/sprints', {
      sprintId: 's1',
      startDate: dateFromToday(-3),
      lengthDays: 7,
      goal: 'demos',
    });
    expect(s1.status).toBe(201);
    expect(s1.body).toMatchObject({ sprintId: 's1', status: 'planned', timezone: 'Europe/Berlin' });
    expect(
      (
        await admin('POST', '/v1/teams/emea/sprints', {
          sprintId: 's2',
          startDate: dateFromToday(4),
          goal: 'next',
        })
      ).status,
    ).toBe(201);
    const put = await admin('PUT', '/v1/sprints/s1/commitments/bo', {
      targets: { calls: 40, revenueWon: '5000' },
      items: [
        { itemId: 'i1', title: 'ACME contract', opportunityId: 'opp-1', dueDate: dateFromToday(1) },
        { itemId: 'i2', title: 'Globex demo' },
      ],
    });
    expect(put.status).toBe(200);
    expect((await admin('POST', '/v1/sprints/s1/start')).status).toBe(200);
    expect((await admin('PATCH', '/v1/sprints/s1/items/i1', { status: 'done' })).status).toBe(200);
    expect((await admin('PATCH', '/v1/sprints/s1/items/i2', { status: 'doing' })).status).toBe(200);
    expect((await admin('POST', '/v1/sprints/s1/close')).status).toBe(200);

    const sprints = await pollUntil(
      () => events(TOPICS.sprints),
      (e) => e.length >= 11,
      { timeoutMs: 20_000, what: 'sprint events' },
    );
    // Order holds per key: s1's own history, and s2's (a carry-over is keyed by the receiving sprint).
    const s1Events = sprints.filter((r) => r.key === `${tenant}:s1`);
    const s2Events = sprints.filter((r) => r.key === `${tenant}:s2`);
    expect(s1Events.map((r) => r.event.type)).toEqual([
      'pacer.sprint.planned.v1',
      'pacer.sprint.commitment_set.v1',
      'pacer.sprint.started.v1',
      'pacer.sprint.item_status_changed.v1',
      'pacer.sprint.item_status_changed.v1',
      'pacer.sprint.closed.v1',
      'pacer.sprint.report_published.v1',
    ]);
    expect(s2Events.map((r) => r.event.type)).toEqual([
      'pacer.sprint.planned.v1',
      'pacer.sprint.items_carried_over.v1',
      'pacer.sprint.commitment_set.v1',
      'pacer.sprint.item_status_changed.v1',
    ]);
    const [planned, commitment, , , , closed, report] = s1Events;
    const [, carried, carriedCommitment, carriedStatus] = s2Events;
    expect(planned).toMatchObject({
      key: `${tenant}:s1`,
      event: {
        subject: 's1',
        data: { sprintId: 's1', teamId: 'emea', lengthDays: 7, goal: 'demos', timezone: 'Europe/Berlin' },
      },
    });
    expect(commitment?.event.data).toEqual({
      sprintId: 's1',
      teamId: 'emea',
      repId: 'bo',
      // v1 keeps numbers in `targets` for BI; `targetValues` has money as a decimal string.
      targets: { calls: 40, revenueWon: 5000 },
      targetValues: { calls: 40, revenueWon: '5000.00' },
      items: [
        { itemId: 'i1', title: 'ACME contract', opportunityId: 'opp-1', dueDate: dateFromToday(1) },
        { itemId: 'i2', title: 'Globex demo' },
      ],
    });
    expect(carried).toMatchObject({
      key: `${tenant}:s2`,
      event: {
        subject: 's2',
        data: { fromSprintId: 's1', toSprintId: 's2', teamId: 'emea', itemIds: ['i2'] },
      },
    });
    expect(closed).toMatchObject({
      key: `${tenant}:s1`,
      event: { data: { sprintId: 's1', teamId: 'emea' } },
    });
    expect(report?.key).toBe(`${tenant}:s1`);
    expect(report?.event.data).toMatchObject({
      sprintId: 's1',
      teamId: 'emea',
      reps: [
        {
          repId: 'bo',
          targets: [
            { metric: 'calls', planned: 40, actual: 0, ratio: 0 },
            { metric: 'revenueWon', planned: 5000, actual: 0, ratio: 0 },
          ],
          completionRatio: 0,
          itemsTotal: 2,
          itemsDone: 1,
          itemsCarriedOver: 1,
        },
      ],
      team: { completionRatio: 0, itemsTotal: 2, itemsDone: 1, itemsCarriedOver: 1 },
    });
    // the receiving sprint's key restates the rep's commitment there, and the moved item keeps its status
    expect(carriedCommitment).toMatchObject({
      key: `${tenant}:s2`,
      event: {
        data: { sprintId: 's2', repId: 'bo', targets: {}, items: [{ itemId: 'i2', title: 'Globex demo' }] },
      },
    });
    expect(carriedStatus).toMatchObject({
      key: `${tenant}:s2`,
      event: { data: { sprintId: 's2', itemId: 'i2', status: 'doing' } },
    });
    // every event id is unique
    expect(new Set(sprints.map((s) => s.event.id)).size).toBe(sprints.length);
  });
});
