// Foundation figures (part of `npm run bench`), measured against one broker and one database.
//  - kafka.producerPerformance: Kafka's own ProducerPerformance (kafka-tools), the ceiling for a producer here
//  - outboxRelay: rows/s the relay moves from a Postgres outbox to Kafka (acks=all, idempotent producer)
//  - batchConsumer: messages/s applied into Postgres with offsets + id dedupe in the same transaction
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { Partitioners } from 'kafkajs';
import { CreateOutbox1764230400000, OutboxRelay } from '@pacer/messaging';
import { BatchConsumer, CreateConsumerState1764230400100 } from '@pacer/messaging';
import { createLogger } from '@pacer/observability';
import { createTestDatabase, createTestTopics, deleteTestTopics, pollUntil, testBrokers, testKafka, uniqueName } from '@pacer/testing';
import { kafkaClasspath } from '@pacer/testing/infra';
import { runStandalone } from './standalone';

const RECORDS = Number(process.env['BENCH_RECORDS'] ?? 100_000);
const RECORD_BYTES = 512;
const logger = createLogger('bench', 'warn');

function payload(i: number): string {
  const base = JSON.stringify({ id: `evt-${i}`, kind: 'call_logged', repId: `rep-${i % 50}`, pad: '' });
  return base.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, RECORD_BYTES - base.length))}"`);
}

function producerPerformance(topic: string): { recordsPerSec: number; mbPerSec: number; avgLatencyMs: number } {
  const out = execFileSync(
    'java',
    [
      '-Xmx512m',
      '-cp',
      kafkaClasspath(),
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic', topic,
      '--num-records', String(RECORDS),
      '--record-size', String(RECORD_BYTES),
      '--throughput', '-1',
      '--producer-props', `bootstrap.servers=${testBrokers().join(',')}`, 'acks=all', 'enable.idempotence=true',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const last = out.trim().split('\n').pop() ?? '';
  const m = /([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/.exec(last);
  if (!m) throw new Error(`unexpected ProducerPerformance output: ${last}`);
  return { recordsPerSec: Number(m[1]), mbPerSec: Number(m[2]), avgLatencyMs: Number(m[3]) };
}

export interface FoundationFigures {
  producerPerformanceRecordsPerSec: number;
  producerPerformanceMbPerSec: number;
  outboxRelayRecordsPerSec: number;
  batchConsumerMessagesPerSec: number;
  records: number;
  recordBytes: number;
}

export async function benchFoundation(): Promise<FoundationFigures> {
  const kafka = testKafka('pacer-bench');
  const baselineTopic = uniqueName('bench.baseline');
  const relayTopic = uniqueName('bench.relay');
  const consumeTopic = uniqueName('bench.consume');
  const dlq = uniqueName('bench.dlq');
  await createTestTopics(kafka, [baselineTopic, relayTopic, consumeTopic, dlq], 6);
  const db = await createTestDatabase('bench', [CreateOutbox1764230400000, CreateConsumerState1764230400100]);
  try {
    const baseline = producerPerformance(baselineTopic);

    // Outbox relay: fill the outbox, then time the drain to the broker.
    await db.dataSource.query(
      `INSERT INTO outbox (topic, key, value) SELECT $1, 't:rep-' || (i % 50), convert_to($2 || i, 'UTF8') FROM generate_series(1, $3) AS i`,
      [relayTopic, payload(0).slice(0, RECORD_BYTES - 8), RECORDS],
    );
    const relay = new OutboxRelay({ databaseUrl: db.url, kafka, logger, batchSize: 1000 });
    let t = process.hrtime.bigint();
    const relayed = await relay.drain();
    const relaySeconds = Number(process.hrtime.bigint() - t) / 1e9;
    await relay.stop();

    // Batch consumer: preload the topic, then time applying every record into Postgres.
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (let i = 0; i < RECORDS; i += 5000) {
      await producer.send({
        topic: consumeTopic,
        acks: -1,
        messages: Array.from({ length: Math.min(5000, RECORDS - i) }, (_, j) => ({ key: `t:rep-${(i + j) % 50}`, value: payload(i + j) })),
      });
    }
    await producer.disconnect();
    await db.dataSource.query(`CREATE TABLE bench_applied (id text PRIMARY KEY, rep text NOT NULL)`);
    const consumer = new BatchConsumer<{ id: string; repId: string }>({
      kafka,
      dataSource: db.dataSource,
      logger,
      groupId: uniqueName('bench-group'),
      topics: [consumeTopic],
      decode: (v) => ({ ok: true, event: JSON.parse(v?.toString() ?? '{}') as { id: string; repId: string } }),
      eventId: (e) => e.id,
      dlqTopic: dlq,
      handler: {
        async handle({ event }, { manager }) {
          await manager.query(`INSERT INTO bench_applied (id, rep) VALUES ($1, $2)`, [event.id, event.repId]);
        },
      },
    });
    t = process.hrtime.bigint();
    await consumer.start();
    await pollUntil(
      () => db.dataSource.query(`SELECT count(*)::int AS n FROM bench_applied`) as Promise<{ n: number }[]>,
      (r) => r[0]?.n === RECORDS,
      { timeoutMs: 600_000, intervalMs: 200, what: 'all records applied' },
    );
    const consumeSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    await consumer.stop();

    const relayRate = relayed / relaySeconds;
    const consumeRate = RECORDS / consumeSeconds;
    // The consumer figure includes the group join; one INSERT per message + offsets + id dedupe per batch.
    return {
      producerPerformanceRecordsPerSec: Math.round(baseline.recordsPerSec),
      producerPerformanceMbPerSec: baseline.mbPerSec,
      outboxRelayRecordsPerSec: Math.round(relayRate),
      batchConsumerMessagesPerSec: Math.round(consumeRate),
      records: RECORDS,
      recordBytes: RECORD_BYTES,
    };
  } finally {
    await db.drop();
    await deleteTestTopics(kafka, [baselineTopic, relayTopic, consumeTopic, dlq]);
  }
}

if (require.main === module) {
  runStandalone('foundation', benchFoundation);
}
