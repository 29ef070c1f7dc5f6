import { loadConfig, ServiceName } from '@pacer/config';
import { DataSource } from 'typeorm';
import { MigrationClass } from './platform-options';

/**
 * Runs pending migrations under a Postgres advisory lock, so replicas booting together (or a
 * migration Job racing a rolling update) apply each migration exactly once.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('pacer_migrations'))`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('pacer_migrations'))`).catch(() => undefined);
    await runner.release();
  }
}

/** A TypeORM DataSource for a service database. Schema changes come only from migrations. */
export function createDataSource(url: string, migrations: readonly MigrationClass[], applicationName: string): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations: [...migrations],
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: { max: 20 },
  });
}

/** `migrate.ts` entry of each service: applies pending migrations and exits non-zero on failure. */
export async function runMigrationsCli(service: ServiceName, migrations: readonly MigrationClass[]): Promise<void> {
  const config = loadConfig(service);
  const dataSource = createDataSource(config.databaseUrl, migrations, `pacer-${service}-migrate`);
  try {
    await dataSource.initialize();
    const applied = await runMigrations(dataSource);
    process.stdout.write(`${service}: ${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}\n`);
    await dataSource.destroy();
  } catch (e) {
    process.stderr.write(`${service}: migration failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
