import { randomBytes } from 'node:crypto';
import { Consumer, Kafka, KafkaMessage, logLevel } from 'kafkajs';
import { securityFor } from './infra/kafka-client';

process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

export function testBrokers(): string[] {
  return (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
}

export function testKafka(clientId = 'pacer-test'): Kafka {
  const brokers = testBrokers();
  const security = securityFor(brokers);
  return new Kafka({
    clientId,
    brokers,
    ...(security?.ssl ? { ssl: security.ssl } : {}),
    ...(security?.sasl ? { sasl: security.sasl } : {}),
    logLevel: logLevel.NOTHING,
    retry: { retries: 8 },
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Creates throwaway topics so a test never sees another test's records. */
export async function createTestTopics(kafka: Kafka, topics: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions })) });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTestTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } catch {
    // best effort: a test broker is disposable
  } finally {
    await admin.disconnect();
  }
}

export interface ReadRecord {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/**
 * Collects every record of `topics` from the beginning in a background consumer. `records` grows
 * as records arrive; pair it with pollUntil to wait for what a test expects.
 */
export class TopicRecorder {
  readonly records: ReadRecord[] = [];
  private consumer?: Consumer;

  constructor(private readonly kafka: Kafka, private readonly topics: string[]) {}

  async start(): Promise<this> {
    const consumer = this.kafka.consumer({ groupId: uniqueName('recorder'), maxWaitTimeInMs: 100 });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of this.topics) {
      await consumer.subscribe({ topic, fromBeginning: true });
    }
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        this.records.push(toRecord(topic, partition, message));
      },
    });
    await joined;
    return this;
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }

  json<T = unknown>(): T[] {
    return this.records.map((r) => JSON.parse(r.value?.toString() ?? 'null') as T);
  }
}

function toRecord(topic: string, partition: number, m: KafkaMessage): ReadRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    if (v !== undefined) headers[k] = (Array.isArray(v) ? v[0] : v)?.toString() ?? '';
  }
  return { topic, partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value, headers };
}
