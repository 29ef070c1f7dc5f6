import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { loadDatabaseConnection } from './database-connection';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----';
const dir = mkdtempSync(join(tmpdir(), 'pacer-database-connection-'));
const caFile = join(dir, 'root.crt');
writeFileSync(caFile, `${CA}\n`);
const URL = 'postgres://pacer:p%40ss@db.internal:5432/pacer_commission';

describe('loadDatabaseConnection', () => {
  it('is plain with a pool of 20 and no statement timeout by default, and leaves the URL as given', () => {
    expect(loadDatabaseConnection(URL, {})).toEqual({
      url: URL,
      sslMode: 'disable',
      ssl: false,
      poolSize: 20,
      statementTimeoutMs: 0,
      summary: 'sslmode disable, pool 20, statement timeout none',
    });
  });

  it('verify-full with a CA from DATABASE_SSL_CA_FILE checks the chain and the host name', () => {
    const c = loadDatabaseConnection(URL, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: caFile });
    expect(c.ssl).toEqual({ ca: CA, rejectUnauthorized: true });
    expect(c.summary).toContain('sslmode verify-full, own CA');
  });

  it('reads libpq-style URL parameters and takes them out of the URL node-postgres and TypeORM get', () => {
    const c = loadDatabaseConnection(`${URL}?sslmode=verify-full&sslrootcert=${encodeURIComponent(caFile)}&connect_timeout=5`, {});
    expect(c.sslMode).toBe('verify-full');
    expect(c.ssl).toEqual({ ca: CA, rejectUnauthorized: true });
    expect(c.url).toBe(`${URL}?connect_timeout=5`);
  });

  it('falls back to PGSSLMODE and PGSSLROOTCERT, the libpq variables', () => {
    const c = loadDatabaseConnection(URL, { PGSSLMODE: 'verify-ca', PGSSLROOTCERT: caFile });
    expect(c.ssl).toMatchObject({ ca: CA, rejectUnauthorized: true });
    expect(c.ssl && c.ssl.checkServerIdentity?.()).toBeUndefined();
  });

  it('require encrypts without verifying (libpq semantics)', () => {
    expect(loadDatabaseConnection(URL, { DATABASE_SSL_MODE: 'require' }).ssl).toEqual({ rejectUnauthorized: false });
  });

  it('reads the pool size and the statement timeout', () => {
    const c = loadDatabaseConnection(URL, { DATABASE_POOL_SIZE: '5', DATABASE_STATEMENT_TIMEOUT_MS: '30000' });
    expect([c.poolSize, c.statementTimeoutMs]).toEqual([5, 30000]);
  });

  it.each([
    [URL, { DATABASE_SSL_MODE: 'prefer' }, /DATABASE_SSL_MODE must be one of disable, require, verify-ca, verify-full/],
    [`${URL}?sslmode=require`, { DATABASE_SSL_MODE: 'verify-full' }, /DATABASE_SSL_MODE=verify-full contradicts sslmode=require in DATABASE_URL/],
    [URL, { DATABASE_SSL_CA_FILE: caFile }, /SSL mode is disable; set DATABASE_SSL_MODE=verify-full/],
    [URL, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: '/nope.pem' }, /DATABASE_SSL_CA_FILE names \/nope.pem, which cannot be read/],
    [`${URL}?sslmode=verify-full&sslrootcert=/nope.pem`, {}, /DATABASE_URL sslrootcert names \/nope.pem, which cannot be read/],
    [URL, { DATABASE_POOL_SIZE: '0' }, /DATABASE_POOL_SIZE must be an integer of at least 1/],
    [URL, { DATABASE_STATEMENT_TIMEOUT_MS: '-1' }, /DATABASE_STATEMENT_TIMEOUT_MS must be an integer of at least 0/],
    [`${URL}?ssl=true`, {}, /use sslmode=/],
  ])('refuses %s with %j naming the setting', (url, env, message) => {
    expect(() => loadDatabaseConnection(url, env)).toThrow(message);
  });

  it('is part of every service config; databaseUrl is the URL without its TLS parameters', () => {
    const c = loadConfig('commission', { DATABASE_URL: `${URL}?sslmode=verify-full&sslrootcert=${caFile}` });
    expect(c.databaseUrl).toBe(URL);
    expect(c.database.sslMode).toBe('verify-full');
    expect(() => loadConfig('commission', { DATABASE_POOL_SIZE: 'x' })).toThrow(/^invalid configuration for commission: DATABASE_POOL_SIZE/);
  });
});
