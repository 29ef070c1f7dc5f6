import { Producer } from 'kafkajs';
import { DLQ_HEADERS, EVENT_TOPICS, eventKey, PacerEvent, TOPICS } from '@pacer/contracts';
import { pollUntil, ReadRecord, RunningService, startTestService, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { KpiAggregationService } from '../src/app.module';
import { KpiEventBuilder } from './support/kpi-event.builder';
import { getJson, inputProducer, latestSnapshots } from './support/kpi-service.fixture';

/**
 * Issue 12: a record the KPI consumer cannot process — one that fails in `handle` and one whose fold
 * makes `afterBatch` build a snapshot the contract rejects — must not hold up another tenant on the
 * same partition. Both poisons and tenant B's records are produced to ONE partition in one request,
 * so they share a batch, and B's snapshots must still arrive.
 */
describe('a poison record of one tenant holds up no other tenant (real Kafka and Postgres)', () => {
  let svc: RunningService;
  let recorder: TopicRecorder;
  let producer: Producer;

  beforeAll(async () => {
    svc = await startTestService(KpiAggregationService, { PACER_CONSUMER_STALL_SECONDS: '5' });
    recorder = await new TopicRecorder(testKafka(), [svc.topic(TOPICS.kpi), svc.topic(TOPICS.dlq)]).start();
    producer = await inputProducer();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await recorder?.stop();
    await svc?.close();
  });

  const kpiRecords = (): ReadRecord[] => recorder.records.filter((r) => r.topic === svc.topic(TOPICS.kpi));

  /** Everything to partition 0 of its topic, in order, in one request per topic. */
  async function produceToOnePartition(events: readonly PacerEvent[]): Promise<void> {
    const byTopic = new Map<string, { key: string; value: string; partition: number }[]>();
    for (const e of events) {
      const topic = svc.topic(EVENT_TOPICS[e.type]);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: eventKey(e), value: JSON.stringify(e), partition: 0 }]);
    }
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }

  it("applies tenant B's activity and quota while tenant A's poison records are retried and dead-lettered", async () => {
    const a = new KpiEventBuilder(uniqueName('poison-a'));
    const b = new KpiEventBuilder(uniqueName('healthy-b'));
    // The incident's record: valid by the contract, but no period that holds it ends before year 10000.
    // (Own activity id: two builders number their ids alike, and CloudEvent ids are deduplicated globally.)
    const farFuture = a.call('ann', '9999-12-31T23:59:59Z', 'connected', { activityId: `far-${a.tenantId}` });
    // A quota for December 9999: handle accepts it, afterBatch builds a month snapshot ending in year 10000.
    const farQuota = a.quota('ann', '9999-12', '1000.00');
    const events = [
      b.call('bob', '2026-11-27T10:00:00Z'),
      farFuture,
      b.email('bob', '2026-11-27T10:05:00Z'),
      b.quota('bob', '2026-11', '5000.00'),
      farQuota,
      b.quota('bob', '2026-12', '6000.00'),
      b.call('bob', '2026-11-27T10:10:00Z'),
    ];
    const started = Date.now();
    await produceToOnePartition(events);

    const dayKey = `${b.tenantId}:rep:bob:day:2026-11-27`;
    await pollUntil(
      () => latestSnapshots(kpiRecords(), b.tenantId).get(dayKey),
      (s) => s?.metrics.calls === 2 && s.metrics.emails === 1,
      { timeoutMs: 30_000, intervalMs: 25, what: "tenant B's day snapshot" },
    );
    const elapsedMs = Date.now() - started;
    process.stdout.write(`tenant B's snapshot arrived ${elapsedMs} ms after the batch holding tenant A's two poison records was produced\n`);
    expect(elapsedMs).toBeLessThanOrEqual(5_000);
    await pollUntil(
      () => latestSnapshots(kpiRecords(), b.tenantId).get(`${b.tenantId}:rep:bob:month:2026-12`),
      (s) => s !== undefined,
      { timeoutMs: 15_000, what: "tenant B's quota after the poisoned quota" },
    );

    const dlq = await pollUntil(
      () => recorder.records.filter((r) => r.topic === svc.topic(TOPICS.dlq)),
      (records) => records.length >= 2,
      { timeoutMs: 15_000, what: "tenant A's records in the DLQ" },
    );
    const byId = new Map(dlq.map((r) => [(JSON.parse(r.value?.toString() ?? '{}') as { id: string }).id, r]));
    const call = byId.get(farFuture.id);
    expect(call?.headers[DLQ_HEADERS.sourceTopic]).toBe(svc.topic(TOPICS.activities));
    expect(call?.headers[DLQ_HEADERS.sourcePartition]).toBe('0');
    expect(call?.headers[DLQ_HEADERS.sourceOffset]).toMatch(/^\d+$/);
    expect(call?.headers[DLQ_HEADERS.consumerGroup]).toBe(svc.groupId);
    expect(call?.headers[DLQ_HEADERS.error]).toContain('beyond the last placeable instant');
    const quota = byId.get(farQuota.id);
    expect(quota?.headers[DLQ_HEADERS.sourceTopic]).toBe(svc.topic(TOPICS.plans));
    expect(quota?.headers[DLQ_HEADERS.error]).toContain('KpiSnapshotRangeError');
    expect(quota?.headers[DLQ_HEADERS.attempts]).toBe('4');
    expect(byId.size).toBe(2);

    // Nothing of tenant A was folded in; nothing of A was published.
    expect([...latestSnapshots(kpiRecords(), a.tenantId).keys()]).toEqual([]);
    const facts = (await svc.dataSource.query(`SELECT count(*)::int AS n FROM kpi_facts WHERE tenant_id = $1`, [a.tenantId])) as { n: number }[];
    expect(facts[0]?.n).toBe(0);

    // Caught up: no consumer is stalled, and the waiting-time gauge says 0 for every partition.
    const health = await pollUntil(
      () => getJson<{ status: string; stalled: unknown[] }>(svc.baseUrl, '/health/consumers'),
      (r) => r.status === 200,
      { timeoutMs: 10_000, what: '/health/consumers 200' },
    );
    expect(health.body.stalled).toEqual([]);
    const metrics = await (await fetch(`${svc.baseUrl}/metrics`)).text();
    const ages = metrics.split('\n').filter((l) => l.startsWith('pacer_consumer_last_batch_age_seconds{'));
    expect(ages.length).toBeGreaterThan(0);
    expect(ages.filter((l) => !l.endsWith(' 0'))).toEqual([]);
  });
});
