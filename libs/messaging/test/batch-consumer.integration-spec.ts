import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Kafka, Producer } from 'kafkajs';
import { OutboxRelay } from '../src';
import { DLQ_HEADERS } from '@pacer/contracts';
import { createLogger } from '@pacer/observability';
import {
  createTestTopics,
  pollUntil,
  TestDatabase,
  testBrokers,
  TopicRecorder,
  uniqueName,
} from '@pacer/testing';
import { APPLIED_TABLE, countingConsumer } from './fixtures/counting-handler';
import { MessagingBed, openMessagingBed } from './fixtures/messaging-bed';

const WORKSPACE = path.resolve(__dirname, '../../..');

describe('BatchConsumer on real Kafka and Postgres', () => {
  let db: TestDatabase;
  let kafka: Kafka;
  let producer: Producer;
  const topics: string[] = [];

  let bed: MessagingBed;

  beforeAll(async () => {
    bed = await openMessagingBed('messaging', APPLIED_TABLE, topics);
    ({ db, kafka, producer } = bed);
  });
  afterAll(() => bed.close());

  async function freshTopics(): Promise<{ topic: string; dlq: string; group: string }> {
    const topic = uniqueName('test.consumer');
    const dlq = `${topic}.dlq`;
    topics.push(topic, dlq);
    await createTestTopics(kafka, [topic, dlq], 3);
    return { topic, dlq, group: uniqueName('group') };
  }

  async function send(topic: string, events: object[]): Promise<void> {
    await producer.send({
      topic,
      acks: -1,
      messages: events.map((e, i) => ({ key: `k${i % 5}`, value: JSON.stringify(e) })),
    });
  }

  async function counts(prefix: string): Promise<Map<string, number>> {
    const rows = (await db.dataSource.query(`SELECT event_id, n FROM applied WHERE event_id LIKE $1`, [
      `${prefix}%`,
    ])) as { event_id: string; n: number }[];
    return new Map(rows.map((r) => [r.event_id, r.n]));
  }

  const ids = (prefix: string, from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({ id: `${prefix}-${from + i}` }));

  it('sends a poison message to the DLQ after bounded retries and processes the messages after it', async () => {
    const { topic, dlq, group } = await freshTopics();
    const relay = new OutboxRelay({ databaseUrl: db.url, kafka, logger: createLogger('t', 'silent'), pollMs: 20 });
    const recorder = await new TopicRecorder(kafka, [dlq]).start();
    const consumer = countingConsumer({ dataSource: db.dataSource, brokers: testBrokers(), groupId: group, topic, dlqTopic: dlq });
    relay.start();
    await consumer.start();
    try {
      // All on one key so they share a partition: the poison sits between good messages.
      await producer.send({
        topic,
        acks: -1,
        messages: [
          { key: 'same', value: JSON.stringify({ id: 'poison-before' }) },
          { key: 'same', value: JSON.stringify({ id: 'poison-bad', poison: true }) },
          { key: 'same', value: 'this is not json' },
          { key: 'same', value: JSON.stringify({ id: 'poison-after' }) },
        ],
      });
      await pollUntil(() => counts('poison-'), (m) => m.size === 2, { what: 'good messages applied' });
      await pollUntil(() => recorder.records.length, (n) => n === 2, { what: 'two DLQ records' });
      // Undecodable records are dead-lettered before the replay isolates handler failures: find them by content.
      const undecodable = recorder.records.find((r) => r.value?.toString() === 'this is not json');
      const handlerFailure = recorder.records.find((r) => r !== undecodable);
      expect(handlerFailure?.key).toBe('same');
      expect(JSON.parse(handlerFailure?.value?.toString() ?? '')).toEqual({ id: 'poison-bad', poison: true });
      expect(handlerFailure?.headers[DLQ_HEADERS.error]).toContain('poison message poison-bad');
      expect(handlerFailure?.headers[DLQ_HEADERS.sourceTopic]).toBe(topic);
      expect(handlerFailure?.headers[DLQ_HEADERS.attempts]).toBe('3');
      expect(handlerFailure?.headers[DLQ_HEADERS.sourceOffset]).toBe('1');
      expect(handlerFailure?.headers[DLQ_HEADERS.sourcePartition]).toMatch(/^\d$/);
      expect(undecodable?.value?.toString()).toBe('this is not json');
      expect(undecodable?.headers[DLQ_HEADERS.error]).toContain('invalid JSON');
      expect([...(await counts('poison-')).values()]).toEqual([1, 1]);
      const [{ n: applied }] = (await db.dataSource.query(`SELECT count(*)::int AS n FROM applied WHERE event_id = 'poison-bad'`)) as { n: number }[];
      expect(applied).toBe(0);
    } finally {
      await consumer.stop();
      await relay.stop();
      await recorder.stop();
    }
  });

  it('applies a redelivered event (same id, new offset) once when deduplicating by id', async () => {
    const { topic, dlq, group } = await freshTopics();
    const consumer = countingConsumer({ dataSource: db.dataSource, brokers: testBrokers(), groupId: group, topic, dlqTopic: dlq, dedupe: true });
    await consumer.start();
    try {
      const batch = ids('dup', 0, 20);
      await send(topic, batch);
      await send(topic, batch.slice(5, 15));
      await send(topic, [{ id: 'dup-marker' }]);
      await pollUntil(() => counts('dup-'), (m) => m.has('dup-marker'), { what: 'marker applied' });
      const c = await counts('dup-');
      expect(c.size).toBe(21);
      expect([...c.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await consumer.stop();
    }
  });

  it('resumes from the offsets stored in Postgres, not from Kafka', async () => {
    const { topic, dlq, group } = await freshTopics();
    const first = countingConsumer({ dataSource: db.dataSource, brokers: testBrokers(), groupId: group, topic, dlqTopic: dlq });
    await first.start();
    await send(topic, ids('resume', 0, 30));
    await pollUntil(() => counts('resume-'), (m) => m.size === 30, { what: 'first 30 applied' });
    await first.stop();

    // Kafka forgets the group's progress entirely; only the database remembers it.
    const admin = kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: group, topic, earliest: true });
    await admin.disconnect();

    await send(topic, ids('resume', 30, 45));
    const second = countingConsumer({ dataSource: db.dataSource, brokers: testBrokers(), groupId: group, topic, dlqTopic: dlq });
    await second.start();
    try {
      await pollUntil(() => counts('resume-'), (m) => m.size === 45, { what: 'all 45 applied' });
      const c = await counts('resume-');
      expect([...c.values()].filter((n) => n !== 1)).toEqual([]);
    } finally {
      await second.stop();
    }
  });

  it('applies nothing twice when the process is killed between the Postgres commit and the Kafka commit', async () => {
    const { topic, dlq, group } = await freshTopics();
    await send(topic, ids('crash', 0, 200));
    const run = (crash: boolean): ChildProcess =>
      spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'fixtures/consumer-process.ts')], {
        cwd: WORKSPACE,
        env: {
          ...process.env,
          TEST_DATABASE_URL: db.url,
          KAFKA_BROKERS: testBrokers().join(','),
          TEST_GROUP_ID: group,
          TEST_TOPIC: topic,
          TEST_DLQ_TOPIC: dlq,
          CRASH_AFTER_DB_COMMIT: crash ? '1' : '0',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });

    const crashing = run(true);
    const [, signal] = (await once(crashing, 'exit')) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    const afterCrash = await counts('crash-');
    expect(afterCrash.size).toBeGreaterThan(0);
    expect(afterCrash.size).toBeLessThan(200);

    const admin = kafka.admin();
    await admin.connect();
    const committed = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.disconnect();
    // Kafka never saw a commit: without the offsets in Postgres the batch would be applied again.
    expect(committed[0]?.partitions.every((p) => p.offset === '-1')).toBe(true);

    const healthy = run(false);
    try {
      await pollUntil(() => counts('crash-'), (m) => m.size === 200, { what: 'all 200 applied', timeoutMs: 90_000 });
      const c = await counts('crash-');
      expect([...c.values()].filter((n) => n !== 1)).toEqual([]);
    } finally {
      healthy.kill('SIGTERM');
      await once(healthy, 'exit');
    }
  });
});
