import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { mintToken } from '@pacer/auth';
import { createServiceApp } from '@pacer/platform';
import { RunningService, startTestService, TEST_JWT_SECRET, testBrokers, uniqueName } from '@pacer/testing';
import { ActivityIngestionService } from '../src/app.module';

// Two replicas of activity-ingestion on one database (as two pods of one Deployment): the per-tenant
// budget of PACER_RATE_LIMIT_PER_MINUTE is spent across both, not once per replica.

const LIMIT = 6;

describe('activity-ingestion: the per-tenant rate limit holds across replicas', () => {
  let first: RunningService;
  let second: INestApplication;
  let secondUrl: string;

  beforeAll(async () => {
    first = await startTestService(ActivityIngestionService, { PACER_RATE_LIMIT_PER_MINUTE: String(LIMIT) });
    ({ app: second } = await createServiceApp(ActivityIngestionService, {
      NODE_ENV: 'test',
      DATABASE_URL: first.db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_GROUP_ID: first.groupId,
      PACER_TOPIC_PREFIX: first.topicPrefix,
      PACER_JWT_SECRET: TEST_JWT_SECRET,
      PACER_RATE_LIMIT_PER_MINUTE: String(LIMIT),
      LOG_LEVEL: 'silent',
    }));
    await second.listen(0, '127.0.0.1');
    secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const list = async (baseUrl: string, tenant: string): Promise<Response> =>
    fetch(`${baseUrl}/v1/activities`, {
      headers: { authorization: `Bearer ${await mintToken({ secret: TEST_JWT_SECRET, tenantId: tenant, roles: ['bi'] })}` },
    });

  it('spends one budget on both replicas, alternating, then answers 429 problem+json with Retry-After on both', async () => {
    const tenant = uniqueName('rl-alt');
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 2; i++) statuses.push((await list(i % 2 === 0 ? first.baseUrl : secondUrl, tenant)).status);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(200), 429, 429]);
    for (const baseUrl of [first.baseUrl, secondUrl]) {
      const res = await list(baseUrl, tenant);
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      // One request fits again after 60 s / LIMIT = 10 s.
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(10);
      expect(await res.json()).toMatchObject({ status: 429, type: 'urn:pacer:problem:rate-limited', retryAfterSeconds: expect.any(Number) });
    }
    // Another tenant has its own budget.
    expect((await list(secondUrl, uniqueName('rl-other'))).status).toBe(200);
  });

  it('admits exactly the budget when both replicas are hit concurrently', async () => {
    const tenant = uniqueName('rl-burst');
    const responses = await Promise.all(Array.from({ length: 4 * LIMIT }, (_, i) => list(i % 2 === 0 ? first.baseUrl : secondUrl, tenant)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(3 * LIMIT);
  });
});
