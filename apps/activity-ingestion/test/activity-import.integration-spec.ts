import { Readable } from 'node:stream';
import { mintToken } from '@pacer/auth';
import { TOPICS } from '@pacer/contracts';
import {
  pollUntil,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  testKafka,
  TopicRecorder,
} from '@pacer/testing';
import { acceptedEventId } from '../src/activities/activity-event.factory';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient, postStream } from './activity-client';
import { sampleActivity } from './activity-samples';

const LINES = 100_000;

/** Line i+1 of the big file: mostly valid, one bad line in every thousand, a repeat and a conflict at the end. */
function bigLine(i: number): string {
  if (i === LINES - 1) return JSON.stringify(sampleActivity('call_logged', 'big-0', 'rep-0')); // same as line 1
  if (i === LINES - 2)
    return JSON.stringify({
      ...sampleActivity('email_sent', 'big-1', 'rep-1'),
      occurredAt: '2026-11-28T00:00:00Z',
    });
  if (i % 1000 === 500) {
    switch (Math.floor(i / 1000) % 4) {
      case 0:
        return '{"activityId": "truncated';
      case 1:
        return JSON.stringify({ ...sampleActivity('email_sent', `big-${i}`), colour: 'blue' });
      case 2:
        return JSON.stringify({ ...sampleActivity('opportunity_created', `big-${i}`), amount: '12.345' });
      default:
        return JSON.stringify([1, 2, 3]);
    }
  }
  return JSON.stringify(sampleActivity(i % 2 ? 'email_sent' : 'call_logged', `big-${i}`, `rep-${i % 7}`));
}

function body(count: number, line: (i: number) => string): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < count; i += 500) {
        yield `${Array.from({ length: Math.min(500, count - i) }, (_, k) => line(i + k)).join('\n')}\n`;
      }
    })(),
  );
}

describe('activity-ingestion: streamed imports', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  let token: string;
  const tenant = 'import-t';

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService, { PACER_OUTBOX_BATCH_SIZE: '2000' });
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.activities)]).start();
    token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['ingest'] });
  });
  afterAll(async () => {
    await recorder?.stop();
    await svc?.close();
  });

  const url = () => `${svc.baseUrl}/v1/activities/import`;

  it('imports 100k NDJSON lines: exact counts, every bad line by number, every accepted activity on the topic once', async () => {
    const res = await postStream(url(), token, 'application/x-ndjson', body(LINES, bigLine));
    const badLines = Array.from({ length: LINES }, (_, i) => i)
      .filter((i) => i % 1000 === 500)
      .map((i) => i + 1);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      accepted: LINES - badLines.length - 2,
      duplicates: 1,
      rejectedCount: badLines.length + 1,
      rejectedTruncated: false,
      lines: LINES,
    });
    expect(res.body.rejected.map((r: any) => r.line)).toEqual([...badLines, LINES - 1]);
    expect(res.body.rejected[0]).toEqual({
      line: 501,
      reason: 'invalid',
      errors: [{ path: '', message: expect.stringContaining('not valid JSON') }],
    });
    expect(res.body.rejected[1]).toEqual({
      line: 1501,
      activityId: 'big-1500',
      reason: 'invalid',
      errors: [{ path: 'colour', message: expect.any(String) }],
    });
    expect(res.body.rejected[2]).toMatchObject({ line: 2501, errors: [{ path: 'amount' }] });
    expect(res.body.rejected[3]).toMatchObject({
      line: 3501,
      errors: [{ path: '', message: 'an activity must be a JSON object' }],
    });
    expect(res.body.rejected.at(-1)).toMatchObject({
      line: LINES - 1,
      activityId: 'big-1',
      reason: 'conflict',
      errors: expect.arrayContaining([{ path: 'occurredAt', message: expect.any(String) }]),
    });

    const expected = new Set(
      Array.from({ length: LINES - 2 }, (_, i) => i)
        .filter((i) => i % 1000 !== 500)
        .map((i) => acceptedEventId(tenant, `big-${i}`)),
    );
    await pollUntil(
      () => recorder.records.length,
      (n) => n >= expected.size,
      { timeoutMs: 120_000, intervalMs: 500, what: 'all accepted activities on the topic' },
    );
    const ids = recorder.json<{ id: string }>().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => expected.has(id))).toHaveLength(expected.size);
    expect(ids).toHaveLength(expected.size);
  });

  it('re-sending a file is safe: every line is a duplicate and nothing is published again', async () => {
    const before = recorder.records.length;
    const res = await postStream(
      url(),
      token,
      'application/x-ndjson',
      body(2000, (i) => (i % 1000 === 500 ? bigLine(i + 1) : bigLine(i))),
    );
    expect(res.body).toMatchObject({ accepted: 0, duplicates: 2000, rejectedCount: 0 });
    const marker = await postStream(
      url(),
      token,
      'application/x-ndjson',
      body(1, () => JSON.stringify(sampleActivity('email_sent', 'after-resend', 'rep-0'))),
    );
    expect(marker.body.accepted).toBe(1);
    await pollUntil(
      () => recorder.json<{ id: string }>().some((e) => e.id === acceptedEventId(tenant, 'after-resend')),
      Boolean,
      { timeoutMs: 30_000, what: 'marker' },
    );
    expect(recorder.records.length).toBe(before + 1);
  });

  it('imports CSV with a header row: mixed kinds, compact credits, JSON products, quoted text, bad rows by line', async () => {
    const csv = [
      'activityId,kind,repId,occurredAt,outcome,durationSec,amount,currency,dealId,opportunityId,credits,products,reason',
      'csv-1,call_logged,rep-1,2026-11-27T09:30:00Z,no_answer,0,,,,,,,',
      'csv-2,deal_won,rep-1,2026-11-27T10:00:00+01:00,,,1000,USD,d-1,o-1,rep-1:0.75;rep-2:0.25,"[{""productId"":""p-1"",""quantity"":3}]",',
      'csv-3,deal_lost,rep-2,2026-11-27T11:00:00Z,,,,,d-2,o-2,,,"lost to ""Acme"", again"',
      'csv-4,call_logged,rep-1,2026-11-27T09:30:00Z,connected,soon,,,,,,,',
      'csv-5,deal_won,rep-1,2026-11-27T10:00:00Z,,,1000,USD,d-3,o-3,rep-1:0.75;rep-2:0.2,,',
      'csv-6,email_sent,rep-1',
    ].join('\r\n');
    const res = await postStream(url(), token, 'text/csv; charset=utf-8', Readable.from([csv]));
    expect(res.body).toMatchObject({ accepted: 3, duplicates: 0, rejectedCount: 3 });
    expect(res.body.rejected).toEqual([
      {
        line: 5,
        activityId: 'csv-4',
        reason: 'invalid',
        errors: [{ path: 'durationSec', message: 'durationSec must be an integer number' }],
      },
      {
        line: 6,
        activityId: 'csv-5',
        reason: 'invalid',
        errors: [{ path: 'credits', message: 'shares must sum to exactly 1' }],
      },
      {
        line: 7,
        reason: 'invalid',
        errors: [{ path: '', message: 'the row has 3 fields, the header has 13' }],
      },
    ]);
    const client = await ActivityClient.as(svc.baseUrl, tenant, ['ingest']);
    expect((await client.get('/v1/activities/csv-2')).body.activity).toEqual({
      activityId: 'csv-2',
      kind: 'deal_won',
      repId: 'rep-1',
      occurredAt: '2026-11-27T10:00:00+01:00',
      opportunityId: 'o-1',
      dealId: 'd-1',
      amount: '1000.00',
      currency: 'USD',
      credits: [
        { repId: 'rep-1', share: '0.75' },
        { repId: 'rep-2', share: '0.25' },
      ],
      products: [{ productId: 'p-1', quantity: 3 }],
    });
    expect((await client.get('/v1/activities/csv-3')).body.activity.reason).toBe('lost to "Acme", again');
  });

  it("rejects a rep's lines for other reps one by one, and caps the listed rejections", async () => {
    const repToken = await mintToken({
      secret: TEST_JWT_SECRET,
      tenantId: tenant,
      roles: ['rep'],
      repId: 'rep-own',
    });
    const mixed = [
      sampleActivity('email_sent', 'rep-own-1', 'rep-own'),
      sampleActivity('email_sent', 'rep-other-1', 'rep-other'),
    ]
      .map((a) => JSON.stringify(a))
      .join('\n');
    const res = await postStream(url(), repToken, 'application/x-ndjson', Readable.from([mixed]));
    expect(res.body).toMatchObject({
      accepted: 1,
      rejected: [{ line: 2, activityId: 'rep-other-1', reason: 'forbidden' }],
    });

    const garbage = await postStream(
      url(),
      token,
      'application/x-ndjson',
      body(1500, () => 'nope'),
    );
    expect(garbage.body).toMatchObject({ accepted: 0, rejectedCount: 1500, rejectedTruncated: true });
    expect(garbage.body.rejected).toHaveLength(1000);
    expect(garbage.body.rejected.at(-1).line).toBe(1000);
  });
});
