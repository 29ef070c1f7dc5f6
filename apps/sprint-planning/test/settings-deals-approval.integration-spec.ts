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
import { Call, client } from './support/sprint-planning.harness';

// SPEC §6: dealsRequireApproval is a field of PUT /v1/settings (default false), returned by GET and
// published on pacer.roster.settings_updated.v1 for the commission service.
describe('settings: dealsRequireApproval', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  const tenant = uniqueName('approval');
  let admin: Call;

  beforeAll(async () => {
    svc = await startTestService(SprintPlanningService);
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.roster)]).start();
    admin = await client(svc, tenant, ['admin']);
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  function published(): { dealsRequireApproval?: boolean }[] {
    return recorder.records
      .filter((r) => r.key === `${tenant}:settings`)
      .map((r) => {
        const parsed = parseCloudEvent(r.value ?? Buffer.alloc(0));
        if (!parsed.ok) throw new Error(`invalid settings event: ${parsed.error}`);
        return parsed.event.data as { dealsRequireApproval?: boolean };
      });
  }

  it('defaults to false, is set and returned, published, and reset by a PUT that omits it', async () => {
    expect((await admin('GET', '/v1/settings')).body).toMatchObject({
      dealsRequireApproval: false,
      version: 0,
    });

    const on = await admin('PUT', '/v1/settings', { timezone: 'Europe/Oslo', dealsRequireApproval: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ timezone: 'Europe/Oslo', dealsRequireApproval: true });
    expect((await admin('GET', '/v1/settings')).body).toMatchObject({ dealsRequireApproval: true });

    // PUT is the whole document: an omitted field takes its default.
    const off = await admin('PUT', '/v1/settings', { timezone: 'Europe/Oslo' });
    expect(off.body).toMatchObject({ dealsRequireApproval: false });

    const events = await pollUntil(published, (e) => e.length >= 2, {
      timeoutMs: 20_000,
      what: 'settings events',
    });
    expect(events.map((d) => d.dealsRequireApproval)).toEqual([true, false]);
  });

  it('refuses a value that is not a boolean, naming the field', async () => {
    const res = await admin('PUT', '/v1/settings', { dealsRequireApproval: 'yes' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['dealsRequireApproval']);
  });

  it('survives a rebuild of the read models', async () => {
    expect((await admin('PUT', '/v1/settings', { dealsRequireApproval: true })).status).toBe(200);
    expect((await admin('POST', '/v1/admin/rebuild')).status).toBe(200);
    expect((await admin('GET', '/v1/settings')).body).toMatchObject({ dealsRequireApproval: true });
  });
});
