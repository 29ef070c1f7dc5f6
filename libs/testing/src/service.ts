import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { defaultDatabaseName } from '@pacer/config';
import { createServiceApp, ServiceDefinition } from '@pacer/platform';
import { TOPIC_SPECS } from '@pacer/contracts';
import { createTestDatabase, TestDatabase } from './database';
import { ensureTopics } from './infra/topics';
import { deleteTestTopics, testBrokers, testKafka, uniqueName } from './kafka';

export const TEST_JWT_SECRET = 'pacer-test-secret';

export interface RunningService {
  app: INestApplication;
  baseUrl: string;
  db: TestDatabase;
  /** The service's own pool (the one its migrations and handlers use). */
  dataSource: DataSource;
  groupId: string;
  /** PACER_TOPIC_PREFIX of this service: its private copies of the SPEC topics. */
  topicPrefix: string;
  /** The name the service really uses for a SPEC topic (`topic(TOPICS.kpi)`). */
  topic(name: string): string;
  close(): Promise<void>;
}

/**
 * Creates a private copy of every SPEC §2 topic (same configs, 3 partitions) under a fresh prefix, so
 * a test never reads another test's records and never replays the shared topics' history.
 */
export async function createTopicNamespace(label = 't'): Promise<string> {
  const prefix = `${uniqueName(label)}.`;
  await ensureTopics(testBrokers(), { prefix, partitions: 3, replicationFactor: 1, log: () => undefined });
  return prefix;
}

export async function deleteTopicNamespace(prefix: string): Promise<void> {
  await deleteTestTopics(
    testKafka('pacer-test-cleanup'),
    TOPIC_SPECS.map((spec) => prefix + spec.name),
  );
}

/**
 * Boots a whole service in-process against the real broker and a fresh database of its own (the
 * service runs its migrations itself, as in production), listening on an ephemeral port.
 */
export async function startTestService(
  definition: ServiceDefinition,
  env: Record<string, string> = {},
): Promise<RunningService> {
  const db = await createTestDatabase(defaultDatabaseName(definition.service).replace('pacer_', ''), []);
  // The service migrates its database itself at boot, as in production; the harness only creates it.
  await db.dataSource.destroy();
  const groupId = uniqueName(`test-${definition.service}`);
  // A caller that passes a prefix (several services in one test) owns its topics; otherwise they are ours.
  const ownsTopics = env['PACER_TOPIC_PREFIX'] === undefined;
  const topicPrefix = env['PACER_TOPIC_PREFIX'] ?? (await createTopicNamespace());
  const { app } = await createServiceApp(definition, {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_GROUP_ID: groupId,
    PACER_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    PACER_TOPIC_PREFIX: topicPrefix,
    ...env,
  });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    db,
    dataSource: app.get(DataSource),
    groupId,
    topicPrefix,
    topic: (name) => topicPrefix + name,
    async close() {
      await app.close();
      await db.drop();
      if (ownsTopics) await deleteTopicNamespace(topicPrefix);
    },
  };
}
