import { Role } from '@pacer/auth';
import { RunningService, startTestService, uniqueName } from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { sampleActivity } from './activity-samples';

interface AuditRecord {
  actor: { sub: string; role: string };
  type: string;
  subject: Record<string, string>;
  summary: Record<string, unknown>;
}

// SPEC §6: every command records its actor in the same transaction as its effect; GET /v1/audit
// lists them for the tenant's admins.
describe('activity-ingestion: audit of recordings, imports and voids', () => {
  let svc: RunningService;
  const tenant = uniqueName('ingest-audit');

  const as = (roles: Role[], subject: string, repId?: string): Promise<ActivityClient> =>
    ActivityClient.asSubject(svc.baseUrl, tenant, roles, subject, repId);

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
  });
  afterAll(() => svc?.close());

  it('records who recorded, imported and voided which activities, and nothing for duplicates or refusals', async () => {
    const admin = await as(['admin'], 'user-admin');
    const rep = await as(['rep'], 'user-ana', 'ana');
    const crm = await as(['ingest'], 'svc-crm');

    expect((await admin.post('/v1/activities', sampleActivity('email_sent', 'a1', 'ana'))).status).toBe(202);
    const batch = await rep.post('/v1/activities:batch', [
      sampleActivity('email_sent', 'a2', 'ana'),
      sampleActivity('call_logged', 'a3', 'ana'),
      sampleActivity('email_sent', 'a1', 'ana'),
    ]);
    expect(batch.body).toMatchObject({ accepted: 2, duplicates: 1 });
    const ndjson = ['a4', 'a5']
      .map((id) => JSON.stringify(sampleActivity('email_sent', id, 'bo')))
      .join('\n');
    expect((await crm.post('/v1/activities/import', ndjson, 'application/x-ndjson')).body).toMatchObject({
      accepted: 2,
    });
    expect((await rep.post('/v1/activities/a2/void', { reason: 'typo' })).status).toBe(202);
    // Changes nothing, so no audit record: a duplicate, an already voided activity, a refused write.
    expect((await rep.post('/v1/activities', sampleActivity('email_sent', 'a2', 'ana'))).body.status).toBe(
      'duplicate',
    );
    expect((await rep.post('/v1/activities/a2/void', { reason: 'again' })).status).toBe(200);
    expect((await rep.post('/v1/activities', sampleActivity('email_sent', 'x1', 'bo'))).status).toBe(403);

    const page = await admin.get('/v1/audit');
    expect(page.status).toBe(200);
    const records = page.body.items as AuditRecord[];
    expect(records).toEqual([
      {
        id: expect.any(String),
        at: expect.any(String),
        actor: { sub: 'user-ana', role: 'rep' },
        type: 'activity.voided',
        subject: { activityId: 'a2', repId: 'ana' },
        summary: { kind: 'email_sent', reason: 'typo' },
      },
      expect.objectContaining({
        actor: { sub: 'svc-crm', role: 'ingest' },
        type: 'activities.imported',
        subject: {},
        summary: { accepted: 2, duplicates: 0, activityIds: ['a4', 'a5'] },
      }),
      expect.objectContaining({
        actor: { sub: 'user-ana', role: 'rep' },
        type: 'activities.recorded',
        summary: { accepted: 2, duplicates: 1, activityIds: ['a2', 'a3'] },
      }),
      expect.objectContaining({
        actor: { sub: 'user-admin', role: 'admin' },
        type: 'activity.recorded',
        subject: { activityId: 'a1', repId: 'ana' },
        summary: { accepted: 1, duplicates: 0, kind: 'email_sent' },
      }),
    ]);
    expect((await admin.get('/v1/audit?type=activity.voided')).body.items).toHaveLength(1);
    expect((await admin.get('/v1/audit?actor=svc-crm')).body.items).toHaveLength(1);
  });

  it('is for admins: reps and the CRM integration get 403, bad filters a problem naming the field', async () => {
    expect((await (await as(['rep'], 'user-ana', 'ana')).get('/v1/audit')).status).toBe(403);
    expect((await (await as(['ingest'], 'svc-crm')).get('/v1/audit')).status).toBe(403);
    const bad = await (await as(['admin'], 'user-admin')).get('/v1/audit?to=tomorrow');
    expect(bad).toMatchObject({
      status: 400,
      contentType: expect.stringContaining('application/problem+json'),
      body: { errors: [{ path: 'to' }] },
    });
  });
});
