import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertOk, findExecutable, run, runSync } from './commands';
import { InfraLog, seconds } from './log';
import { kafkaPaths, repoRoot } from './paths';

/** Written last, so a download interrupted half-way is never mistaken for a complete one. */
const MARKER = '.pacer-complete';

export function kafkaPom(): string {
  return join(repoRoot(), 'tools', 'infra', 'kafka', 'pom.xml');
}

/** The pom is the single place the version is pinned; reading it here keeps code and pom in step. */
export function kafkaVersion(): string {
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(readFileSync(kafkaPom(), 'utf8'));
  if (!match?.[1]) throw new Error(`no <kafka.version> in ${kafkaPom()}`);
  return match[1];
}

/** A pom edit (say a log4j bump) under the same Kafka version must still refresh the jars. */
function pomDigest(): string {
  return createHash('sha256').update(readFileSync(kafkaPom())).digest('hex');
}

export function kafkaLibsComplete(libs: string = kafkaPaths(kafkaVersion()).libs): boolean {
  try {
    return readFileSync(join(libs, MARKER), 'utf8').trim() === pomDigest();
  } catch {
    return false;
  }
}

function mavenArgs(outputDir: string): string[] {
  return [
    '-q',
    '-B',
    '-f',
    kafkaPom(),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${outputDir}`,
    '-DincludeScope=runtime',
  ];
}

function mavenBinary(): string {
  const mvn = findExecutable('mvn');
  if (!mvn) {
    throw new Error(
      'Maven (mvn) is needed once to fetch Kafka from Maven Central; install it (apt-get install -y maven)',
    );
  }
  return mvn;
}

function stagingDir(libs: string): string {
  return `${libs}.tmp-${process.pid}-${Date.now()}`;
}

/**
 * Moves a finished download into place. Directories are renamed whole so a reader never sees a
 * half-copied classpath, and concurrent installers (no shared lock on the sync path) cannot clash:
 * if another one won, its complete copy is kept and ours is dropped.
 */
function publish(staging: string, libs: string): void {
  const jars = readdirSync(staging).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith('kafka_2.13-'))) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`Maven finished but ${staging} holds no kafka_2.13 jar (${jars.length} jars)`);
  }
  writeFileSync(join(staging, MARKER), pomDigest());
  if (kafkaLibsComplete(libs)) {
    rmSync(staging, { recursive: true, force: true });
    return;
  }
  const old = `${libs}.old-${process.pid}-${Date.now()}`;
  if (existsSync(libs)) renameSync(libs, old);
  try {
    renameSync(staging, libs);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    if (!kafkaLibsComplete(libs)) throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

export async function ensureKafkaLibs(log: InfraLog): Promise<string> {
  const version = kafkaVersion();
  const { libs } = kafkaPaths(version);
  if (kafkaLibsComplete(libs)) return libs;
  const started = Date.now();
  log(`kafka: resolving org.apache.kafka:kafka_2.13:${version} from Maven Central into ${libs}`);
  mkdirSync(dirname(libs), { recursive: true });
  const staging = stagingDir(libs);
  const result = await run(mavenBinary(), mavenArgs(staging), { timeoutMs: 15 * 60_000 });
  if (result.code !== 0) rmSync(staging, { recursive: true, force: true });
  assertOk('mvn dependency:copy-dependencies', result);
  publish(staging, libs);
  log(
    `kafka: ${readdirSync(libs).filter((f) => f.endsWith('.jar')).length} jars ready in ${seconds(started)}`,
  );
  return libs;
}

/**
 * The classpath for Kafka's own Java tools (ProducerPerformance, kafka-topics' TopicCommand, …),
 * e.g. `java -cp "$(kafkaClasspath())" org.apache.kafka.tools.ProducerPerformance …`. Synchronous
 * for convenience in scripts; downloads the jars first if this machine has never fetched them,
 * whichever way the broker itself runs (env, docker or local).
 */
export function kafkaClasspath(): string {
  const { libs } = kafkaPaths(kafkaVersion());
  if (!kafkaLibsComplete(libs)) {
    mkdirSync(dirname(libs), { recursive: true });
    const staging = stagingDir(libs);
    const result = runSync(mavenBinary(), mavenArgs(staging), { timeoutMs: 15 * 60_000 });
    if (result.code !== 0) rmSync(staging, { recursive: true, force: true });
    assertOk('mvn dependency:copy-dependencies', result);
    publish(staging, libs);
  }
  return join(libs, '*');
}
