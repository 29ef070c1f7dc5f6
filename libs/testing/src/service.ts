import { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { defaultDatabaseName } from '@pacer/config';
import { createServiceApp, ServiceDefinition } from '@pacer/platform';
import { createTestDatabase, TestDatabase } from './database';
import { testBrokers, uniqueName } from './kafka';

export const TEST_JWT_SECRET = 'pacer-test-secret';

export interface RunningService {
  app: INestApplication;
  baseUrl: string;
  db: TestDatabase;
  /** The service's own pool (the one its migrations and handlers use). */
  dataSource: DataSource;
  groupId: string;
  close(): Promise<void>;
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
  const { app } = await createServiceApp(definition, {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testBrokers().join(','),
    KAFKA_GROUP_ID: groupId,
    PACER_JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
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
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
