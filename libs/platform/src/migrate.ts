import { DatabaseConnection, loadConfig, ServiceName } from '@pacer/config';
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
    // Waiting for another replica's migrations is not a runaway statement: DATABASE_STATEMENT_TIMEOUT_MS
    // must not fail the boot of every replica but the one that migrates.
    await runner.query('SET statement_timeout = 0');
    await runner.query(`SELECT pg_advisory_lock(hashtext('pacer_migrations'))`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query(`SELECT pg_advisory_unlock(hashtext('pacer_migrations'))`).catch(() => undefined);
    await runner.query('RESET statement_timeout').catch(() => undefined);
    await runner.release();
  }
}

/** A TypeORM DataSource for a service database. Schema changes come only from migrations. */
export function createDataSource(
  database: string | DatabaseConnection,
  migrations: readonly MigrationClass[],
  applicationName: string,
): DataSource {
  const connection = typeof database === 'string' ? undefined : database;
  return new DataSource({
    type: 'postgres',
    url: typeof database === 'string' ? database : database.url,
    ...(connection?.ssl ? { ssl: connection.ssl } : {}),
    migrations: [...migrations],
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: {
      max: connection?.poolSize ?? 20,
      ...(connection?.statementTimeoutMs ? { statement_timeout: connection.statementTimeoutMs } : {}),
    },
  });
}

/** `migrate.ts` entry of each service: applies pending migrations and exits non-zero on failure. */
export async function runMigrationsCli(service: ServiceName, migrations: readonly MigrationClass[]): Promise<void> {
  const config = loadConfig(service);
  const dataSource = createDataSource(config.database, migrations, `pacer-${service}-migrate`);
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
