import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, MixedList } from 'typeorm';
import { databaseUrlFor } from './infra/databases';

/** The Postgres server the harness brought up (set by the jest global setup). */
export function testDatabaseServerUrl(): string {
  return process.env['PACER_TEST_DATABASE_SERVER_URL'] ?? 'postgres://postgres@127.0.0.1:5432';
}

export interface TestDatabase {
  name: string;
  url: string;
  dataSource: DataSource;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database with the given migrations applied, so each test file owns its
 * state and leaves nothing behind for the next one.
 */
export async function createTestDatabase(
  prefix: string,
  migrations: MixedList<string | (new () => object)>,
): Promise<TestDatabase> {
  const server = testDatabaseServerUrl();
  const name = `pacer_test_${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrlFor(server, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = databaseUrlFor(server, name);
  const dataSource = new DataSource({ type: 'postgres', url, migrations, migrationsRun: false, logging: false });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    name,
    url,
    dataSource,
    async drop() {
      if (dataSource.isInitialized) {
        await dataSource.destroy();
      }
      const c = new Client({ connectionString: databaseUrlFor(server, 'postgres') });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
