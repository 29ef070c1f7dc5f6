import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertOk } from './commands';
import { KafkaListener, writeKafkaConfig } from './kafka-config';
import { waitForKafka } from './kafka-client';
import { ensureKafkaLibs, kafkaVersion } from './kafka-libs';
import { formatStorageOnce, javaBinary, launch } from './kafka-local';
import { defaultLog, InfraLog } from './log';
import { kafkaHomePaths, kafkaPaths } from './paths';
import { clusterOwner, ensureSystemUser, findInitdb, runAs, userIds } from './postgres-cluster';
import { isAlive, terminate } from './processes';
import { waitForPostgres } from './postgres';

/**
 * Disposable infrastructure for the chaos test: a Kafka broker and a PostgreSQL cluster of its own,
 * on their own ports and directories, that the test may kill and restart without disturbing the
 * shared development broker and database (or whatever else runs on this machine).
 */
export interface SandboxKafka {
  readonly brokers: string[];
  readonly pid: number | undefined;
  /** SIGTERM (controlled shutdown), then start again on the same data: a broker restart. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface SandboxPostgres {
  /** Server URL without a database (`postgres://postgres@127.0.0.1:<port>`). */
  readonly serverUrl: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSandboxKafka(
  opts: { port: number; controllerPort: number; dir?: string; log?: InfraLog },
): Promise<SandboxKafka> {
  const log = opts.log ?? defaultLog;
  const home = opts.dir ?? mkdtempSync(join(tmpdir(), 'pacer-sandbox-kafka-'));
  const paths = kafkaHomePaths(kafkaPaths(kafkaVersion()).libs, home, join(home, 'kafka.lock'));
  const listener: KafkaListener = { host: '127.0.0.1', port: opts.port, controllerPort: opts.controllerPort };
  const brokers = [`${listener.host}:${listener.port}`];
  const java = javaBinary();
  const libs = await ensureKafkaLibs(log);
  mkdirSync(paths.logsDir, { recursive: true });
  writeKafkaConfig(paths, listener);
  await formatStorageOnce(java, libs, paths, log);
  let pid: number | undefined;

  async function start(): Promise<void> {
    const started = launch(java, libs, paths);
    pid = started;
    await waitForKafka(brokers, {
      timeoutMs: 120_000,
      abortReason: () => (isAlive(started) ? undefined : `sandbox broker ${started} exited (see ${paths.jvmOut})`),
    });
  }
  async function stop(): Promise<void> {
    if (pid !== undefined && isAlive(pid)) await terminate(pid, 60_000);
    pid = undefined;
  }
  await start();
  log(`sandbox kafka up on ${brokers[0]} (pid ${pid}, ${home})`);
  return {
    brokers,
    get pid() {
      return pid;
    },
    async restart() {
      await stop();
      await start();
    },
    async stop() {
      await stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

export async function startSandboxPostgres(opts: { port: number; log?: InfraLog }): Promise<SandboxPostgres> {
  const log = opts.log ?? defaultLog;
  const initdb = findInitdb();
  if (!initdb) throw new Error('the chaos sandbox needs PostgreSQL server binaries (initdb, pg_ctl)');
  const pgCtl = join(initdb, '..', 'pg_ctl');
  const owner = clusterOwner();
  if (owner) ensureSystemUser(owner);
  // Under /tmp so the `postgres` user can enter it even when root's home is private.
  const dir = mkdtempSync(join(tmpdir(), 'pacer-sandbox-pg-'));
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  if (owner) {
    const { uid, gid } = userIds(owner);
    chownSync(dir, uid, gid);
  }
  assertOk(
    'sandbox initdb',
    await runAs(owner, initdb, ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale'], 120_000),
  );
  const settings = [
    '-c', `port=${opts.port}`,
    '-c', "listen_addresses=127.0.0.1",
    '-c', `unix_socket_directories=${dir}`,
    '-c', 'max_connections=300',
    // Durability stays ON here: the chaos test restarts this server and must not lose committed work.
    '-c', 'fsync=on',
  ].join(' ');
  const serverUrl = `postgres://postgres@127.0.0.1:${opts.port}`;

  async function start(): Promise<void> {
    assertOk(
      'sandbox pg_ctl start',
      await runAs(owner, pgCtl, ['-D', dataDir, '-l', logFile, '-o', settings, '-w', '-t', '90', 'start'], 120_000),
    );
    await waitForPostgres(serverUrl, 60_000);
  }
  async function stop(mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
    await runAs(owner, pgCtl, ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop'], 90_000);
  }
  await start();
  log(`sandbox postgres up on ${serverUrl} (${dataDir})`);
  return {
    serverUrl,
    // An immediate shutdown is a crash from the clients' point of view: connections die mid-transaction.
    async restart() {
      await stop('immediate');
      await start();
    },
    async stop() {
      await stop('fast');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
