import { readFileSync } from 'node:fs';
import { ConfigError } from './config';
import { nonEmpty, readPemVariable, TlsClientOptions } from './env-secret';

/** libpq's sslmode values that node-postgres can honour (it has no "try TLS, fall back to plain"). */
export const DATABASE_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type DatabaseSslMode = (typeof DATABASE_SSL_MODES)[number];

/**
 * How a service connects to its Postgres database. `url` carries no TLS parameters: they are folded
 * into `ssl`, so node-postgres and TypeORM (which read URL parameters differently, or not at all)
 * get one explicit answer.
 */
export interface DatabaseConnection {
  url: string;
  sslMode: DatabaseSslMode;
  /** node-postgres `ssl`: false for `disable`. */
  ssl: false | TlsClientOptions;
  /** Connections per pool (TypeORM's pg pool of each process). */
  poolSize: number;
  /** Server-side `statement_timeout` in ms for every statement of every connection; 0 = none. */
  statementTimeoutMs: number;
  /** No secrets: mode, where the CA comes from, pool size, timeout. */
  summary: string;
}

/** Every variable `loadDatabaseConnection` reads besides DATABASE_URL (each PEM also as `<NAME>_FILE`). */
export const DATABASE_CONNECTION_VARIABLES = [
  'DATABASE_SSL_MODE',
  'DATABASE_SSL_CA',
  'DATABASE_SSL_CA_FILE',
  'DATABASE_SSL_CERT',
  'DATABASE_SSL_CERT_FILE',
  'DATABASE_SSL_KEY',
  'DATABASE_SSL_KEY_FILE',
  'DATABASE_POOL_SIZE',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'PGSSLMODE',
  'PGSSLROOTCERT',
] as const;

const URL_TLS_PARAMS = ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl'] as const;

function fail(message: string): never {
  throw new ConfigError(`invalid configuration: ${message}`);
}

function sslModeOf(raw: string | undefined, source: string): DatabaseSslMode | undefined {
  if (raw === undefined) return undefined;
  const mode = DATABASE_SSL_MODES.find((m) => m === raw.trim().toLowerCase());
  return mode ?? fail(`${source} must be one of ${DATABASE_SSL_MODES.join(', ')}, not "${raw}"`);
}

function readPemFile(path: string, source: string): string {
  try {
    const text = readFileSync(path, 'utf8');
    if (!/-----BEGIN [A-Z ]*(CERTIFICATE|PRIVATE KEY)-----/.test(text)) fail(`${source} names ${path}, which holds no PEM block`);
    return text.replace(/\r?\n$/, '');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    return fail(`${source} names ${path}, which cannot be read (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

function nonNegativeInt(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) fail(`${name} must be an integer of at least ${min}, not "${raw}"`);
  return value;
}

/**
 * Reads the database URL's TLS settings the way libpq does (`?sslmode=verify-full&sslrootcert=...`,
 * PGSSLMODE, PGSSLROOTCERT) and Pacer's own DATABASE_SSL_* variables (which win over the libpq
 * fallbacks; a URL parameter and a DATABASE_SSL_* variable that disagree are refused). `verify-ca`
 * and `verify-full` without a CA trust Node's bundled public roots.
 */
export function loadDatabaseConnection(url: string, env: NodeJS.ProcessEnv = process.env): DatabaseConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return fail('DATABASE_URL is not a URL');
  }
  const param = (name: string): string | undefined => nonEmpty(parsed.searchParams.get(name) ?? undefined);
  if (param('ssl') !== undefined) fail('DATABASE_URL: use sslmode=... (libpq) instead of ssl=...');

  const fromUrl = sslModeOf(param('sslmode'), 'DATABASE_URL sslmode');
  const fromVariable = sslModeOf(nonEmpty(env['DATABASE_SSL_MODE']), 'DATABASE_SSL_MODE');
  if (fromUrl && fromVariable && fromUrl !== fromVariable) {
    fail(`DATABASE_SSL_MODE=${fromVariable} contradicts sslmode=${fromUrl} in DATABASE_URL; set one of them`);
  }
  const sslMode = fromVariable ?? fromUrl ?? sslModeOf(nonEmpty(env['PGSSLMODE']), 'PGSSLMODE') ?? 'disable';

  const ca =
    readPemVariable(env, 'DATABASE_SSL_CA', 'CERTIFICATE') ??
    (param('sslrootcert') ? readPemFile(param('sslrootcert') as string, 'DATABASE_URL sslrootcert') : undefined) ??
    (nonEmpty(env['PGSSLROOTCERT']) ? readPemFile(env['PGSSLROOTCERT'] as string, 'PGSSLROOTCERT') : undefined);
  const cert =
    readPemVariable(env, 'DATABASE_SSL_CERT', 'CERTIFICATE') ??
    (param('sslcert') ? readPemFile(param('sslcert') as string, 'DATABASE_URL sslcert') : undefined);
  const key =
    readPemVariable(env, 'DATABASE_SSL_KEY', 'PRIVATE KEY') ??
    (param('sslkey') ? readPemFile(param('sslkey') as string, 'DATABASE_URL sslkey') : undefined);
  if ((cert === undefined) !== (key === undefined)) {
    fail('DATABASE_SSL_CERT and DATABASE_SSL_KEY (or sslcert and sslkey) go together: a client certificate needs its key');
  }
  if (sslMode === 'disable' && (ca || cert)) {
    fail('a database CA or client certificate is configured but the SSL mode is disable; set DATABASE_SSL_MODE=verify-full');
  }

  // Left exactly as given when it has no TLS parameters: URL re-serialisation may re-encode a password.
  const hadTlsParams = URL_TLS_PARAMS.some((name) => parsed.searchParams.has(name));
  for (const name of URL_TLS_PARAMS) parsed.searchParams.delete(name);
  const ssl: false | TlsClientOptions =
    sslMode === 'disable'
      ? false
      : {
          ...(ca ? { ca } : {}),
          ...(cert && key ? { cert, key } : {}),
          // libpq's `require` encrypts without checking who answers; verify-ca checks the chain only.
          rejectUnauthorized: sslMode !== 'require',
          ...(sslMode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
        };
  const poolSize = nonNegativeInt(env, 'DATABASE_POOL_SIZE', 20, 1);
  const statementTimeoutMs = nonNegativeInt(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 0, 0);
  const summary = [
    `sslmode ${sslMode}`,
    ...(sslMode === 'disable' ? [] : [ca ? 'own CA' : 'system CAs']),
    ...(cert ? ['client certificate'] : []),
    `pool ${poolSize}`,
    `statement timeout ${statementTimeoutMs === 0 ? 'none' : `${statementTimeoutMs} ms`}`,
  ].join(', ');
  return { url: hadTlsParams ? parsed.toString() : url, sslMode, ssl, poolSize, statementTimeoutMs, summary };
}
