import { join } from 'node:path';
import {
  DEFAULT_DATABASE_SERVER,
  describeServer,
  ensureServiceDatabases,
  pgCode,
  serverUrlOf,
  withMaintenanceClient,
} from './databases';
import { withFileLock } from './file-lock';
import { InfraLog, seconds } from './log';
import { cacheDir } from './paths';
import { pollUntil } from './poll';
import { startLocalPostgres } from './postgres-cluster';

export type PostgresMode = 'env' | 'running' | 'started';

export interface PostgresEndpoint {
  serverUrl: string;
  mode: PostgresMode;
}

// Errors that mean "nothing (ready) there yet", as opposed to "a server that rejects us".
const NOT_UP_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', '57P03']);

/**
 * 'up' or 'down'; a server that answers but refuses us (bad password, no such role) throws, because
 * starting a second server would not fix that and would only hide the real problem.
 */
export async function postgresState(serverUrl: string): Promise<'up' | 'down'> {
  try {
    await withMaintenanceClient(serverUrl, async (client) => client.query('SELECT 1'));
    return 'up';
  } catch (err) {
    const code = pgCode(err);
    const message = err instanceof Error ? err.message : String(err);
    if (
      (code && NOT_UP_CODES.has(code)) ||
      /timeout|terminated unexpectedly|the database system is/i.test(message)
    ) {
      return 'down';
    }
    throw new Error(`PostgreSQL at ${describeServer(serverUrl)} answered but refused us: ${message}`);
  }
}

export async function waitForPostgres(serverUrl: string, timeoutMs: number): Promise<void> {
  await pollUntil(
    `PostgreSQL on ${describeServer(serverUrl)}`,
    async () => ((await postgresState(serverUrl)) === 'up' ? true : undefined),
    {
      timeoutMs,
      intervalMs: 500,
    },
  );
}

export async function ensurePostgres(log: InfraLog): Promise<PostgresEndpoint> {
  const started = Date.now();
  const fromEnv = process.env['DATABASE_URL']?.trim();
  let endpoint: PostgresEndpoint;
  if (fromEnv) {
    const serverUrl = serverUrlOf(fromEnv);
    await waitForPostgres(serverUrl, 120_000);
    log(`postgres env up on ${describeServer(serverUrl)} (DATABASE_URL)`);
    endpoint = { serverUrl, mode: 'env' };
  } else if ((await postgresState(DEFAULT_DATABASE_SERVER)) === 'up') {
    log(`postgres running on ${describeServer(DEFAULT_DATABASE_SERVER)}`);
    endpoint = { serverUrl: DEFAULT_DATABASE_SERVER, mode: 'running' };
  } else {
    // Two processes finding the server down at once must not both try to start it.
    const how = await withFileLock(join(cacheDir(), 'postgres.lock'), 'PostgreSQL start', async () =>
      (await postgresState(DEFAULT_DATABASE_SERVER)) === 'up'
        ? 'started by another process'
        : startLocalPostgres(log, Number(new URL(DEFAULT_DATABASE_SERVER).port)),
    );
    await waitForPostgres(DEFAULT_DATABASE_SERVER, 120_000);
    log(`postgres started on ${describeServer(DEFAULT_DATABASE_SERVER)} (${how}, ${seconds(started)})`);
    endpoint = { serverUrl: DEFAULT_DATABASE_SERVER, mode: 'started' };
  }
  await ensureServiceDatabases(endpoint.serverUrl, log);
  return endpoint;
}
