// The real Pacer stack for the browser tests, run as its own process (node -r @swc-node/register) by
// the Playwright global setup: the four services and the web server on free ports, with their own
// databases, consumer groups and topic namespace, and the demo tenant seeded through the public APIs.
// It prints one `PACER_E2E_READY <json>` line when everything answers, and on SIGTERM (or when its
// parent goes away and stdin closes) stops what it started and drops the databases, topics and groups.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { buildScenario, PacerClient, seedScenario, ServiceUrls } from '@pacer/api-client';
import { mintToken } from '@pacer/auth';
import { SERVICES } from '@pacer/config';
import { TOPIC_SPECS } from '@pacer/contracts';
import { freePort } from '@pacer/testing';
import { databaseUrlFor, ensureDatabase, ensureInfra, ensureTopics } from '@pacer/testing/infra';

const ROOT = path.resolve(__dirname, '../../../..');
export const E2E_JWT_SECRET = 'pacer-web-e2e-secret';
export const E2E_TENANT = 'demo';
export const READY_MARK = 'PACER_E2E_READY ';

/** What the tests learn about the running stack (also written to the environment of the workers). */
export interface StackInfo {
  baseUrl: string;
  services: ServiceUrls;
  tenantId: string;
  topicPrefix: string;
  kafkaBrokers: string[];
  logDir: string;
  sprints: { sprintId: string; teamId: string }[];
}

interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
  /** The last chunks of output, for the message when it dies during start. */
  output: string[];
}

async function waitReady(proc: Proc, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) {
      const tail = proc.output.join('').split('\n').slice(-15).join('\n');
      throw new Error(`${proc.name} exited with ${proc.child.exitCode} before it was ready; its last lines:\n${tail}`);
    }
    const ok = await fetch(`${proc.url}/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${proc.name} not ready within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main(): Promise<void> {
  const log = (line: string): void => void process.stderr.write(`[web-e2e] ${line}\n`);
  const run = `web_e2e_${randomBytes(4).toString('hex')}`;
  const topicPrefix = `${run}.`;
  const logDir = path.join(ROOT, 'tmp/web-e2e', run);
  mkdirSync(logDir, { recursive: true });
  const infra = await ensureInfra({ log: () => undefined });
  const brokers = infra.kafkaBrokers;
  const databases: string[] = [];
  const procs: Proc[] = [];
  let cleaning: Promise<void> | undefined;

  const cleanup = (): Promise<void> =>
    (cleaning ??= (async () => {
      await Promise.all(
        procs.map(
          (p) =>
            new Promise<void>((resolve) => {
              if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
              const force = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
              p.child.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
              p.child.kill('SIGTERM');
            }),
        ),
      );
      const pg = new Client({ connectionString: databaseUrlFor(infra.databaseServerUrl, 'postgres') });
      await pg.connect();
      for (const db of databases) await pg.query(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`).catch(() => undefined);
      await pg.end();
      const admin = new Kafka({ clientId: 'pacer-web-e2e-cleanup', brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: TOPIC_SPECS.map((t) => topicPrefix + t.name) }).catch(() => undefined);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(run));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
      await admin.disconnect();
      log(`stopped; dropped ${databases.length} databases and the ${topicPrefix}* topics`);
    })());

  const stop = (code: number): void => {
    void cleanup()
      .catch((e: unknown) => log(`cleanup failed: ${String(e)}`))
      .finally(() => process.exit(code));
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  // The parent (Playwright) holds our stdin: when it dies, so does the stack.
  process.stdin.on('end', () => stop(0));
  process.stdin.resume();

  try {
    await ensureTopics(brokers, { prefix: topicPrefix, partitions: 3, replicationFactor: 1, log: () => undefined });
    const spawnProc = (name: string, entry: string, port: number, env: NodeJS.ProcessEnv): Proc => {
      const out = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
      const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
        cwd: ROOT,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], PORT: String(port), ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout?.pipe(out, { end: false });
      child.stderr?.pipe(out, { end: false });
      const proc: Proc = { name, child, url: `http://127.0.0.1:${port}`, output: [] };
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          proc.output.push(chunk.toString('utf8'));
          if (proc.output.length > 50) proc.output.shift();
        });
      }
      procs.push(proc);
      return proc;
    };

    const services = {} as Record<string, string>;
    for (const service of SERVICES) {
      const db = `${run}_${service.replace(/-/g, '_')}`;
      await ensureDatabase(infra.databaseServerUrl, db);
      databases.push(db);
      const proc = spawnProc(service, `apps/${service}/src/main.ts`, await freePort(), {
        // Production mode, except notifications: there production refuses loopback receivers (SSRF rule),
        // and the browser tests deliver to a receiver they run on 127.0.0.1.
        NODE_ENV: service === 'notifications' ? 'test' : 'production',
        DATABASE_URL: databaseUrlFor(infra.databaseServerUrl, db),
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_GROUP_ID: `${run}-${service}`,
        PACER_TOPIC_PREFIX: topicPrefix,
        PACER_JWT_SECRET: E2E_JWT_SECRET,
        // Production mode requires a key for secrets at rest (notifications' destinations).
        PACER_SECRETS_KEY: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'info',
      });
      services[service] = proc.url;
    }
    const urls = services as unknown as ServiceUrls;

    if (process.env['PACER_WEB_SKIP_BUILD'] !== '1') {
      log('building the browser app (vite build)');
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    }
    const web = spawnProc('web', 'apps/web/server/main.ts', await freePort(), {
      NODE_ENV: 'development',
      KAFKA_BROKERS: brokers.join(','),
      KAFKA_CLIENT_ID: `${run}-web`,
      PACER_TOPIC_PREFIX: topicPrefix,
      PACER_JWT_SECRET: E2E_JWT_SECRET,
      PACER_WEB_DEMO_TENANT: E2E_TENANT,
      PACER_ACTIVITY_INGESTION_URL: urls['activity-ingestion'],
      PACER_SPRINT_PLANNING_URL: urls['sprint-planning'],
      PACER_KPI_AGGREGATION_URL: urls['kpi-aggregation'],
      PACER_COMMISSION_URL: urls.commission,
      // The stack runs notifications too; without this the BFF would forward to the default port.
      ...(services['notifications'] ? { PACER_NOTIFICATIONS_URL: services['notifications'] } : {}),
      LOG_LEVEL: 'info',
      ...(process.env['PACER_WEB_STATIC_DIR'] ? { PACER_WEB_STATIC_DIR: process.env['PACER_WEB_STATIC_DIR'] } : {}),
    });
    await Promise.all(procs.map((p) => waitReady(p, 180_000)));
    log(`services and web ready (logs in ${path.relative(ROOT, logDir)}); seeding tenant "${E2E_TENANT}"`);

    const token = await mintToken({ secret: E2E_JWT_SECRET, tenantId: E2E_TENANT, roles: ['admin'], subject: 'web-e2e-seed', expiresIn: '2h' });
    const client = new PacerClient(urls, token, { retryForMs: 30_000 });
    const scenario = buildScenario({ tenantId: E2E_TENANT, now: DateTime.now(), activityCount: Number(process.env['PACER_E2E_ACTIVITIES'] ?? 400) });
    const report = await seedScenario(client, scenario, { log });
    const info: StackInfo = {
      baseUrl: web.url,
      services: urls,
      tenantId: E2E_TENANT,
      topicPrefix,
      kafkaBrokers: brokers,
      logDir,
      sprints: report.sprints.map((s) => ({ sprintId: s.sprintId, teamId: s.teamId })),
    };
    process.stdout.write(`${READY_MARK}${JSON.stringify(info)}\n`);
    for (const p of procs) {
      p.child.once('exit', (code, signal) => {
        if (!cleaning) log(`${p.name} exited unexpectedly (${signal ?? code}); see ${p.name}.log`);
      });
    }
  } catch (e) {
    log(`start failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    stop(1);
  }
}

void main();
