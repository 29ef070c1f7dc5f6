import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertOk, findExecutable, run } from './commands';
import { waitForKafka } from './kafka-client';
import { LOCAL_KAFKA_BROKER } from './kafka-config';
import { InfraLog, seconds } from './log';
import { repoRoot } from './paths';

/**
 * A docker client alone is common (CI images ship it without an engine), so only an engine that
 * answers quickly counts; a hung socket must not stall every test run.
 */
export async function dockerEngineAvailable(): Promise<boolean> {
  const docker = findExecutable('docker');
  if (!docker) return false;
  const info = await run(docker, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 5_000 });
  return info.code === 0 && info.stdout.trim() !== '';
}

/** `docker compose` (plugin) where installed, else the standalone `docker-compose`. */
async function composeCommand(): Promise<[string, string[]]> {
  const docker = findExecutable('docker');
  if (docker && (await run(docker, ['compose', 'version'], { timeoutMs: 10_000 })).code === 0) {
    return [docker, ['compose']];
  }
  const standalone = findExecutable('docker-compose');
  if (standalone) return [standalone, []];
  throw new Error('a Docker engine answers but neither `docker compose` nor `docker-compose` is installed');
}

export async function ensureDockerKafka(log: InfraLog): Promise<string> {
  const composeFile = join(repoRoot(), 'docker-compose.yml');
  if (!existsSync(composeFile)) throw new Error(`no ${composeFile} to start Kafka from`);
  const started = Date.now();
  const [command, prefix] = await composeCommand();
  // `up -d` is idempotent: a running container is left alone; the first run may pull the image.
  assertOk(
    'docker compose up -d kafka',
    await run(command, [...prefix, '-f', composeFile, 'up', '-d', 'kafka'], { timeoutMs: 15 * 60_000 }),
  );
  await waitForKafka([LOCAL_KAFKA_BROKER], { timeoutMs: 120_000 });
  log(`kafka docker up on ${LOCAL_KAFKA_BROKER} (${seconds(started)})`);
  return LOCAL_KAFKA_BROKER;
}
