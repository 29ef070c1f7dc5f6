import { chmodSync, chownSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOk } from './commands';
import { defaultLog, InfraLog } from './log';
import { clusterOwner, ensureSystemUser, findInitdb, runAs, userIds } from './postgres-cluster';
import { TestPki } from './test-pki';

/**
 * A PostgreSQL cluster of its own that accepts TLS connections only (`hostssl` trust, `hostnossl`
 * reject, so a client that silently fell back to plaintext fails), with the server certificate of
 * a test PKI. It listens on 127.0.0.1 and 127.0.0.2: the certificate names only the first, which
 * lets a test tell `verify-full` (checks the name) from `verify-ca` (does not).
 */
export interface TlsPostgres {
  /** Server URL without a database or TLS parameters (`postgres://postgres@127.0.0.1:<port>`). */
  readonly serverUrl: string;
  readonly port: number;
  stop(): Promise<void>;
}

export async function startTlsPostgres(opts: { port: number; pki: TestPki; log?: InfraLog }): Promise<TlsPostgres> {
  const log = opts.log ?? defaultLog;
  const initdb = findInitdb();
  if (!initdb) throw new Error('a TLS Postgres needs PostgreSQL server binaries (initdb, pg_ctl)');
  const pgCtl = join(initdb, '..', 'pg_ctl');
  const owner = clusterOwner();
  if (owner) ensureSystemUser(owner);
  // Under /tmp so the `postgres` user can enter it even when root's home is private.
  const dir = mkdtempSync(join(tmpdir(), 'pacer-tls-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const certFile = join(dir, 'server.crt');
  const keyFile = join(dir, 'server.key');
  copyFileSync(opts.pki.serverCertFile, certFile);
  copyFileSync(opts.pki.serverKeyFile, keyFile);
  // Postgres refuses a key that others can read.
  chmodSync(keyFile, 0o600);
  if (owner) {
    const { uid, gid } = userIds(owner);
    for (const path of [dir, certFile, keyFile]) chownSync(path, uid, gid);
  }
  assertOk(
    'tls postgres initdb',
    await runAs(owner, initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'], 120_000),
  );
  writeFileSync(
    join(dataDir, 'pg_hba.conf'),
    ['local all all trust', 'hostssl all all 127.0.0.0/8 trust', 'hostnossl all all 0.0.0.0/0 reject', ''].join('\n'),
  );
  const settings = [
    '-c', `port=${opts.port}`,
    '-c', "listen_addresses='127.0.0.1,127.0.0.2'",
    '-c', `unix_socket_directories=${dir}`,
    '-c', 'ssl=on',
    '-c', `ssl_cert_file=${certFile}`,
    '-c', `ssl_key_file=${keyFile}`,
    '-c', 'fsync=off',
    '-c', 'max_connections=100',
  ].join(' ');
  assertOk(
    'tls postgres pg_ctl start',
    await runAs(owner, pgCtl, ['-D', dataDir, '-l', logFile, '-o', settings, '-w', '-t', '90', 'start'], 120_000),
  );
  const serverUrl = `postgres://postgres@127.0.0.1:${opts.port}`;
  log(`tls postgres up on ${serverUrl} (${dataDir}, TLS only)`);
  return {
    serverUrl,
    port: opts.port,
    async stop() {
      await runAs(owner, pgCtl, ['-D', dataDir, '-m', 'fast', '-w', '-t', '60', 'stop'], 90_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
