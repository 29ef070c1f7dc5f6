import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { ServiceName } from '@pacer/config';
import {
  createTestDatabase,
  createTopicNamespace,
  deleteTopicNamespace,
  freePort,
  TEST_JWT_SECRET,
  testBrokers,
  uniqueName,
} from '@pacer/testing';

const ROOT = path.resolve(__dirname, '../../..');

export interface FuzzedService {
  baseUrl: string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * One service as its own OS process (`node apps/<service>/src/main.ts`, as in production) with a
 * fresh database and private topics, ready when /health/ready answers; its log goes to `logFile`.
 */
export async function startServiceProcess(service: ServiceName, logFile: string): Promise<FuzzedService> {
  const db = await createTestDatabase(`fuzz_${service}`, []);
  // The service migrates its own database at boot, as in production.
  await db.dataSource.destroy();
  const topicPrefix = await createTopicNamespace('fuzz');
  const port = await freePort();
  const log = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, ['-r', '@swc-node/register', `apps/${service}/src/main.ts`], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testBrokers().join(','),
      KAFKA_GROUP_ID: uniqueName(`fuzz-${service}`),
      PACER_TOPIC_PREFIX: topicPrefix,
      PACER_JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: process.env['FUZZ_LOG_LEVEL'] ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await exited(child);
    clearTimeout(killer);
    log.end();
    await db.drop();
    await deleteTopicNamespace(topicPrefix);
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`${service} exited with ${child.exitCode} before it was ready; see ${logFile}`);
    }
    const ready = await fetch(`${baseUrl}/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ready) return { baseUrl, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${service} not ready within 120 s; see ${logFile}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
