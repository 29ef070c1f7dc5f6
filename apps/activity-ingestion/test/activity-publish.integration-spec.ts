import { ACTIVITY_KINDS, parseCloudEvent, TOPICS } from '@pacer/contracts';
import { pollUntil, RunningService, startTestService, testKafka, TopicRecorder } from '@pacer/testing';
import { acceptedEventId, voidedEventId } from '../src/activities/activity-event.factory';
import { validateActivity } from '../src/activities/activity.validator';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { sampleActivity } from './activity-samples';

describe('activity-ingestion: from HTTP to pacer.activities.v1, exactly once', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  const tenant = 'pub-tenant';
  let ingest: ActivityClient;

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.activities)]).start();
    ingest = await ActivityClient.as(svc.baseUrl, tenant, ['ingest']);
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  const events = () => recorder.json<any>();
  const withId = (id: string) => events().filter((e) => e.id === id);

  /** Publishes a marker on the rep's key (same partition) and waits for it: whatever was published before it is in. */
  async function settle(repId: string): Promise<void> {
    const id = `marker-${Math.random().toString(36).slice(2)}`;
    expect((await ingest.post('/v1/activities', sampleActivity('email_sent', id, repId))).status).toBe(202);
    await pollUntil(
      () => withId(acceptedEventId(tenant, id)).length,
      (n) => n === 1,
      { timeoutMs: 30_000, what: `marker ${id}` },
    );
  }

  it('publishes each of the ten kinds as a CloudEvent with the SPEC §2 envelope, key and data', async () => {
    for (const kind of ACTIVITY_KINDS) {
      const res = await ingest.post('/v1/activities', sampleActivity(kind, `rt-${kind}`, 'rep-rt'));
      expect(res).toMatchObject({ status: 202, body: { activityId: `rt-${kind}`, status: 'accepted' } });
    }
    await pollUntil(
      () => recorder.records.filter((r) => r.key === `${tenant}:rep-rt`).length,
      (n) => n === 10,
      {
        timeoutMs: 30_000,
        what: 'ten activities on the topic',
      },
    );
    for (const kind of ACTIVITY_KINDS) {
      const id = acceptedEventId(tenant, `rt-${kind}`);
      const record = recorder.records.find((r) => r.value && JSON.parse(r.value.toString()).id === id);
      expect(record?.key).toBe(`${tenant}:rep-rt`);
      const parsed = parseCloudEvent(record?.value ?? Buffer.alloc(0));
      if (!parsed.ok) throw new Error(`not a valid CloudEvent: ${JSON.stringify(parsed)}`);
      const expected = validateActivity(sampleActivity(kind, `rt-${kind}`, 'rep-rt'));
      expect(parsed.event).toEqual({
        specversion: '1.0',
        id,
        source: '/pacer/activity-ingestion',
        type: `pacer.activity.${kind}.v1`,
        time: '2026-11-27T09:30:00+01:00',
        subject: 'rep-rt',
        datacontenttype: 'application/json',
        dataschema: `urn:pacer:schema:pacer.activity.${kind}.v1`,
        tenantid: tenant,
        recordedtime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        // SPEC §6: who recorded it (the test token's sub and its one writing role)
        recordedby: 'dev',
        recordedrole: 'ingest',
        data: expected.ok ? expected.activity : undefined,
      });
    }
  });

  it('answers a repeat with the same payload as duplicate and publishes nothing again; another payload is a 409 naming the fields', async () => {
    const activity = sampleActivity('deal_won', 'dup-1', 'rep-dup');
    expect((await ingest.post('/v1/activities', activity)).body).toEqual({
      activityId: 'dup-1',
      status: 'accepted',
    });
    // Same activity, other spelling of the same values and another field order: still the same payload.
    const respelled = {
      ...activity,
      amount: '48000.50',
      credits: [
        { share: '0.5', repId: 'rep-dup' },
        { repId: 'rep-2', share: '0.50' },
      ],
    };
    expect((await ingest.post('/v1/activities', respelled)).body).toEqual({
      activityId: 'dup-1',
      status: 'duplicate',
    });
    const changed = await ingest.post('/v1/activities', { ...activity, amount: '1.00', currency: 'USD' });
    expect(changed.status).toBe(409);
    expect(changed.contentType).toContain('application/problem+json');
    expect(changed.body).toMatchObject({
      type: 'urn:pacer:problem:activity-conflict',
      activityId: 'dup-1',
      conflictingFields: ['amount', 'currency'],
    });
    await settle('rep-dup');
    expect(withId(acceptedEventId(tenant, 'dup-1'))).toHaveLength(1);
  });

  it('publishes once when 20 requests with the same id race', async () => {
    const activity = sampleActivity('call_logged', 'race-1', 'rep-race');
    const replies = await Promise.all(
      Array.from({ length: 20 }, () => ingest.post('/v1/activities', activity)),
    );
    expect(replies.every((r) => r.status === 202)).toBe(true);
    expect(replies.filter((r) => r.body.status === 'accepted')).toHaveLength(1);
    expect(replies.filter((r) => r.body.status === 'duplicate')).toHaveLength(19);
    // Racing with different payloads: one wins, every other is a conflict, never a second event.
    const variants = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        ingest.post('/v1/activities', {
          ...sampleActivity('call_logged', 'race-2', 'rep-race'),
          durationSec: i,
        }),
      ),
    );
    expect(variants.filter((r) => r.status === 202)).toHaveLength(1);
    expect(variants.filter((r) => r.status === 409)).toHaveLength(9);
    await settle('rep-race');
    expect(withId(acceptedEventId(tenant, 'race-1'))).toHaveLength(1);
    expect(withId(acceptedEventId(tenant, 'race-2'))).toHaveLength(1);
    const [{ n }] = await svc.dataSource.query(
      `SELECT count(*)::int AS n FROM events WHERE data ->> 'activityId' LIKE 'race-%'`,
    );
    expect(n).toBe(2);
  });

  it('voids an activity once: pacer.activity.voided.v1 with the original, then already_voided; unknown ids are 404', async () => {
    const activity = sampleActivity('deal_won', 'void-1', 'rep-void');
    await ingest.post('/v1/activities', activity);
    const first = await ingest.post('/v1/activities/void-1/void', { reason: 'entered twice' });
    expect(first).toMatchObject({ status: 202, body: { activityId: 'void-1', status: 'voided' } });
    const again = await ingest.post('/v1/activities/void-1/void', { reason: 'still wrong' });
    expect(again).toMatchObject({ status: 200, body: { activityId: 'void-1', status: 'already_voided' } });
    expect((await ingest.post('/v1/activities/nope/void', { reason: 'x' })).status).toBe(404);
    expect((await ingest.post('/v1/activities/void-1/void', { reason: '' })).status).toBe(400);
    expect((await ingest.post('/v1/activities/void-1/void', { reason: 'x', extra: 1 })).status).toBe(400);

    await pollUntil(
      () => withId(voidedEventId(tenant, 'void-1')).length,
      (n) => n === 1,
      { timeoutMs: 30_000, what: 'the void' },
    );
    const [voided] = withId(voidedEventId(tenant, 'void-1'));
    const original = validateActivity(activity);
    expect(voided).toMatchObject({
      type: 'pacer.activity.voided.v1',
      subject: 'rep-void',
      tenantid: tenant,
      data: {
        activityId: 'void-1',
        repId: 'rep-void',
        reason: 'entered twice',
        voidedKind: 'deal_won',
        voidedOccurredAt: '2026-11-27T09:30:00+01:00',
        voidedActivity: original.ok ? original.activity : undefined,
      },
    });
    const record = recorder.records.find((r) => r.value && JSON.parse(r.value.toString()).id === voided.id);
    expect(record?.key).toBe(`${tenant}:rep-void`);
    expect(parseCloudEvent(record?.value ?? Buffer.alloc(0)).ok).toBe(true);
    await settle('rep-void');
    expect(withId(voidedEventId(tenant, 'void-1'))).toHaveLength(1);

    // Listed with its void; resubmitting it is still a duplicate (the id stays taken).
    const listed = await ingest.get('/v1/activities?repId=rep-void&kind=deal_won');
    expect(listed.body.items).toEqual([
      expect.objectContaining({
        voided: true,
        voidReason: 'entered twice',
        activity: expect.objectContaining({ activityId: 'void-1' }),
      }),
    ]);
    expect((await ingest.post('/v1/activities', activity)).body.status).toBe('duplicate');
  });

  it('takes a batch: one result per item in order, valid items through, paths relative to the item', async () => {
    const items = [
      sampleActivity('email_sent', 'b-1', 'rep-batch'),
      { ...sampleActivity('opportunity_created', 'b-2', 'rep-batch'), amount: '12.345' },
      sampleActivity('email_sent', 'b-1', 'rep-batch'),
      'not an object',
      { ...sampleActivity('deal_won', 'b-3', 'rep-batch'), credits: [{ repId: 'x', share: '0.7' }] },
      sampleActivity('meeting_held', 'b-4', 'rep-batch'),
    ];
    const res = await ingest.post('/v1/activities:batch', items);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      results: [
        { index: 0, activityId: 'b-1', status: 'accepted' },
        {
          index: 1,
          activityId: 'b-2',
          status: 'rejected',
          reason: 'invalid',
          errors: [{ path: 'amount', message: expect.any(String) }],
        },
        { index: 2, activityId: 'b-1', status: 'duplicate' },
        {
          index: 3,
          status: 'rejected',
          reason: 'invalid',
          errors: [{ path: '', message: 'an activity must be a JSON object' }],
        },
        {
          index: 4,
          activityId: 'b-3',
          status: 'rejected',
          reason: 'invalid',
          errors: [{ path: 'credits', message: 'shares must sum to exactly 1' }],
        },
        { index: 5, activityId: 'b-4', status: 'accepted' },
      ],
      accepted: 2,
      duplicates: 1,
      rejected: 3,
    });
    await settle('rep-batch');
    expect(withId(acceptedEventId(tenant, 'b-1'))).toHaveLength(1);
    expect(withId(acceptedEventId(tenant, 'b-2'))).toHaveLength(0);

    const tooMany = await ingest.post(
      '/v1/activities:batch',
      Array.from({ length: 1001 }, (_, i) => sampleActivity('email_sent', `big-${i}`)),
    );
    expect(tooMany).toMatchObject({ status: 400, body: { type: 'urn:pacer:problem:validation-failed' } });
    expect((await ingest.post('/v1/activities:batch', [])).status).toBe(400);
    expect((await ingest.post('/v1/activities:batch', { not: 'an array' })).status).toBe(400);
    const full = await ingest.post(
      '/v1/activities:batch',
      Array.from({ length: 1000 }, (_, i) => sampleActivity('email_sent', `full-${i}`)),
    );
    expect(full).toMatchObject({ status: 202, body: { accepted: 1000 } });
  });
});
