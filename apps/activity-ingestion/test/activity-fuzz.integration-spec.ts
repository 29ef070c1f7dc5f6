import fc from 'fast-check';
import { ACTIVITY_KINDS, ActivityKind, TOPICS } from '@pacer/contracts';
import { RunningService, startTestService, testKafka, TopicRecorder } from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { sampleActivity } from './activity-samples';

// Fields every kind requires; replacing one with a value of the wrong type always makes the item invalid.
const REQUIRED: Record<ActivityKind, string[]> = {
  call_logged: ['activityId', 'repId', 'occurredAt', 'outcome', 'durationSec'],
  email_sent: ['activityId', 'repId', 'occurredAt'],
  meeting_scheduled: ['activityId', 'repId', 'occurredAt', 'meetingId', 'scheduledFor'],
  meeting_held: ['activityId', 'repId', 'occurredAt', 'meetingId'],
  lead_created: ['activityId', 'repId', 'occurredAt', 'leadId'],
  opportunity_created: ['activityId', 'repId', 'occurredAt', 'opportunityId', 'amount', 'currency'],
  opportunity_stage_changed: ['activityId', 'repId', 'occurredAt', 'opportunityId', 'toStage'],
  deal_won: ['activityId', 'repId', 'occurredAt', 'dealId', 'opportunityId', 'amount', 'currency'],
  deal_lost: ['activityId', 'repId', 'occurredAt', 'dealId', 'opportunityId'],
  deal_cancelled: ['activityId', 'repId', 'occurredAt', 'dealId'],
};
const KNOWN = new Set(
  Object.values(REQUIRED).flat().concat(['kind', 'source', 'openedAt', 'credits', 'products', 'reason']),
);

const kindArb = fc.constantFrom(...ACTIVITY_KINDS);
/** Values that are never a valid string field (durationSec excepted, handled by `wrongFor`). */
const nonString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
);
const wrongFor = (field: string) =>
  field === 'durationSec'
    ? fc.oneof(fc.string(), fc.double({ noInteger: true }), fc.integer({ max: -1 }), fc.constant(null))
    : nonString;
/** Any key no activity has, Object.prototype member names included (they once slipped through the whitelist). */
const unknownKey = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !KNOWN.has(k)),
  fc.constantFrom(...Object.getOwnPropertyNames(Object.prototype)),
);
const idArb = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !s.includes('\u0000'));

/** A valid activity broken in exactly one way that validation must catch. */
const brokenActivity = kindArb.chain((kind) =>
  fc.oneof(
    // a required field removed
    fc.constantFrom(...REQUIRED[kind]).map((field) => {
      const { [field]: _, ...rest } = sampleActivity(kind);
      return rest;
    }),
    // a required field of the wrong type
    fc
      .constantFrom(...REQUIRED[kind])
      .chain((field) => wrongFor(field).map((value) => ({ ...sampleActivity(kind), [field]: value }))),
    // an unknown field
    fc.tuple(unknownKey, fc.jsonValue()).map(([key, value]) => ({ ...sampleActivity(kind), [key]: value })),
    // a malformed instant, amount or kind
    fc
      .string({ maxLength: 30 })
      .filter((s) => !/^\d{4}-\d{2}-\d{2}T/.test(s))
      .map((occurredAt) => ({ ...sampleActivity(kind), occurredAt })),
    fc
      .string({ maxLength: 12 })
      .filter((k) => !(ACTIVITY_KINDS as readonly string[]).includes(k))
      .map((k) => ({ ...sampleActivity(kind), kind: k })),
    fc
      .constantFrom('-1', '1.001', '1e3', '0x10', '', ' 1', 'NaN')
      .map((amount) => ({ ...sampleActivity('deal_won'), amount })),
    // credits that do not sum to exactly 1
    fc
      .array(fc.tuple(idArb, fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 4 })
      .filter((parts) => parts.reduce((s, [, n]) => s + n, 0) !== 10)
      .map((parts) => ({
        ...sampleActivity('deal_won'),
        credits: parts.map(([repId, n], i) => ({ repId: `${repId}-${i}`, share: `0.${n}` })),
      })),
  ),
);

/** Raw request bodies: broken activities, arbitrary JSON that is no activity, and text that is not JSON. */
const body = fc.oneof(
  brokenActivity.map((a) => JSON.stringify(a)),
  fc
    .jsonValue()
    .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !('kind' in v))
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);

describe('activity-ingestion: fuzzed malformed bodies', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  let client: ActivityClient;

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.activities)]).start();
    client = await ActivityClient.as(svc.baseUrl, 'fuzz-t', ['ingest']);
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  it('answers every malformed single activity with a 4xx problem document, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const res = await client.post('/v1/activities', raw, 'application/json');
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.contentType).toContain('application/problem+json');
        expect(res.body).toMatchObject({
          type: expect.stringMatching(/^urn:pacer:problem:/),
          status: res.status,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('rejects every broken item of a batch or an import line by line, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(brokenActivity, { minLength: 1, maxLength: 20 }), async (items) => {
        const batch = await client.post('/v1/activities:batch', items);
        expect(batch.status).toBe(202);
        expect(batch.body.results.every((r: { status: string }) => r.status === 'rejected')).toBe(true);
        const ndjson = items.map((i) => JSON.stringify(i)).join('\n');
        const imported = await client.post('/v1/activities/import', ndjson, 'application/x-ndjson');
        expect(imported.status).toBe(202);
        expect(imported.body).toMatchObject({ accepted: 0, duplicates: 0, rejectedCount: items.length });
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        for (const type of ['application/x-ndjson', 'text/csv']) {
          const res = await client.post('/v1/activities/import', Buffer.from(bytes), type);
          expect(res.status).toBeLessThan(500);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('published nothing and stored nothing', async () => {
    const [{ n }] = await svc.dataSource.query(`SELECT count(*)::int AS n FROM events`);
    expect(n).toBe(0);
    const [{ o }] = await svc.dataSource.query(`SELECT count(*)::int AS o FROM outbox`);
    expect(o).toBe(0);
    expect(recorder.records).toHaveLength(0);
  });
});
