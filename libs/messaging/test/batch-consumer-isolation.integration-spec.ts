import { Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { DLQ_HEADERS } from '@pacer/contracts';
import { OutboxRelay } from '../src';
import { createLogger } from '@pacer/observability';
import {
  createTestTopics,
  pollUntil,
  TestDatabase,
  testBrokers,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { BatchConsumer, BatchContext, ConsumerHandler, createKafka } from '../src';
import { decodeTestEvent, TestEvent } from './fixtures/counting-handler';
import { MessagingBed, openMessagingBed } from './fixtures/messaging-bed';

/** Test events: `afterBatchFails` poisons what afterBatch builds, `outages` kills the connection that many times. */
interface IsolationEvent extends TestEvent {
  tenant?: string;
  afterBatchFails?: boolean;
  outages?: number;
}

const OUT_TABLE = `CREATE TABLE IF NOT EXISTS folded (event_id text PRIMARY KEY, tenant text, n integer NOT NULL)`;

/**
 * Like the KPI consumer: handle only buffers (per context), afterBatch folds the buffer into a table
 * and publishes one record per event, and fails — as a snapshot that does not validate would — when
 * one of the events it folds is poisoned.
 */
function foldingHandler(outTopic: string, outagesSeen: Map<string, number>): ConsumerHandler<IsolationEvent> {
  const pending = new WeakMap<BatchContext, IsolationEvent[]>();
  return {
    async handle({ event }, ctx) {
      if (event.poison) throw new Error(`poison message ${event.id}`);
      const list = pending.get(ctx) ?? [];
      list.push(event);
      pending.set(ctx, list);
    },
    async afterBatch(ctx) {
      const events = pending.get(ctx) ?? [];
      pending.delete(ctx);
      for (const e of events) {
        const seen = outagesSeen.get(e.id) ?? 0;
        if (seen < (e.outages ?? 0)) {
          outagesSeen.set(e.id, seen + 1);
          // A real outage of this transaction's connection (SQLSTATE 57P01), not a simulated error.
          await ctx.manager.query('SELECT pg_terminate_backend(pg_backend_pid())');
        }
        await ctx.manager.query(
          `INSERT INTO folded (event_id, tenant, n) VALUES ($1, $2, 1) ON CONFLICT (event_id) DO UPDATE SET n = folded.n + 1`,
          [e.id, e.tenant ?? null],
        );
      }
      await ctx.publish(events.map((e) => ({ topic: outTopic, key: e.tenant ?? null, value: { id: e.id } })));
      const bad = events.find((e) => e.afterBatchFails);
      if (bad) throw new Error(`invalid snapshot built from ${bad.id}`);
    },
  };
}

describe('BatchConsumer isolates the record that fails, wherever it fails', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  const topics: string[] = [];

  let bed: MessagingBed;

  beforeAll(async () => {
    bed = await openMessagingBed('messaging_isolation', OUT_TABLE, topics);
    ({ db, kafka, producer } = bed);
  });
  afterAll(() => bed.close());

  async function setup(): Promise<{
    topic: string;
    group: string;
    consumer: BatchConsumer<IsolationEvent>;
    recorder: TopicRecorder;
    relay: OutboxRelay;
    dlq: string;
    out: string;
    outages: Map<string, number>;
    stop: () => Promise<void>;
  }> {
    const topic = uniqueName('test.isolation');
    const dlq = `${topic}.dlq`;
    const out = `${topic}.out`;
    topics.push(topic, dlq, out);
    await createTestTopics(kafka, [topic, dlq, out], 1);
    const group = uniqueName('group');
    const outages = new Map<string, number>();
    const logger = createLogger('messaging-test', process.env['TEST_LOG_LEVEL'] ?? 'silent');
    const consumer = new BatchConsumer<IsolationEvent>({
      kafka: createKafka({ brokers: testBrokers(), clientId: 'isolation-test', logger }),
      dataSource: db.dataSource,
      logger,
      groupId: group,
      topics: [topic],
      decode: decodeTestEvent,
      eventId: (e) => e.id,
      handler: foldingHandler(out, outages),
      dlqTopic: dlq,
      maxRetries: 2,
      retryBackoffMs: 10,
      lagRefreshMs: 200,
    });
    const relay = new OutboxRelay({ databaseUrl: db.url, kafka, logger, pollMs: 20 });
    const recorder = await new TopicRecorder(kafka, [dlq, out]).start();
    relay.start();
    return {
      topic,
      group,
      consumer,
      recorder,
      relay,
      dlq,
      out,
      outages,
      stop: async () => {
        await consumer.stop();
        await relay.stop();
        await recorder.stop();
      },
    };
  }

  async function folded(dataSource: DataSource, prefix: string): Promise<Map<string, number>> {
    const rows = (await dataSource.query(`SELECT event_id, n FROM folded WHERE event_id LIKE $1`, [`${prefix}%`])) as { event_id: string; n: number }[];
    return new Map(rows.map((r) => [r.event_id, r.n]));
  }

  async function storedOffset(group: string, topic: string): Promise<string | undefined> {
    const rows = (await db.dataSource.query(`SELECT next_offset FROM consumer_offsets WHERE group_id = $1 AND topic = $2`, [group, topic])) as {
      next_offset: string;
    }[];
    return rows[0]?.next_offset;
  }

  it('dead-letters the record whose afterBatch work fails (and one whose handle and one whose dedupe fails), applies the rest once', async () => {
    const { topic, group, consumer, recorder, dlq, out, stop } = await setup();
    // One partition, one produce request: the poisoned records sit inside one batch among good ones of another tenant.
    const events: IsolationEvent[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ id: `iso-b-${i}`, tenant: 'b' })),
      { id: 'iso-a-snapshot', tenant: 'a', afterBatchFails: true },
      ...Array.from({ length: 5 }, (_, i) => ({ id: `iso-b-${6 + i}`, tenant: 'b' })),
      { id: 'iso-a-handle', tenant: 'a', poison: true },
      // NUL cannot be stored in text: the batched dedupe INSERT itself fails until this record stands alone.
      { id: 'iso-a-dedupe\u0000', tenant: 'a' },
      ...Array.from({ length: 4 }, (_, i) => ({ id: `iso-b-${11 + i}`, tenant: 'b' })),
    ];
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: e.tenant ?? null, value: JSON.stringify(e), headers: { 'x-source': e.id } })) });
    await consumer.start();
    try {
      await pollUntil(() => recorder.records.filter((r) => r.topic === dlq).length, (n) => n === 3, { what: 'three DLQ records', timeoutMs: 30_000 });
      await pollUntil(() => recorder.records.filter((r) => r.topic === out).length, (n) => n >= 15, { what: 'tenant b published', timeoutMs: 30_000 });

      const dead = recorder.records.filter((r) => r.topic === dlq);
      const deadIds = dead.map((r) => (JSON.parse(r.value?.toString() ?? '{}') as IsolationEvent).id).sort();
      expect(deadIds).toEqual(['iso-a-dedupe\u0000', 'iso-a-handle', 'iso-a-snapshot']);
      const snapshotFailure = dead.find((r) => r.value?.toString().includes('iso-a-snapshot'));
      expect(snapshotFailure?.headers[DLQ_HEADERS.error]).toContain('invalid snapshot built from iso-a-snapshot');
      expect(snapshotFailure?.headers[DLQ_HEADERS.sourceTopic]).toBe(topic);
      expect(snapshotFailure?.headers[DLQ_HEADERS.sourceOffset]).toBe('6');
      expect(snapshotFailure?.headers[DLQ_HEADERS.attempts]).toBe('3');
      expect(snapshotFailure?.headers['x-source']).toBe('iso-a-snapshot');

      const applied = await folded(db.dataSource, 'iso-');
      expect([...applied.keys()].sort()).toEqual(Array.from({ length: 15 }, (_, i) => `iso-b-${i}`).sort());
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      // What afterBatch published for the rolled-back attempts is gone with them.
      const published = recorder.records.filter((r) => r.topic === out).map((r) => (JSON.parse(r.value?.toString() ?? '{}') as { id: string }).id);
      expect(published.filter((id) => id.startsWith('iso-a'))).toEqual([]);
      expect(new Set(published).size).toBe(15);
      expect(await storedOffset(group, topic)).toBe(String(events.length));
      // Dead-lettered records are not remembered as processed: a re-drive of the DLQ applies them.
      const remembered = (await db.dataSource.query(`SELECT count(*)::int AS n FROM processed_events WHERE group_id = $1 AND event_id LIKE 'iso-a%'`, [group])) as {
        n: number;
      }[];
      expect(remembered[0]?.n).toBe(0);
      expect(consumer.status().partitions).toEqual([expect.objectContaining({ lag: 0, waitingSeconds: 0 })]);
    } finally {
      await stop();
    }
  });

  it('retries the batch while the database connection is gone and dead-letters nothing', async () => {
    const { topic, group, consumer, recorder, dlq, out, outages, stop } = await setup();
    // Killed four times: more than the 3 attempts after which a record error is dead-lettered.
    const events: IsolationEvent[] = [
      { id: 'outage-0', tenant: 'b' },
      { id: 'outage-1', tenant: 'a', outages: 4 },
      { id: 'outage-2', tenant: 'b' },
    ];
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: e.tenant ?? null, value: JSON.stringify(e) })) });
    await consumer.start();
    try {
      await pollUntil(() => folded(db.dataSource, 'outage-'), (m) => m.size === 3, { what: 'all three applied after the outage', timeoutMs: 60_000 });
      await pollUntil(() => recorder.records.filter((r) => r.topic === out).length, (n) => n === 3, { what: 'published', timeoutMs: 30_000 });
      expect([...(await folded(db.dataSource, 'outage-')).values()]).toEqual([1, 1, 1]);
      expect(recorder.records.filter((r) => r.topic === dlq)).toEqual([]);
      expect(outages.get('outage-1')).toBe(4);
      expect(await storedOffset(group, topic)).toBe('3');
    } finally {
      await stop();
    }
  });

  it('knows the lag from the first poll and shows a partition that applies nothing as waiting longer and longer', async () => {
    const { topic, consumer, recorder, dlq, stop } = await setup();
    // The database "stays down" for this record: every attempt loses its connection.
    const events: IsolationEvent[] = [{ id: 'stall-0', outages: 1_000 }, { id: 'stall-1' }, { id: 'stall-2' }];
    await producer.send({ topic, acks: -1, messages: events.map((e) => ({ key: null, value: JSON.stringify(e) })) });
    const started = Date.now();
    await consumer.start();
    try {
      const first = await pollUntil(() => consumer.status().partitions[0], (p) => p?.lag === 3, { what: 'lag 3 without any batch applied', timeoutMs: 10_000 });
      expect(first?.lastAppliedAt).toBeNull();
      process.stdout.write(`lag known ${Date.now() - started} ms after start, before any batch applied\n`);
      const later = await pollUntil(
        () => consumer.status().partitions[0],
        (p) => (p?.waitingSeconds ?? 0) >= 2 && p?.lastError !== undefined,
        { what: 'a rising waiting time with the last error', timeoutMs: 15_000 },
      );
      expect(later?.lastError).toContain('terminating connection');
      expect(later?.lag).toBe(3);
      expect(consumer.status().state).toBe('running');
      expect(await folded(db.dataSource, 'stall-')).toEqual(new Map());
      expect(recorder.records.filter((r) => r.topic === dlq)).toEqual([]);
    } finally {
      await stop();
    }
  });
});
