import { mintToken } from '@pacer/auth';
import { RunningService, startTestService } from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';
import { ActivityClient } from './activity-client';
import { sampleActivity } from './activity-samples';

describe('activity-ingestion: auth, tenants, listing, limits', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService);
  });
  afterAll(() => svc?.close());

  it('answers 401 without a valid token and 403 to roles that may not write, as problem documents', async () => {
    const anonymous = await ActivityClient.anonymous(svc.baseUrl).post(
      '/v1/activities',
      sampleActivity('email_sent'),
    );
    expect(anonymous).toMatchObject({
      status: 401,
      contentType: expect.stringContaining('application/problem+json'),
    });
    const forged = await mintToken({ secret: 'not-the-secret', tenantId: 'auth-t', roles: ['admin'] });
    expect((await ActivityClient.anonymous(svc.baseUrl, forged).get('/v1/activities')).status).toBe(401);
    for (const role of ['manager', 'bi'] as const) {
      const client = await ActivityClient.as(svc.baseUrl, 'auth-t', [role]);
      const res = await client.post('/v1/activities', sampleActivity('email_sent'));
      expect(res).toMatchObject({ status: 403, body: { type: 'urn:pacer:problem:forbidden' } });
      expect((await client.post('/v1/activities/import', '', 'application/x-ndjson')).status).toBe(403);
      // Reads are open to every role of the tenant.
      expect((await client.get('/v1/activities')).status).toBe(200);
    }
    const admin = await ActivityClient.as(svc.baseUrl, 'auth-t', ['admin']);
    expect((await admin.post('/v1/activities', sampleActivity('email_sent', 'by-admin'))).status).toBe(202);
  });

  it('lets a rep write and see only its own activities', async () => {
    const rep = await ActivityClient.as(svc.baseUrl, 'rep-t', ['rep'], 'rep-a');
    expect(
      (await rep.post('/v1/activities', sampleActivity('call_logged', 'own-1', 'rep-a'))).body.status,
    ).toBe('accepted');
    const other = await rep.post('/v1/activities', sampleActivity('call_logged', 'other-1', 'rep-b'));
    expect(other).toMatchObject({ status: 403, body: { errors: [{ path: 'repId' }] } });
    const batch = await rep.post('/v1/activities:batch', [
      sampleActivity('email_sent', 'own-2', 'rep-a'),
      sampleActivity('email_sent', 'other-2', 'rep-b'),
    ]);
    expect(batch.body.results).toEqual([
      { index: 0, activityId: 'own-2', status: 'accepted' },
      {
        index: 1,
        activityId: 'other-2',
        status: 'rejected',
        reason: 'forbidden',
        errors: [{ path: 'repId', message: expect.any(String) }],
      },
    ]);
    const ingest = await ActivityClient.as(svc.baseUrl, 'rep-t', ['ingest']);
    await ingest.post('/v1/activities', sampleActivity('email_sent', 'theirs-1', 'rep-b'));

    const mine = await rep.get('/v1/activities');
    expect(mine.body.items.map((i: any) => i.activity.activityId).sort()).toEqual(['own-1', 'own-2']);
    expect((await rep.get('/v1/activities?repId=rep-b')).status).toBe(403);
    expect((await rep.get('/v1/activities/theirs-1')).status).toBe(403);
    expect((await rep.post('/v1/activities/theirs-1/void', { reason: 'not mine' })).status).toBe(403);
    expect((await rep.post('/v1/activities/own-1/void', { reason: 'wrong call' })).status).toBe(202);
    const manager = await ActivityClient.as(svc.baseUrl, 'rep-t', ['manager']);
    expect((await manager.get('/v1/activities')).body.items).toHaveLength(3);
  });

  it("keeps tenants apart: another tenant's activity is 404, never listed, and its id is free", async () => {
    const a = await ActivityClient.as(svc.baseUrl, 'tenant-a', ['ingest']);
    const b = await ActivityClient.as(svc.baseUrl, 'tenant-b', ['admin']);
    expect((await a.post('/v1/activities', sampleActivity('deal_won', 'shared-id'))).body.status).toBe(
      'accepted',
    );
    expect((await b.get('/v1/activities/shared-id')).status).toBe(404);
    expect((await b.post('/v1/activities/shared-id/void', { reason: 'x' })).status).toBe(404);
    expect((await b.get('/v1/activities')).body).toEqual({ items: [], nextCursor: null });
    // The same id in tenant B is a new activity, not a duplicate or a conflict of tenant A's.
    expect((await b.post('/v1/activities', sampleActivity('email_sent', 'shared-id'))).body.status).toBe(
      'accepted',
    );
    expect((await a.get('/v1/activities/shared-id')).body.activity.kind).toBe('deal_won');
    expect((await b.get('/v1/activities/shared-id')).body.activity.kind).toBe('email_sent');
  });

  it('lists by occurredAt with filters and an opaque keyset cursor that visits every activity once', async () => {
    const client = await ActivityClient.as(svc.baseUrl, 'list-t', ['ingest']);
    const items: Record<string, unknown>[] = Array.from({ length: 25 }, (_, i) => ({
      ...sampleActivity(
        i % 2 ? 'email_sent' : 'call_logged',
        `l-${String(i).padStart(2, '0')}`,
        i % 3 ? 'rep-x' : 'rep-y',
      ),
      // Five activities share each instant, so the activityId half of the keyset matters.
      occurredAt: `2026-11-${String(1 + Math.floor(i / 5)).padStart(2, '0')}T10:00:00Z`,
    }));
    expect((await client.post('/v1/activities:batch', items)).body.accepted).toBe(25);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: any = (await client.get(`/v1/activities?limit=10${cursor ? `&cursor=${cursor}` : ''}`))
        .body;
      seen.push(...page.items.map((i: any) => i.activity.activityId));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(items.map((i) => i['activityId']));

    const ids = async (query: string) =>
      ((await client.get(`/v1/activities?${query}`)).body.items as any[]).map((i) => i.activity.activityId);
    expect(await ids('repId=rep-y')).toEqual(
      items.filter((i) => i['repId'] === 'rep-y').map((i) => i['activityId']),
    );
    expect(await ids('kind=email_sent&limit=1000')).toHaveLength(12);
    expect(await ids('from=2026-11-02T10:00:00Z&to=2026-11-03T10:00:00Z')).toEqual([
      'l-05',
      'l-06',
      'l-07',
      'l-08',
      'l-09',
    ]);
    expect(await ids('from=2026-11-02T11:00:00%2B01:00&to=2026-11-02T11:00:00%2B01:00')).toEqual([]);

    for (const bad of [
      'limit=0',
      'limit=1001',
      'kind=nope',
      'from=yesterday',
      'cursor=garbage',
      'colour=blue',
      'repId=a%00b',
    ]) {
      const res = await client.get(`/v1/activities?${bad}`);
      expect({ bad, status: res.status, type: res.contentType }).toEqual({
        bad,
        status: 400,
        type: expect.stringContaining('application/problem+json'),
      });
    }
  });

  it('refuses bodies that are not JSON activities on the JSON endpoints, and unknown import media types', async () => {
    const client = await ActivityClient.as(svc.baseUrl, 'media-t', ['ingest']);
    expect((await client.post('/v1/activities', '{"activityId":', 'application/json')).status).toBe(400);
    expect((await client.post('/v1/activities', 'a,b', 'text/csv')).status).toBe(415);
    expect((await client.post('/v1/activities/import', '{}', 'application/json')).status).toBe(415);
    expect(
      (await client.post('/v1/activities/import', '{}', 'application/x-ndjson; charset=latin1')).status,
    ).toBe(415);
  });

  it('serves the OpenAPI document with the activity DTOs', async () => {
    const doc = (await ActivityClient.anonymous(svc.baseUrl).get('/docs-json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/activities',
        '/v1/activities:batch',
        '/v1/activities/import',
        '/v1/activities/{activityId}/void',
      ]),
    );
    expect(doc.components.schemas.DealWonDto.required).toEqual(
      expect.arrayContaining(['dealId', 'opportunityId', 'amount', 'currency']),
    );
    expect(doc.components.schemas.CallLoggedDto.properties.outcome.enum).toEqual([
      'connected',
      'voicemail',
      'no_answer',
    ]);
  });
});

describe('activity-ingestion: 413 and a per-tenant 429', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await startTestService(ActivityIngestionService, {
      PACER_HTTP_BODY_LIMIT: '4kb',
      PACER_RATE_LIMIT_PER_MINUTE: '5',
    });
  });
  afterAll(() => svc?.close());

  it('answers 413 to a single or batch body over the limit; the streamed import has no such limit', async () => {
    const client = await ActivityClient.as(svc.baseUrl, 'big-t', ['ingest']);
    const big = Array.from({ length: 100 }, (_, i) => sampleActivity('email_sent', `big-${i}`));
    const res = await client.post('/v1/activities:batch', big);
    expect(res).toMatchObject({
      status: 413,
      contentType: expect.stringContaining('application/problem+json'),
    });
    const lines = big.map((a) => JSON.stringify(a)).join('\n');
    const imported = await client.post('/v1/activities/import', lines, 'application/x-ndjson');
    expect(imported).toMatchObject({ status: 202, body: { accepted: 100 } });
  });

  it('answers 429 with Retry-After once a tenant spends its budget, without affecting other tenants', async () => {
    const t1 = await ActivityClient.as(svc.baseUrl, 'busy-t', ['ingest']);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t1.get('/v1/activities')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await t1.get('/v1/activities');
    expect(limited).toMatchObject({ status: 429, body: { type: 'urn:pacer:problem:rate-limited' } });
    const t2 = await ActivityClient.as(svc.baseUrl, 'calm-t', ['ingest']);
    expect((await t2.get('/v1/activities')).status).toBe(200);
    const res = await fetch(`${svc.baseUrl}/v1/activities`, {
      headers: {
        authorization: `Bearer ${await mintToken({ secret: 'pacer-test-secret', tenantId: 'busy-t', roles: ['bi'] })}`,
      },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
