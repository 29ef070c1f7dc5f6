import { DateTime } from 'luxon';
import { mintToken } from '@pacer/auth';
import {
  problemPaths,
  rawSender,
  RunningService,
  startTestService,
  TEST_JWT_SECRET,
  uniqueName,
} from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';
import { sampleActivity } from './activity-samples';

// SPEC §3 "Input rules" at every endpoint of activity-ingestion (issue 12): the time windows, the
// void body, NUL, deep JSON and prototype keys are 400/415 problems naming the field.
describe('activity-ingestion refuses hostile input with 400/415 problems naming the field', () => {
  let svc: RunningService;
  let token: string;
  const tenant = uniqueName('hostile');

  const send = rawSender<any>(
    () => svc.baseUrl,
    () => token,
  );

  const json = (value: unknown) => JSON.stringify(value);
  const paths = problemPaths;
  const inDays = (days: number) => DateTime.utc().plus({ days }).toISO()!;

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
    token = await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['admin'] });
    expect((await send('POST', '/v1/activities', json(sampleActivity('email_sent', 'e1')))).status).toBe(202);
  });

  afterAll(() => svc?.close());

  it.each([
    ['year 9999', '9999-12-31T23:59:59Z'],
    ['eight days ahead', inDays(8)],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['an offset of +25:00', '2026-11-27T09:30:00+25:00'],
  ])('occurredAt in %s is a 400 naming occurredAt', async (_, occurredAt) => {
    const res = await send(
      'POST',
      '/v1/activities',
      json({ ...sampleActivity('email_sent', 'late'), occurredAt }),
    );
    expect(res.status).toBe(400);
    expect(paths(res)).toEqual(['occurredAt']);
  });

  it('accepts occurredAt six days ahead, and openedAt / scheduledFor obey their windows', async () => {
    expect(
      (
        await send(
          'POST',
          '/v1/activities',
          json({ ...sampleActivity('email_sent', 'ahead'), occurredAt: inDays(6) }),
        )
      ).status,
    ).toBe(202);
    const opened = await send(
      'POST',
      '/v1/activities',
      json({ ...sampleActivity('deal_won', 'w1'), openedAt: '9999-12-31T23:59:59Z' }),
    );
    expect(paths(opened)).toEqual(['openedAt']);
    const meeting = await send(
      'POST',
      '/v1/activities',
      json({ ...sampleActivity('meeting_scheduled', 'm1'), scheduledFor: inDays(3700) }),
    );
    expect(paths(meeting)).toEqual(['scheduledFor']);
  });

  it('the void body: text/plain is a 415, none is a 400, NUL, deep JSON and __proto__ are 400s', async () => {
    expect((await send('POST', '/v1/activities/e1/void', json({ reason: 'x' }), 'text/plain')).status).toBe(
      415,
    );
    expect(paths(await send('POST', '/v1/activities/e1/void'))).toEqual(['']);
    expect(paths(await send('POST', '/v1/activities/e1/void', json({ reason: 'a\u0000b' })))).toEqual([
      'reason',
    ]);
    const deep = await send(
      'POST',
      '/v1/activities/e1/void',
      `{"reason":${'['.repeat(2000)}${']'.repeat(2000)}}`,
    );
    expect(deep.status).toBe(400);
    expect(paths(deep)[0]).toMatch(/^reason/);
    for (const key of ['__proto__', 'constructor']) {
      const res = await send('POST', '/v1/activities/e1/void', `{"reason":"x","${key}":{"reason":"y"}}`);
      expect(res.status).toBe(400);
      expect(paths(res)).toEqual([key]);
    }
    expect((await send('POST', '/v1/activities/e1/void', json({ reason: 'r'.repeat(2001) }))).status).toBe(
      400,
    );
  });

  it('an activity body as text/plain or without a type is a 415, an empty one a 400', async () => {
    expect(
      (await send('POST', '/v1/activities', json(sampleActivity('email_sent')), 'text/plain')).status,
    ).toBe(415);
    expect(
      (await send('POST', '/v1/activities:batch', json([sampleActivity('email_sent')]), null)).status,
    ).toBe(415);
    expect((await send('POST', '/v1/activities', '')).status).toBe(400);
  });

  it('ids with control characters or over 128 characters, and NUL in path and query, are 400s', async () => {
    const id = await send('POST', '/v1/activities', json(sampleActivity('email_sent', 'a\tb')));
    expect(paths(id)).toEqual(['activityId']);
    const long = await send(
      'POST',
      '/v1/activities',
      json({ ...sampleActivity('email_sent', 'long'), repId: 'r'.repeat(300) }),
    );
    expect(paths(long)).toEqual(['repId']);
    expect(paths(await send('GET', '/v1/activities/e%001'))).toEqual(['activityId']);
    expect(paths(await send('GET', '/v1/activities?repId=a%00'))).toEqual(['repId']);
  });
});
