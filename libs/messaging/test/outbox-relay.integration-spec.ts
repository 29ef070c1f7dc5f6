import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Kafka, Partitioners } from 'kafkajs';
import { CreateEventStore1764230400001, EventStore } from '@pacer/event-store';
import { CreateOutbox1764230400000, enqueueOutbox, OutboxRelay } from '../src';
import { createLogger } from '@pacer/observability';
import {
  createTestDatabase,
  createTestTopics,
  deleteTestTopics,
  pollUntil,
  TestDatabase,
  testBrokers,
  testKafka,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';

interface Published {
  stream: string;
  version: number;
  eventId: string;
}

describe('OutboxRelay on real Kafka and Postgres', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let store: EventStore;
  const topic = uniqueName('test.relay');
  const logger = createLogger('relay-test', 'silent');

  beforeAll(async () => {
    db = await createTestDatabase('relay', [CreateOutbox1764230400000, CreateEventStore1764230400001]);
    store = new EventStore(db.dataSource);
    kafka = testKafka();
    await createTestTopics(kafka, [topic], 4);
  });
  afterAll(async () => {
    await db.drop();
    await deleteTestTopics(kafka, [topic]);
  });

  it('publishes every committed event exactly once and in per-key order while writers commit out of sequence order', async () => {
    const relay = new OutboxRelay({ databaseUrl: db.url, kafka: new Kafka({ brokers: testBrokers(), logLevel: 0 }), logger, batchSize: 50, pollMs: 20 });
    const recorder = await new TopicRecorder(kafka, [topic]).start();
    relay.start();
    try {
      const streams = ['a', 'b', 'c', 'd', 'e', 'f'];
      const writers = 6;
      const perWriter = 40;
      let outOfOrderCommits = 0;
      let lastCommittedSeq = 0n;
      const write = async (w: number): Promise<void> => {
        for (let i = 0; i < perWriter; i++) {
          const stream = streams[(w + i) % streams.length] as string;
          await db.dataSource.transaction(async (manager) => {
            const eventId = randomUUID();
            const { version } = await store.appendIn(manager, {
              streamId: stream,
              streamType: 'test',
              expectedVersion: 'any',
              events: [{ eventId, type: 'test.v1', tenantId: 't', data: { i }, occurredAt: new Date() }],
            });
            await enqueueOutbox(manager, [
              { topic, key: `t:${stream}`, value: { stream, version, eventId } satisfies Published },
            ]);
            const [{ seq }] = (await manager.query(`SELECT max(seq)::text AS seq FROM outbox`)) as { seq: string }[];
            // Hold some transactions open after taking their sequence number so later ones commit first.
            if ((w + i) % 3 === 0) {
              await delay(5 + ((w * 7 + i * 13) % 25));
            }
            if (BigInt(seq) < lastCommittedSeq) outOfOrderCommits++;
            lastCommittedSeq = BigInt(seq) > lastCommittedSeq ? BigInt(seq) : lastCommittedSeq;
          });
        }
      };
      await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
      const total = writers * perWriter;

      await pollUntil(
        () => recorder.records.length,
        (n) => n >= total,
        { timeoutMs: 60_000, what: `${total} records on ${topic}` },
      );
      // Let any duplicate arrive before asserting there is none.
      await pollUntil(() => db.dataSource.query(`SELECT count(*)::int AS n FROM outbox`), (r: { n: number }[]) => r[0]?.n === 0);
      await delay(500);

      const published = recorder.json<Published>();
      expect(published).toHaveLength(total);
      expect(new Set(published.map((p) => p.eventId)).size).toBe(total);
      const stored = await db.dataSource.query(`SELECT event_id FROM events WHERE stream_type = 'test'`);
      expect(new Set((stored as { event_id: string }[]).map((r) => r.event_id))).toEqual(
        new Set(published.map((p) => p.eventId)),
      );
      // Per key (stream), versions arrive as 1, 2, 3, ... with no gap and no reordering.
      for (const s of streams) {
        const ofKey = recorder.records.filter((r) => r.key === `t:${s}`).map((r) => (JSON.parse(r.value?.toString() ?? '') as Published).version);
        expect(ofKey).toEqual(Array.from({ length: ofKey.length }, (_, i) => i + 1));
      }
      // The scenario must actually have produced late commits of lower sequence numbers.
      expect(outOfOrderCommits).toBeGreaterThan(0);
    } finally {
      await relay.stop();
      await recorder.stop();
    }
  });

  it('puts a key repeated within a batch on the partition the Java-compatible partitioner gives it, and spreads unkeyed records', async () => {
    const relay = new OutboxRelay({ databaseUrl: db.url, kafka: new Kafka({ brokers: testBrokers(), logLevel: 0 }), logger, batchSize: 500 });
    const recorder = await new TopicRecorder(kafka, [topic]).start();
    const keys = Array.from({ length: 12 }, (_, i) => `memo:${i}`);
    const rows = Array.from({ length: 240 }, (_, i) => ({ key: i % 5 === 4 ? null : (keys[i % keys.length] as string), n: i }));
    try {
      await db.dataSource.transaction((manager) =>
        enqueueOutbox(manager, rows.map((r) => ({ topic, key: r.key, value: { memo: true, n: r.n } }))),
      );
      // One batch holds every row, so each key after its first is a repeat within the batch.
      expect(await relay.drain()).toBe(rows.length);
      await pollUntil(
        () => recorder.records.filter((r) => (JSON.parse(r.value?.toString() ?? '{}') as { memo?: boolean }).memo).length,
        (n) => n >= rows.length,
        { timeoutMs: 30_000, what: `${rows.length} memo records on ${topic}` },
      );
      const mine = recorder.records.filter((r) => (JSON.parse(r.value?.toString() ?? '{}') as { memo?: boolean }).memo);
      const partitioner = Partitioners.DefaultPartitioner();
      const partitionMetadata = Array.from({ length: 4 }, (_, partitionId) => ({ partitionErrorCode: 0, partitionId, leader: 0, replicas: [0], isr: [0] }));
      for (const r of mine.filter((m) => m.key !== null)) {
        expect(r.partition).toBe(partitioner({ topic, partitionMetadata, message: { key: r.key, value: null } }));
      }
      const unkeyed = mine.filter((m) => m.key === null);
      expect(unkeyed).toHaveLength(rows.filter((r) => r.key === null).length);
      // Unkeyed records are not pinned to the partition of whatever came first: round-robin as before.
      expect(new Set(unkeyed.map((r) => r.partition)).size).toBeGreaterThan(1);
    } finally {
      await relay.stop();
      await recorder.stop();
    }
  });

  it('elects one active relay among replicas and fails over when it stops', async () => {
    const a = new OutboxRelay({ databaseUrl: db.url, kafka, logger, pollMs: 20, lockName: 'failover-test' });
    const b = new OutboxRelay({ databaseUrl: db.url, kafka, logger, pollMs: 20, lockName: 'failover-test' });
    a.start();
    await pollUntil(() => a.isLeader, Boolean, { what: 'relay a to lead' });
    b.start();
    await delay(300);
    expect(b.isLeader).toBe(false);
    await a.stop();
    await pollUntil(() => b.isLeader, Boolean, { what: 'relay b to take over' });
    await b.stop();
  });
});
