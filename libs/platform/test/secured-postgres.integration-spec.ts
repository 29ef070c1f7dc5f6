import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { DatabaseConnection, loadDatabaseConnection } from '@pacer/config';
import { TOPICS } from '@pacer/contracts';
import { CreateOutbox1764230400000, enqueueOutbox, OutboxRelay } from '@pacer/messaging';
import { createLogger } from '@pacer/observability';
import { createTestTopics, deleteTestTopics, pollUntil, testKafka, TopicRecorder, uniqueName } from '@pacer/testing';
import { ensureTestPki, startTlsPostgres, TestPki, TlsPostgres } from '@pacer/testing/infra';
import { createDataSource, runMigrations } from '../src';

/**
 * Postgres over TLS with the settings an operator gives (DATABASE_URL's sslmode / sslrootcert,
 * DATABASE_SSL_*), against a cluster of the test's own that refuses plaintext connections and
 * presents a certificate for 127.0.0.1 signed by a throwaway CA.
 */
describe('Postgres over TLS (sslmode verify-full with a CA)', () => {
  const PORT = 25432;
  const pkiRoot = mkdtempSync(join(tmpdir(), 'pacer-tls-pg-pki-'));
  let pki: TestPki;
  let pg: TlsPostgres;
  const logger = createLogger('secured-postgres-test', 'silent');
  const open: DataSource[] = [];

  async function connect(url: string, env: NodeJS.ProcessEnv = {}): Promise<{ ds: DataSource; connection: DatabaseConnection }> {
    const connection = loadDatabaseConnection(url, env);
    const ds = createDataSource(connection, [CreateOutbox1764230400000], 'pacer-tls-test');
    open.push(ds);
    await ds.initialize();
    return { ds, connection };
  }

  beforeAll(async () => {
    pki = ensureTestPki(join(pkiRoot, 'pki'));
    pg = await startTlsPostgres({ port: PORT, pki, log: () => undefined });
  }, 120_000);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((ds) => (ds.isInitialized ? ds.destroy() : undefined)));
  });

  afterAll(async () => {
    await pg?.stop();
    rmSync(pkiRoot, { recursive: true, force: true });
  }, 90_000);

  it('verify-full with sslrootcert in DATABASE_URL connects over TLS, with the statement timeout of DATABASE_STATEMENT_TIMEOUT_MS', async () => {
    const { ds } = await connect(`${pg.serverUrl}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(pki.caFile)}`, {
      DATABASE_STATEMENT_TIMEOUT_MS: '300',
      DATABASE_POOL_SIZE: '3',
    });
    const [row] = (await ds.query('SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()')) as { ssl: boolean; version: string }[];
    expect(row?.ssl).toBe(true);
    expect(row?.version).toMatch(/^TLSv1\.[23]$/);
    expect(await ds.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '300ms' }]);
    await expect(ds.query('SELECT pg_sleep(2)')).rejects.toThrow(/canceling statement due to statement timeout/);
  });

  it('DATABASE_SSL_MODE and DATABASE_SSL_CA_FILE do the same, and migrations run through them', async () => {
    const { ds } = await connect(`${pg.serverUrl}/postgres`, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: pki.caFile, DATABASE_STATEMENT_TIMEOUT_MS: '5000' });
    await runMigrations(ds);
    expect(await ds.query(`SELECT to_regclass('outbox') IS NOT NULL AS present`)).toEqual([{ present: true }]);
  });

  it('refuses a server whose certificate the CA did not sign', async () => {
    await expect(connect(`${pg.serverUrl}/postgres`, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: pki.untrustedCaFile })).rejects.toThrow(
      /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer certificate/,
    );
  });

  it('verify-full refuses a host the certificate does not name; verify-ca (chain only) accepts it', async () => {
    const otherHost = `postgres://postgres@127.0.0.2:${PORT}/postgres`;
    await expect(connect(otherHost, { DATABASE_SSL_MODE: 'verify-full', DATABASE_SSL_CA_FILE: pki.caFile })).rejects.toThrow(
      /Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.2/,
    );
    const { ds } = await connect(otherHost, { DATABASE_SSL_MODE: 'verify-ca', DATABASE_SSL_CA_FILE: pki.caFile });
    expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('a plaintext connection is refused by the server, so the ones above really were TLS', async () => {
    await expect(connect(`${pg.serverUrl}/postgres`)).rejects.toThrow(/pg_hba.conf rejects connection .*no encryption/);
  });

  it('the outbox relay connects with the same TLS settings and publishes', async () => {
    const url = `${pg.serverUrl}/postgres?sslmode=verify-full&sslrootcert=${encodeURIComponent(pki.caFile)}`;
    const { ds, connection } = await connect(url);
    await runMigrations(ds);
    const prefix = `${uniqueName('tls-pg')}.`;
    const kafka = testKafka('tls-pg-relay');
    await createTestTopics(kafka, [prefix + TOPICS.activities], 1);
    const recorder = await new TopicRecorder(kafka, [prefix + TOPICS.activities]).start();
    const relay = new OutboxRelay({
      databaseUrl: connection.url,
      postgres: { ssl: connection.ssl, statementTimeoutMs: connection.statementTimeoutMs },
      kafka,
      logger,
      topicPrefix: prefix,
      lockName: uniqueName('tls-relay'),
    });
    try {
      const id = uniqueName('over-tls');
      await ds.transaction((manager) => enqueueOutbox(manager, [{ topic: TOPICS.activities, key: id, value: { id } }]));
      // The server accepts TLS only, so publishing at all proves the relay's own connection is TLS.
      expect(await relay.drain()).toBe(1);
      const records = await pollUntil(() => recorder.json<{ id: string }>(), (r) => r.some((x) => x.id === id), { timeoutMs: 20_000, what: `record ${id}` });
      expect(records.filter((r) => r.id === id)).toHaveLength(1);
    } finally {
      await relay.stop();
      await recorder.stop();
      await deleteTestTopics(kafka, [prefix + TOPICS.activities]);
    }
  });
});
