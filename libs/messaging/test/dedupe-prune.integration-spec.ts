import { Kafka } from 'kafkajs';
import { consumerDedupePruned, consumerDedupePruneFailures, createLogger } from '@pacer/observability';
import { createTestTopics, pollUntil, uniqueName } from '@pacer/testing';
import { BatchConsumer } from '../src';
import { APPLIED_TABLE, countingHandler, decodeTestEvent, TestEvent } from './fixtures/counting-handler';
import { MessagingBed, openMessagingBed } from './fixtures/messaging-bed';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * processed_events is bounded: each consumer deletes its own group's remembered ids once they are
 * older than the retention, a small chunk per statement, and leaves every other group's rows alone.
 */
describe('BatchConsumer prunes its remembered event ids past the dedupe retention', () => {
  let bed: MessagingBed;
  let kafka: Kafka;
  const topics: string[] = [];
  const logger = createLogger('messaging-test', process.env['TEST_LOG_LEVEL'] ?? 'silent');

  beforeAll(async () => {
    bed = await openMessagingBed('messaging_dedupe_prune', APPLIED_TABLE, topics);
    kafka = bed.kafka;
  });
  afterAll(() => bed.close());

  function consumerOf(groupId: string, extra: { dedupePruneIntervalMs?: number; topics?: string[] } = {}): BatchConsumer<TestEvent> {
    return new BatchConsumer<TestEvent>({
      kafka,
      dataSource: bed.db.dataSource,
      logger,
      groupId,
      topics: extra.topics ?? [],
      decode: decodeTestEvent,
      eventId: (e) => e.id,
      handler: countingHandler,
      dlqTopic: 'unused.dlq',
      maxRetries: 0,
      retryBackoffMs: 10,
      dedupeRetentionMs: 7 * DAY_MS,
      dedupePruneChunk: 5,
      ...(extra.dedupePruneIntervalMs !== undefined ? { dedupePruneIntervalMs: extra.dedupePruneIntervalMs } : {}),
    });
  }

  /** `count` rows for `group` named `<prefix>-<i>`, processed `ageMs` ago. */
  async function remember(group: string, prefix: string, count: number, ageMs: number): Promise<void> {
    await bed.db.dataSource.query(
      `INSERT INTO processed_events (group_id, event_id, processed_at)
       SELECT $1, $2 || '-' || i, now() - $3::float8 * interval '1 millisecond' FROM generate_series(1, $4::int) i`,
      [group, prefix, ageMs, count],
    );
  }

  async function idsOf(group: string): Promise<string[]> {
    const rows = (await bed.db.dataSource.query(`SELECT event_id FROM processed_events WHERE group_id = $1 ORDER BY event_id`, [group])) as {
      event_id: string;
    }[];
    return rows.map((r) => r.event_id);
  }

  async function metric(counter: typeof consumerDedupePruned, group: string): Promise<number> {
    return (await counter.get()).values.find((v) => v.labels['group'] === group)?.value ?? 0;
  }

  it('deletes only its own group rows older than the retention, in chunks, and counts them', async () => {
    const own = uniqueName('group');
    const other = uniqueName('group');
    await remember(own, 'old', 23, 8 * DAY_MS);
    await remember(own, 'recent', 4, 6 * DAY_MS);
    await remember(own, 'new', 3, 60_000);
    await remember(other, 'old', 12, 30 * DAY_MS);
    await remember(other, 'new', 2, 60_000);

    const consumer = consumerOf(own);
    // 23 old rows by 5: four full chunks and a short one.
    await expect(consumer.pruneDedupe()).resolves.toEqual({ rows: 23, chunks: 5 });

    const kept = await idsOf(own);
    expect(kept.filter((id) => id.startsWith('old-'))).toEqual([]);
    expect(kept).toHaveLength(7);
    expect(await idsOf(other)).toHaveLength(14);
    expect(await metric(consumerDedupePruned, own)).toBe(23);
    expect(await metric(consumerDedupePruned, other)).toBe(0);

    // Nothing left to prune: one statement that deletes nothing.
    await expect(consumer.pruneDedupe()).resolves.toEqual({ rows: 0, chunks: 1 });
    expect(await metric(consumerDedupePruned, own)).toBe(23);
  });

  it('two members of a group pruning at once delete each row once and together all of them', async () => {
    const group = uniqueName('group');
    await remember(group, 'old', 40, 8 * DAY_MS);
    await remember(group, 'new', 2, 60_000);
    const [a, b] = await Promise.all([consumerOf(group).pruneDedupe(), consumerOf(group).pruneDedupe()]);
    expect((a?.rows ?? 0) + (b?.rows ?? 0)).toBe(40);
    expect(await idsOf(group)).toEqual(['new-1', 'new-2']);
  });

  it('logs and counts a failed run instead of throwing, and the next run prunes', async () => {
    const group = uniqueName('group');
    await remember(group, 'old', 3, 8 * DAY_MS);
    const consumer = consumerOf(group);
    const failuresBefore = await metric(consumerDedupePruneFailures, group);
    await bed.db.dataSource.query('ALTER TABLE processed_events RENAME TO processed_events_away');
    try {
      await expect(consumer.pruneDedupe()).resolves.toEqual({ rows: 0, chunks: 0 });
    } finally {
      await bed.db.dataSource.query('ALTER TABLE processed_events_away RENAME TO processed_events');
    }
    expect(await metric(consumerDedupePruneFailures, group)).toBe(failuresBefore + 1);
    await expect(consumer.pruneDedupe()).resolves.toEqual({ rows: 3, chunks: 1 });
  });

  it('a started consumer prunes on its timer, and stop() ends the timer', async () => {
    const topic = uniqueName('test.dedupe-prune');
    topics.push(topic);
    await createTestTopics(bed.kafka, [topic], 1);
    const group = uniqueName('group');
    await remember(group, 'old', 12, 8 * DAY_MS);
    const consumer = consumerOf(group, { dedupePruneIntervalMs: 100, topics: [topic] });
    await consumer.start();
    try {
      await pollUntil(() => idsOf(group), (ids) => ids.length === 0, { what: 'the old ids pruned by the timer', timeoutMs: 20_000 });
    } finally {
      await consumer.stop();
    }
    await remember(group, 'later', 2, 8 * DAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await idsOf(group)).toHaveLength(2);
  });
});
