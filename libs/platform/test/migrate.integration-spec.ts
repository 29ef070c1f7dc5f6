import { MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@pacer/testing';
import { createDataSource, runMigrations } from '../src/migrate';

class CreateCounter1700000000000 implements MigrationInterface {
  name = 'CreateCounter1700000000000';
  async up(q: QueryRunner): Promise<void> {
    // Slow on purpose so concurrent replicas overlap inside the migration.
    await q.query('SELECT pg_sleep(0.2)');
    await q.query('CREATE TABLE migrated_once (id int PRIMARY KEY)');
    await q.query('INSERT INTO migrated_once VALUES (1)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE migrated_once');
  }
}

describe('runMigrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('migrate', []);
  });
  afterAll(() => db.drop());

  it('applies each migration once when several replicas boot at the same time', async () => {
    const replicas = Array.from({ length: 4 }, () => createDataSource(db.url, [CreateCounter1700000000000], 'test'));
    await Promise.all(replicas.map((r) => r.initialize()));
    try {
      const applied = await Promise.all(replicas.map((r) => runMigrations(r)));
      expect(applied.flat()).toEqual(['CreateCounter1700000000000']);
      const rows = (await db.dataSource.query('SELECT count(*)::int AS n FROM migrated_once')) as { n: number }[];
      expect(rows[0]?.n).toBe(1);
    } finally {
      await Promise.all(replicas.map((r) => r.destroy()));
    }
  });
});
