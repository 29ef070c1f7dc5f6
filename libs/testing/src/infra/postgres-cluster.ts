import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { assertOk, CommandResult, findExecutable, isRoot, run, runSync } from './commands';
import { InfraLog, seconds } from './log';
import { cacheDir } from './paths';
import { commandLineOf, isAlive, terminate } from './processes';

/** Where Debian's packages put server binaries; often not on PATH. */
function postgresBinDirs(): string[] {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(base, v, 'bin'));
}

export function findInitdb(): string | undefined {
  return findExecutable('initdb', postgresBinDirs());
}

interface DebianCluster {
  version: string;
  name: string;
  port: number;
  status: string;
}

async function debianClusters(): Promise<DebianCluster[]> {
  const lsclusters = findExecutable('pg_lsclusters');
  if (!lsclusters) return [];
  const result = await run(lsclusters, ['--no-header'], { timeoutMs: 30_000 });
  if (result.code !== 0) return [];
  return result.stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 4 && /^\d+$/.test(cols[2] ?? ''))
    .map(([version = '', name = '', port = '', status = '']) => ({
      version,
      name,
      port: Number(port),
      status,
    }));
}

async function startDebianCluster(
  port: number,
  log: InfraLog,
  opts: { trustLocal?: boolean } = {},
): Promise<string | undefined> {
  const cluster = (await debianClusters()).find((c) => c.port === port);
  if (!cluster) return undefined;
  const online = cluster.status.startsWith('online');
  if (opts.trustLocal && trustLocalConnections(cluster) && online) {
    assertOk(
      'pg_ctlcluster reload',
      await run('pg_ctlcluster', [cluster.version, cluster.name, 'reload'], { timeoutMs: 60_000 }),
    );
  }
  if (online) return `Debian cluster ${cluster.version}/${cluster.name} already online`;
  log(`postgres: starting Debian cluster ${cluster.version}/${cluster.name} (pg_ctlcluster)`);
  assertOk(
    `pg_ctlcluster ${cluster.version} ${cluster.name} start`,
    await run('pg_ctlcluster', [cluster.version, cluster.name, 'start'], { timeoutMs: 120_000 }),
  );
  return `Debian cluster ${cluster.version}/${cluster.name}`;
}

const TRUST_MARK = '# pacer infra: trust local TCP connections';

/**
 * A freshly installed Debian cluster wants a password on 127.0.0.1 (scram-sha-256), but every Pacer
 * default URL is passwordless (`postgres://postgres@127.0.0.1:5432`). Only applied to a cluster that
 * infra itself just installed: the rules are prepended so they win, and the file is edited once.
 * Returns true when it changed the file.
 */
function trustLocalConnections(cluster: DebianCluster): boolean {
  const hba = `/etc/postgresql/${cluster.version}/${cluster.name}/pg_hba.conf`;
  if (!existsSync(hba)) return false;
  const current = readFileSync(hba, 'utf8');
  if (current.includes(TRUST_MARK)) return false;
  writeFileSync(
    hba,
    [TRUST_MARK, 'host all all 127.0.0.1/32 trust', 'host all all ::1/128 trust', '', current].join('\n'),
  );
  return true;
}

async function aptInstallPostgres(log: InfraLog): Promise<void> {
  const started = Date.now();
  log('postgres: no server binaries found; apt-get install -y postgresql');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  assertOk('apt-get update', await run('apt-get', ['update'], { env, timeoutMs: 10 * 60_000 }));
  assertOk(
    'apt-get install postgresql',
    await run('apt-get', ['install', '-y', 'postgresql'], { env, timeoutMs: 15 * 60_000 }),
  );
  log(`postgres: installed in ${seconds(started)}`);
}

/**
 * PostgreSQL refuses to run as root, so as root the private cluster belongs to the `postgres` system
 * user; as anyone else it simply belongs to them.
 */
export function clusterOwner(): string | undefined {
  return isRoot() ? 'postgres' : undefined;
}

export function runAs(
  user: string | undefined,
  command: string,
  args: string[],
  timeoutMs: number,
): Promise<CommandResult> {
  return user
    ? run('runuser', ['-u', user, '--', command, ...args], { timeoutMs })
    : run(command, args, { timeoutMs });
}

const ROOT_FALLBACK_DIR = '/var/lib/pacer';

/**
 * The cache, unless the cluster owner cannot reach it: root's home is usually mode 700, and the
 * `postgres` user must be able to enter its data directory. Then a system directory is used.
 */
function privateClusterRoots(): string[] {
  return [cacheDir(), ROOT_FALLBACK_DIR];
}

async function chooseClusterRoot(owner: string | undefined): Promise<string> {
  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });
  if (!owner) return cache;
  const probe = await run('runuser', ['-u', owner, '--', 'test', '-x', cache, '-a', '-r', cache], {
    timeoutMs: 10_000,
  });
  return probe.code === 0 ? cache : ROOT_FALLBACK_DIR;
}

export function userIds(user: string): { uid: number; gid: number } {
  const uid = runSync('id', ['-u', user]);
  const gid = runSync('id', ['-g', user]);
  if (uid.code !== 0 || gid.code !== 0) throw new Error(`no user ${user}`);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

export function ensureSystemUser(user: string): void {
  if (runSync('id', ['-u', user]).code === 0) return;
  assertOk(
    `useradd ${user}`,
    runSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user]),
  );
}

function majorVersion(initdb: string): string {
  const out = runSync(initdb, ['--version']).stdout; // "initdb (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
  if (!match?.[1]) throw new Error(`cannot tell the PostgreSQL version from "${out.trim()}"`);
  return match[1];
}

function existingPrivateDataDir(): string | undefined {
  for (const root of privateClusterRoots()) {
    if (!existsSync(root)) continue;
    for (const entry of readdirSync(root)
      .filter((e) => /^postgres-\d+$/.test(e))
      .sort()
      .reverse()) {
      const data = join(root, entry, 'data');
      if (existsSync(join(data, 'PG_VERSION'))) return data;
    }
  }
  return undefined;
}

/**
 * A cluster of our own: trust auth on 127.0.0.1 only, and durability settings off because it holds
 * throw-away development and test data (commits are several times faster without fsync).
 */
async function initPrivateCluster(initdb: string, port: number, log: InfraLog): Promise<string> {
  const owner = clusterOwner();
  if (owner) ensureSystemUser(owner);
  const clusterDir = join(await chooseClusterRoot(owner), `postgres-${majorVersion(initdb)}`);
  const dataDir = join(clusterDir, 'data');
  mkdirSync(clusterDir, { recursive: true });
  if (owner) {
    const { uid, gid } = userIds(owner);
    chownSync(clusterDir, uid, gid);
  }
  log(`postgres: initdb of a private cluster in ${dataDir}`);
  assertOk(
    'initdb',
    await runAs(
      owner,
      initdb,
      ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'],
      120_000,
    ),
  );
  appendFileSync(
    join(dataDir, 'postgresql.conf'),
    [
      '',
      '# pacer infra (libs/testing/src/infra/postgres-cluster.ts)',
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${clusterDir.replace(/'/g, "''")}'`,
      'max_connections = 200',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      '',
    ].join('\n'),
  );
  return dataDir;
}

async function startPrivateCluster(dataDir: string, initdb: string): Promise<void> {
  const pgCtl = join(dirname(initdb), 'pg_ctl');
  const logFile = join(dirname(dataDir), 'postgres.log');
  assertOk(
    `pg_ctl start (log ${logFile})`,
    await runAs(clusterOwner(), pgCtl, ['-D', dataDir, '-l', logFile, '-w', '-t', '90', 'start'], 120_000),
  );
}

/** Returns how the server was started, for the progress line. */
export async function startLocalPostgres(log: InfraLog, port: number): Promise<string> {
  const debian = await startDebianCluster(port, log);
  if (debian) return debian;
  let initdb = findInitdb();
  const privateData = existingPrivateDataDir();
  if (!initdb && !privateData && isRoot() && findExecutable('apt-get')) {
    await aptInstallPostgres(log);
    // The package creates (and on most machines starts) a cluster on 5432 itself.
    const installed = await startDebianCluster(port, log, { trustLocal: true });
    if (installed) return installed;
    initdb = findInitdb();
  }
  if (!initdb) {
    throw new Error(
      'no PostgreSQL server on 127.0.0.1:5432 and none can be started here (no initdb; apt-get needs root); ' +
        'install PostgreSQL or set DATABASE_URL',
    );
  }
  const dataDir = privateData ?? (await initPrivateCluster(initdb, port, log));
  const running = postmasterPid(dataDir);
  if (running) return `private cluster ${dataDir} already running (pid ${running})`;
  await startPrivateCluster(dataDir, initdb);
  return `private cluster ${dataDir}`;
}

export interface PrivateClusterStatus {
  dataDir: string;
  pid?: number;
}

export function privateClusterStatus(): PrivateClusterStatus | undefined {
  const dataDir = existingPrivateDataDir();
  if (!dataDir) return undefined;
  return { dataDir, pid: postmasterPid(dataDir) };
}

/** postmaster.pid's first line, while that process is still the postmaster of this data dir. */
function postmasterPid(dataDir: string): number | undefined {
  try {
    const pid = Number.parseInt(
      readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '',
      10,
    );
    if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
    return (commandLineOf(pid) ?? '').includes('postgres') ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Stops only a private cluster infra created; a Debian cluster is the machine's own service and
 * stays up. SIGINT is PostgreSQL's "fast" shutdown: sessions are cut, data is flushed cleanly.
 */
export async function stopPrivatePostgres(log: InfraLog): Promise<void> {
  const status = privateClusterStatus();
  if (!status?.pid) return;
  process.kill(status.pid, 'SIGINT');
  const how = await terminateAfterSignal(status.pid);
  log(`postgres private cluster stopped (pid ${status.pid}${how === 'killed' ? ', killed' : ''})`);
}

async function terminateAfterSignal(pid: number): Promise<'terminated' | 'killed'> {
  // terminate() sends SIGTERM (smart shutdown) next, which is harmless after SIGINT and escalates to SIGKILL.
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 200));
  return isAlive(pid) ? terminate(pid, 5_000) : 'terminated';
}
