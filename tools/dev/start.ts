// `npm start`: brings up Kafka and Postgres (tools/infra), then runs the services as separate
// processes with one shared environment, prints where everything listens, and on Ctrl-C stops
// exactly what it started.
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import { buildScenario, localServiceUrls, PacerClient, seedScenario, simulateActivity } from '@pacer/api-client';
import { mintToken } from '@pacer/auth';
import { DEFAULT_PORTS, defaultDatabaseName, SERVICES, ServiceName } from '@pacer/config';
import { databaseUrlFor, ensureInfra, kafkaAnswers, LOCAL_KAFKA_BROKER, stopInfra } from '@pacer/testing/infra';

const ROOT = path.resolve(__dirname, '../..');
const DEV_SECRET = 'pacer-dev-secret-change-me';
const COLORS = ['\x1b[36m', '\x1b[35m', '\x1b[33m', '\x1b[32m', '\x1b[34m'];

/**
 * The heap bound of the services' image (NODE_OPTIONS and the node flags of CMD in the root Dockerfile,
 * the one place they are set), so a service started here runs within the heap it has in a pod and
 * outgrowing it shows up here first.
 */
function imageHeapFlags(): string[] {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const options = /NODE_OPTIONS="([^"]*)"/.exec(dockerfile)?.[1] ?? '';
  const command = /exec node ((?:--\S+\s+)*)dist\//.exec(dockerfile)?.[1] ?? '';
  return `${options} ${command}`
    .split(/\s+/)
    .filter((flag) => /^--(max-old-space-size|max-semi-space-size|heap-growing-percent)=\d+$/.test(flag));
}

async function main(): Promise<void> {
  const kafkaWasUp = process.env['KAFKA_BROKERS'] ? true : await kafkaAnswers([LOCAL_KAFKA_BROKER]);
  const infra = await ensureInfra();
  const secret = process.env['PACER_JWT_SECRET'] ?? DEV_SECRET;
  const children = new Map<ServiceName | 'web', ChildProcess>();
  let stopping = false;
  async function shutdown(code: number): Promise<void> {
    if (stopping) return;
    stopping = true;
    const exits = [...children.values()].map(
      (c) => new Promise<void>((resolve) => (c.exitCode !== null ? resolve() : c.once('exit', () => resolve()))),
    );
    for (const c of children.values()) c.kill('SIGTERM');
    await Promise.all(exits);
    if (!kafkaWasUp) await stopInfra();
    process.exit(code);
  }
  // Stop handlers before the first child exists: a SIGINT/SIGTERM while the demo is still seeding
  // (a process manager, `kill -INT`) must stop the services too, not leave them orphaned.
  const simulator = new AbortController();
  const stop = (): void => {
    simulator.abort();
    void shutdown(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const heapFlags = imageHeapFlags();
  SERVICES.forEach((service, i) => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(DEFAULT_PORTS[service]),
      DATABASE_URL: databaseUrlFor(infra.databaseServerUrl, defaultDatabaseName(service)),
      KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      PACER_JWT_SECRET: secret,
    };
    const child = spawn(process.execPath, [...heapFlags, '-r', '@swc-node/register', `apps/${service}/src/main.ts`], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `${COLORS[i % COLORS.length]}${service.padEnd(18)}\x1b[0m| `;
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          if (isQuietAccessLine(line)) requestCounts.set(service, (requestCounts.get(service) ?? 0) + 1);
          else process.stdout.write(`${prefix}${line}\n`);
        }
      });
    }
    child.on('exit', (code, signal) => {
      children.delete(service);
      if (!stopping) {
        process.stdout.write(`${prefix}exited (${signal ?? code}); stopping everything\n`);
        void shutdown(1);
      }
    });
    children.set(service, child);
  });

  const webBuild = buildWebApp();
  await waitForReady();
  await webBuild;
  startWeb(infra.kafkaBrokers, secret, children, () => stopping, shutdown);
  await waitForWeb();
  const token = await mintToken({ secret, tenantId: DEMO_TENANT, roles: ['admin'], subject: 'demo-admin', expiresIn: '7d' });
  const client = new PacerClient(localServiceUrls(), token, { retryForMs: 30_000 });
  const scenario = buildScenario({ tenantId: DEMO_TENANT, now: DateTime.now(), activityCount: DEMO_ACTIVITIES });
  if (process.env['PACER_DEMO'] !== 'off') await seedDemo(client, scenario);
  const lines = [
    '',
    'Pacer is up.',
    `  Web app: http://127.0.0.1:${WEB_PORT}   (development sign-in: pick anyone of tenant "${DEMO_TENANT}")`,
    ...SERVICES.map((s) => `  ${s.padEnd(20)} http://127.0.0.1:${DEFAULT_PORTS[s]}   docs: http://127.0.0.1:${DEFAULT_PORTS[s]}/docs`),
    '',
    `  Kafka: ${infra.kafkaBrokers.join(',')} (${infra.kafkaMode})    Postgres: ${infra.databaseServerUrl} (${infra.postgresMode})`,
    `  Admin token (tenant "demo"): ${token}`,
    `  Watch the KPI stream:  kcat -b ${infra.kafkaBrokers[0]} -C -t pacer.kpi.v1 -o beginning -f '%k %s\\n'`,
    '',
    'Ctrl-C stops the services' + (kafkaWasUp ? '.' : ' and the Kafka broker this command started.'),
    '',
  ];
  process.stdout.write(lines.join('\n'));

  const perSecond = Number(process.env['PACER_DEMO_RATE'] ?? 2);
  if (process.env['PACER_DEMO'] !== 'off' && perSecond > 0) {
    process.stdout.write(`Live simulator: ~${perSecond} activities/s for tenant "${DEMO_TENANT}" (PACER_DEMO_RATE=0 stops it).\n`);
    void simulateActivity(client, scenario, {
      perSecond,
      signal: simulator.signal,
      onError: (e) => process.stdout.write(`simulator: ${e instanceof Error ? e.message : String(e)}\n`),
    });
  }
}

const DEMO_TENANT = 'demo';

// The simulator makes every service log a line per request; one summary a minute keeps the banner
// (URLs, token, kcat command) on screen. Requests that fail (4xx/5xx) are still printed as they happen.
const ACCESS_SUMMARY_MS = 60_000;
const requestCounts = new Map<string, number>();

/** A service's JSON access-log line for a request that succeeded. */
function isQuietAccessLine(line: string): boolean {
  if (!line.startsWith('{') || !line.includes('"request"')) return false;
  try {
    const entry = JSON.parse(line) as { msg?: unknown; status?: unknown };
    return entry.msg === 'request' && typeof entry.status === 'number' && entry.status < 400;
  } catch {
    return false;
  }
}

setInterval(() => {
  if (requestCounts.size === 0) return;
  const counts = [...requestCounts].map(([service, n]) => `${service} ${n}`).join(', ');
  requestCounts.clear();
  process.stdout.write(`${'requests'.padEnd(18)}| last ${ACCESS_SUMMARY_MS / 1000} s, succeeded: ${counts}\n`);
}, ACCESS_SUMMARY_MS).unref();
const WEB_PORT = Number(process.env['PACER_WEB_PORT'] ?? 3000);

/** The browser app is served built (vite build into dist/apps/web/public), built while the services boot. */
function buildWebApp(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'apps/web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build of the web app failed (${code})`))));
  });
}

/** The web app's server (apps/web/server) on WEB_PORT, in development mode so its sign-in lists the demo people. */
function startWeb(
  brokers: string[],
  secret: string,
  children: Map<ServiceName | 'web', ChildProcess>,
  isStopping: () => boolean,
  shutdown: (code: number) => Promise<void>,
): void {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/web/server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: process.env['NODE_ENV'] ?? 'development',
      PORT: String(WEB_PORT),
      KAFKA_BROKERS: brokers.join(','),
      PACER_JWT_SECRET: secret,
      PACER_WEB_DEMO_TENANT: DEMO_TENANT,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `\x1b[34m${'web'.padEnd(18)}\x1b[0m| `;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    children.delete('web');
    if (!isStopping()) {
      process.stdout.write(`${prefix}exited (${signal ?? code}); stopping everything\n`);
      void shutdown(1);
    }
  });
  children.set('web', child);
}

async function waitForWeb(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`http://127.0.0.1:${WEB_PORT}/health/ready`).then((r) => r.ok).catch(() => false))) {
    if (Date.now() > deadline) throw new Error('the web app did not become ready within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}
const DEMO_ACTIVITIES = Number(process.env['PACER_DEMO_ACTIVITIES'] ?? 3000);

/**
 * Seeds the demo organisation through the public APIs only. History is generated relative to today,
 * so it is sent once: a tenant that already has activities keeps them (the roster and plans are
 * re-sent, which is idempotent).
 */
async function seedDemo(client: PacerClient, scenario: ReturnType<typeof buildScenario>): Promise<void> {
  const existing = await client.request<{ items?: unknown[] }>('activity-ingestion', 'GET', '/v1/activities?limit=1');
  const hasHistory = (existing.body.items ?? []).length > 0;
  const started = Date.now();
  const report = await seedScenario(client, hasHistory ? { ...scenario, activities: [], duplicates: [], voids: [], cancellations: [] } : scenario, {
    log: (line) => process.stdout.write(`demo seed: ${line}\n`),
  });
  process.stdout.write(
    `demo seed: tenant "${DEMO_TENANT}" ready in ${((Date.now() - started) / 1000).toFixed(1)} s` +
      (hasHistory ? ' (history was already there)' : ` (${report.accepted} activities of history)`) +
      // The seeded sprints come oldest first; the last one is the running sprint.
      `; current sprint ${report.sprints[report.sprints.length - 1]?.sprintId ?? 'none'}\n`,
  );
}

async function waitForReady(): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (const service of SERVICES) {
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${DEFAULT_PORTS[service]}/health/ready`)
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${service} did not become ready within 120 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`pacer start failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
