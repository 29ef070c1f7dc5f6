import { Role } from '@pacer/auth';
import { TOPICS } from '@pacer/contracts';
import {
  pollUntil,
  RunningService,
  startTestService,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { sampleActivity } from './activity-samples';

// SPEC §6: activities carry who recorded them (CloudEvent recordedby/recordedrole, API recordedBy),
// and who may void them follows from it.
describe('activity-ingestion: who recorded an activity, and who may void it', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  const tenant = uniqueName('recorded-by');
  let ana: ActivityClient;
  let bo: ActivityClient;
  let crm: ActivityClient;
  let admin: ActivityClient;

  const as = (roles: Role[], subject: string, repId?: string, tenantId = tenant): Promise<ActivityClient> =>
    ActivityClient.asSubject(svc.baseUrl, tenantId, roles, subject, repId);

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.activities)]).start();
    ana = await as(['rep'], 'user-ana', 'ana');
    bo = await as(['rep'], 'user-bo', 'bo');
    crm = await as(['ingest'], 'svc-hubspot');
    // A token with several roles records in the most privileged one the endpoint allows.
    admin = await as(['rep', 'admin'], 'user-admin', 'adm');

    expect((await ana.post('/v1/activities', sampleActivity('deal_won', 'ana-deal', 'ana'))).status).toBe(
      202,
    );
    expect(
      (await bo.post('/v1/activities:batch', [sampleActivity('email_sent', 'bo-mail', 'bo')])).body.accepted,
    ).toBe(1);
    const csv = [
      'activityId,kind,repId,occurredAt',
      'crm-mail,email_sent,ana,2026-11-27T09:30:00Z',
      'crm-mail-2,email_sent,ana,2026-11-27T09:31:00Z',
    ].join('\n');
    expect((await crm.post('/v1/activities/import', csv, 'text/csv')).body).toMatchObject({ accepted: 2 });
    expect(
      (await admin.post('/v1/activities', sampleActivity('email_sent', 'admin-mail', 'ana'))).status,
    ).toBe(202);
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  it('publishes recordedby and recordedrole on every accepted activity', async () => {
    const events = await pollUntil(
      () =>
        recorder.json<{
          type: string;
          recordedby?: string;
          recordedrole?: string;
          data: { activityId: string };
        }>(),
      (e) => e.length >= 5,
      { timeoutMs: 20_000, what: 'the five activities on the topic' },
    );
    const who = Object.fromEntries(events.map((e) => [e.data.activityId, [e.recordedby, e.recordedrole]]));
    expect(who).toEqual({
      'ana-deal': ['user-ana', 'rep'],
      'bo-mail': ['user-bo', 'rep'],
      'crm-mail': ['svc-hubspot', 'ingest'],
      'crm-mail-2': ['svc-hubspot', 'ingest'],
      'admin-mail': ['user-admin', 'admin'],
    });
  });

  it('shows recordedBy in the activity API', async () => {
    const page = await admin.get('/v1/activities?limit=10');
    const who = Object.fromEntries(
      (page.body.items as { activity: { activityId: string }; recordedBy: unknown }[]).map((i) => [
        i.activity.activityId,
        i.recordedBy,
      ]),
    );
    expect(who).toEqual({
      'ana-deal': { sub: 'user-ana', role: 'rep' },
      'bo-mail': { sub: 'user-bo', role: 'rep' },
      'crm-mail': { sub: 'svc-hubspot', role: 'ingest' },
      'crm-mail-2': { sub: 'svc-hubspot', role: 'ingest' },
      'admin-mail': { sub: 'user-admin', role: 'admin' },
    });
    expect((await ana.get('/v1/activities/ana-deal')).body.recordedBy).toEqual({
      sub: 'user-ana',
      role: 'rep',
    });
  });

  it('lets a rep void only what it recorded, ingest only what ingest recorded, an admin anything', async () => {
    const refused = await ana.post('/v1/activities/crm-mail/void', { reason: 'not mine' });
    expect(refused).toMatchObject({
      status: 403,
      contentType: expect.stringContaining('application/problem+json'),
    });
    expect(refused.body.detail).toMatch(/voided by ingest or an admin/);
    expect((await ana.post('/v1/activities/admin-mail/void', { reason: 'x' })).status).toBe(403);
    expect((await ana.post('/v1/activities/bo-mail/void', { reason: 'x' })).status).toBe(403);
    expect((await crm.post('/v1/activities/ana-deal/void', { reason: 'x' })).status).toBe(403);

    expect((await ana.post('/v1/activities/ana-deal/void', { reason: 'typo' })).status).toBe(202);
    expect((await crm.post('/v1/activities/crm-mail/void', { reason: 'deleted in HubSpot' })).status).toBe(
      202,
    );
    expect((await admin.post('/v1/activities/bo-mail/void', { reason: 'duplicate' })).status).toBe(202);
    expect((await admin.post('/v1/activities/crm-mail-2/void', { reason: 'duplicate' })).status).toBe(202);

    // Another tenant's activity does not exist for the caller.
    const stranger = await as(['admin'], 'user-admin', undefined, uniqueName('stranger'));
    expect((await stranger.post('/v1/activities/admin-mail/void', { reason: 'x' })).status).toBe(404);
    const voided = (await admin.get('/v1/activities?limit=10')).body.items as {
      activity: { activityId: string };
      voided: boolean;
    }[];
    expect(
      voided
        .filter((i) => i.voided)
        .map((i) => i.activity.activityId)
        .sort(),
    ).toEqual(['ana-deal', 'bo-mail', 'crm-mail', 'crm-mail-2']);
  });
});
