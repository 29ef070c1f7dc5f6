import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOk, findExecutable, run, tail } from './commands';
import { LOCAL_KAFKA_BROKER, writeKafkaConfig } from './kafka-config';
import { ensureKafkaLibs, kafkaVersion } from './kafka-libs';
import { kafkaAnswers, portOpen, waitForKafka } from './kafka-client';
import { InfraLog, seconds } from './log';
import { KafkaPaths, kafkaPaths } from './paths';
import { commandLineOf, isAlive, readPidFile, removeFile, terminate } from './processes';
import { withFileLock } from './file-lock';

const START_TIMEOUT_MS = 120_000;

export interface LocalKafkaStart {
  version: string;
  broker: string;
  /** Undefined when a broker not started by infra was already answering on the port. */
  pid?: number;
  startedNow: boolean;
}

/**
 * The pid in the pid file, but only while that process is still the broker started from this cache:
 * pids are recycled, and `down` must never signal an unrelated process that inherited the number.
 */
export function runningLocalKafkaPid(paths: KafkaPaths = kafkaPaths(kafkaVersion())): number | undefined {
  const pid = readPidFile(paths.pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmd = commandLineOf(pid) ?? '';
  return cmd.includes('kafka.Kafka') && cmd.includes(paths.serverProperties) ? pid : undefined;
}

export async function ensureLocalKafka(log: InfraLog): Promise<LocalKafkaStart> {
  const version = kafkaVersion();
  const paths = kafkaPaths(version);
  return withFileLock(paths.lockFile, 'local Kafka', async () => {
    const broker = LOCAL_KAFKA_BROKER;
    const pid = runningLocalKafkaPid(paths);
    if (await kafkaAnswers([broker])) {
      log(
        pid
          ? `kafka local ${version} already up on ${broker} (pid ${pid})`
          : `kafka: reusing the broker already answering on ${broker} (not started by infra)`,
      );
      return { version, broker, pid, startedNow: false };
    }
    if (pid) {
      // Ours, but still starting (another process launched it a moment ago) or recovering its logs.
      log(`kafka local ${version}: waiting for pid ${pid} to answer on ${broker}`);
      await waitUntilServing(paths, pid, Math.max(0, fileSize(paths.brokerLog) - 64 * 1024));
      return { version, broker, pid, startedNow: false };
    }
    removeFile(paths.pidFile);
    if (await portOpen(broker)) {
      throw new Error(
        `something that does not answer Kafka requests listens on ${broker}; stop it or set KAFKA_BROKERS`,
      );
    }
    const java = javaBinary();
    const libs = await ensureKafkaLibs(log);
    writeKafkaConfig(paths);
    await formatStorageOnce(java, libs, paths, log);
    const started = Date.now();
    const logOffset = fileSize(paths.brokerLog);
    const newPid = launch(java, libs, paths);
    log(`kafka local ${version}: starting (pid ${newPid}, log ${paths.brokerLog})`);
    await waitUntilServing(paths, newPid, logOffset);
    log(`kafka local ${version} up on ${broker} (pid ${newPid}, ${seconds(started)})`);
    return { version, broker, pid: newPid, startedNow: true };
  });
}

export async function stopLocalKafka(log: InfraLog): Promise<void> {
  const version = kafkaVersion();
  const paths = kafkaPaths(version);
  await withFileLock(paths.lockFile, 'local Kafka', async () => {
    const pid = runningLocalKafkaPid(paths);
    if (pid === undefined) {
      const stale = readPidFile(paths.pidFile);
      removeFile(paths.pidFile);
      log(
        stale === undefined
          ? 'kafka local: not running'
          : `kafka local: not running (removed stale pid file naming pid ${stale}, which is not our broker)`,
      );
      return;
    }
    const started = Date.now();
    const how = await terminate(pid, 60_000);
    removeFile(paths.pidFile);
    log(
      `kafka local ${version} stopped (pid ${pid}, ${how === 'killed' ? 'SIGKILL after 60s' : seconds(started)})`,
    );
  });
}

export function javaBinary(): string {
  const fromHome = process.env['JAVA_HOME'] ? join(process.env['JAVA_HOME'], 'bin', 'java') : undefined;
  const java = fromHome && existsSync(fromHome) ? fromHome : findExecutable('java');
  if (!java) {
    throw new Error(
      'a Java 17+ runtime is needed to run the local Kafka broker (apt-get install -y openjdk-17-jre-headless), or set KAFKA_BROKERS',
    );
  }
  return java;
}

/**
 * KRaft refuses to start on an unformatted log dir, and re-formatting would need a new cluster id,
 * so it runs once; meta.properties is the mark Kafka itself writes when formatting succeeded.
 */
export async function formatStorageOnce(
  java: string,
  libs: string,
  paths: KafkaPaths,
  log: InfraLog,
  /** The nodes of one cluster must share the id; a single node gets a fresh one. */
  clusterId: string = newClusterId(),
  /** More StorageTool arguments, e.g. `--add-scram` users, which KRaft only takes at format time. */
  extraArgs: readonly string[] = [],
): Promise<void> {
  if (existsSync(join(paths.dataDir, 'meta.properties'))) return;
  const result = await run(
    java,
    [
      `-Dlog4j2.configurationFile=${paths.log4jConfig}`,
      '-cp',
      join(libs, '*'),
      'kafka.tools.StorageTool',
      'format',
      '--config',
      paths.serverProperties,
      '--cluster-id',
      clusterId,
      ...extraArgs,
      '--ignore-formatted',
    ],
    { timeoutMs: 120_000 },
  );
  assertOk('kafka storage format', result);
  log(`kafka local: formatted storage in ${paths.dataDir} (cluster id ${clusterId})`);
}

/** Same shape as `kafka-storage random-uuid`: 16 random bytes, base64url; Kafka rejects a leading '-'. */
export function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function heapOptions(): string[] {
  // Same variable as Kafka's own scripts, so people can reuse what they know.
  const fromEnv = process.env['KAFKA_HEAP_OPTS']?.trim();
  return fromEnv ? fromEnv.split(/\s+/) : ['-Xms256m', '-Xmx1g'];
}

export function launch(
  java: string,
  libs: string,
  paths: KafkaPaths,
  heap: string[] = heapOptions(),
): number {
  // Truncated per start: it only matters for explaining the start that just failed.
  const out = openSync(paths.jvmOut, 'w');
  try {
    const child = spawn(
      java,
      [
        ...heap,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:InitiatingHeapOccupancyPercent=35',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        `-Dlog4j2.configurationFile=${paths.log4jConfig}`,
        `-Dkafka.logs.dir=${paths.logsDir}`,
        '-cp',
        join(libs, '*'),
        'kafka.Kafka',
        paths.serverProperties,
      ],
      // Its own session: the broker outlives `infra:up`, and Ctrl-C in `npm start` or the end of a
      // jest run must not take it down with them.
      { cwd: paths.home, detached: true, stdio: ['ignore', out, out] },
    );
    if (child.pid === undefined) throw new Error(`could not start ${java}`);
    child.unref();
    writeFileSync(paths.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

async function waitUntilServing(paths: KafkaPaths, pid: number, logOffset: number): Promise<void> {
  try {
    await waitForKafka([LOCAL_KAFKA_BROKER], {
      timeoutMs: START_TIMEOUT_MS,
      abortReason: () => (isAlive(pid) ? undefined : `broker process ${pid} exited`),
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${startupReport(paths, logOffset)}`);
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function readFrom(file: string, offset: number): string {
  try {
    const text = readFileSync(file);
    return text.subarray(offset <= text.length ? offset : 0).toString('utf8');
  } catch {
    return '';
  }
}

/**
 * What went wrong during this start only: the reason is an ERROR line or a "Caused by" deep in a
 * stack trace, and the plain tail alone is usually just the end of that trace.
 */
function startupReport(paths: KafkaPaths, logOffset: number): string {
  const log = readFrom(paths.brokerLog, logOffset);
  const errors = log
    .split('\n')
    .filter((line) => / (ERROR|FATAL) |^Caused by:/.test(line))
    .slice(-8);
  const parts: string[] = [];
  if (errors.length > 0) parts.push(`--- errors in ${paths.brokerLog} ---\n${errors.join('\n')}`);
  if (log.trim()) parts.push(`--- last lines of ${paths.brokerLog} ---\n${tail(log, 20)}`);
  const jvm = readFrom(paths.jvmOut, 0);
  if (jvm.trim()) parts.push(`--- last lines of ${paths.jvmOut} ---\n${tail(jvm, 10)}`);
  return parts.length > 0 ? parts.join('\n') : `(no broker output yet in ${paths.logsDir})`;
}
