import { Kafka } from 'kafkajs';
import { CreateOutbox1764230400000, enqueueOutbox, OutboxRelay } from '../src';
import { createLogger, registry } from '@pacer/observability';
import { createTestDatabase, freePort, pollUntil, TestDatabase } from '@pacer/testing';

async function gauge(name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  return Number(metric?.values[0]?.value ?? NaN);
}

describe('OutboxRelay backlog metrics while Kafka is unreachable', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('relay_backlog', [CreateOutbox1764230400000]);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('reports the waiting rows and an age that keeps growing, though no publish can succeed', async () => {
    // Nothing listens on this port: every producer connect fails, as during a Kafka outage.
    const kafka = new Kafka({ brokers: [`127.0.0.1:${await freePort()}`], logLevel: 0, retry: { retries: 0 }, connectionTimeout: 300 });
    const relay = new OutboxRelay({ databaseUrl: db.url, kafka, logger: createLogger('relay-backlog-test', 'silent'), pollMs: 50 });
    await db.dataSource.transaction((manager) =>
      enqueueOutbox(manager, [1, 2, 3].map((i) => ({ topic: 'pacer.activities.v1', key: `t:${i}`, value: { i } }))),
    );
    relay.start();
    try {
      expect(await pollUntil(() => gauge('pacer_outbox_backlog'), (n) => n === 3, { timeoutMs: 30_000, what: 'backlog of 3' })).toBe(3);
      const first = await pollUntil(() => gauge('pacer_outbox_oldest_age_seconds'), (s) => s > 0, { timeoutMs: 30_000, what: 'an oldest-row age' });
      // The age is computed at scrape time, so it grows between the relay's failing attempts.
      const later = await pollUntil(() => gauge('pacer_outbox_oldest_age_seconds'), (s) => s >= first + 1, { timeoutMs: 30_000, what: 'the age to grow' });
      expect(later).toBeGreaterThanOrEqual(first + 1);
      const [{ n }] = (await db.dataSource.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[];
      expect(n).toBe(3);
    } finally {
      await relay.stop();
    }
  });
});
