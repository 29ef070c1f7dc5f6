import { defaultDatabaseName, SERVICES } from '@pacer/config';
import { Client } from 'pg';
import { InfraLog } from './log';

export const DEFAULT_DATABASE_SERVER = 'postgres://postgres@127.0.0.1:5432';

/** One database per service (SPEC §1: no service reads another's tables), all on one local server. */
export const SERVICE_DATABASES: readonly string[] = SERVICES.map((service) => defaultDatabaseName(service));

/** `postgres://u@h:5432` + `pacer_x` → `postgres://u@h:5432/pacer_x`, keeping query options such as sslmode. */
export function databaseUrlFor(serverUrl: string, dbName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(dbName)}`;
  return url.toString();
}

/** The server part of a database URL (its path, the database name, removed). */
export function serverUrlOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '';
  return url.toString();
}

export function describeServer(serverUrl: string): string {
  const url = new URL(serverUrl);
  return `${url.hostname}:${url.port || '5432'}`;
}

/**
 * A connection to a database that always exists, for CREATE DATABASE and probes. `template1` is the
 * fallback for servers where `postgres` was dropped or the user may not connect to it.
 */
export async function withMaintenanceClient<T>(
  serverUrl: string,
  fn: (client: Client) => Promise<T>,
): Promise<T> {
  let lastError: unknown;
  for (const db of ['postgres', 'template1']) {
    const client = new Client({
      connectionString: databaseUrlFor(serverUrl, db),
      connectionTimeoutMillis: 3_000,
    });
    try {
      await client.connect();
    } catch (err) {
      lastError = err;
      await client.end().catch(() => undefined);
      if (pgCode(err) === '3D000' || pgCode(err) === '42501') continue; // no such database / not allowed: try the next
      throw err;
    }
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw lastError;
}

export function pgCode(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const code = (err as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Returns true when it created the database, false when it was already there. */
export async function createDatabaseIfMissing(serverUrl: string, dbName: string): Promise<boolean> {
  return withMaintenanceClient(serverUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if ((found.rowCount ?? 0) > 0) return false;
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
      return true;
    } catch (err) {
      // A concurrent caller won the race: 42P04 duplicate_database, or 23505 when both inserted
      // into pg_database at once. Either way the database now exists, which is all we wanted.
      if (pgCode(err) === '42P04' || pgCode(err) === '23505') return false;
      throw err;
    }
  });
}

export async function ensureDatabase(serverUrl: string, dbName: string): Promise<void> {
  await createDatabaseIfMissing(serverUrl, dbName);
}

export async function ensureServiceDatabases(serverUrl: string, log: InfraLog): Promise<void> {
  const created: string[] = [];
  for (const db of SERVICE_DATABASES) {
    if (await createDatabaseIfMissing(serverUrl, db)) created.push(db);
  }
  log(
    `postgres: ${SERVICE_DATABASES.length} service databases ready on ${describeServer(serverUrl)}` +
      (created.length > 0 ? ` (created ${created.join(', ')})` : ''),
  );
}

export async function existingDatabases(
  serverUrl: string,
  names: readonly string[],
): Promise<Record<string, boolean>> {
  return withMaintenanceClient(serverUrl, async (client) => {
    const rows = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname = ANY($1)',
      [names],
    );
    const present = new Set(rows.rows.map((r) => r.datname));
    return Object.fromEntries(names.map((n) => [n, present.has(n)]));
  });
}
