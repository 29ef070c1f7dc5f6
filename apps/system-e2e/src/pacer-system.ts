import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { PacerClient, ServiceUrls } from '@pacer/api-client';
import { mintToken, Role } from '@pacer/auth';
import { SERVICES, ServiceName } from '@pacer/config';
import { TOPIC_SPECS } from '@pacer/contracts';
import { freePort, uniqueName } from '@pacer/testing';
import { databaseUrlFor, ensureDatabase, ensureTopics } from '@pacer/testing/infra';
import { ServiceProcess } from './service-process';

export const SYSTEM_JWT_SECRET = 'pacer-system-test-secret';
/** AES-256 key for secrets at rest (base64 of 32 bytes); a fixed test value, like the JWT secret. */
export const SYSTEM_SECRETS_KEY = Buffer.alloc(32, 7).toString('base64');

/** Drops the run's databases; FORCE ends connections a killed service may have left behind. */
async function dropDatabases(serverUrl: string, names: readonly string[]): Promise<void> {
  const client = new Client({ connectionString: databaseUrlFor(serverUrl, 'postgres') });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '""')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export interface SystemOptions {
  brokers: string[];
  databaseServerUrl: string;
  /** Topic prefix; a fresh namespace is created (and later deleted) when omitted. */
  topicPrefix?: string;
  /** Extra environment for every service (e.g. smaller batches for the chaos test). */
  env?: Record<string, string>;
  logDir?: string;
  /** Node's arguments for a service (e.g. a compiled build's main.js); ServiceProcess's default otherwise. */
  entry?: (service: ServiceName) => string[];
}

/**
 * All four services as separate processes over one broker and one database server, each with its
 * own database and consumer groups, sharing a private set of topics: the whole product, as a user
 * would run it, isolated from every other test.
 */
export class PacerSystem {
  private constructor(
    readonly processes: Record<ServiceName, ServiceProcess>,
    readonly topicPrefix: string,
    readonly databaseUrls: Record<ServiceName, string>,
    private readonly ownsTopics: boolean,
    readonly logDir: string,
    readonly brokers: string[],
    private readonly run: string,
    private readonly databaseServerUrl: string,
  ) {}

  static async start(options: SystemOptions): Promise<PacerSystem> {
    const run = uniqueName('sys').replace(/-/g, '_');
    const ownsTopics = options.topicPrefix === undefined;
    const topicPrefix = options.topicPrefix ?? `${run}.`;
    await ensureTopics(options.brokers, { prefix: topicPrefix, partitions: 6, replicationFactor: 1, log: () => undefined });
    const logDir = options.logDir ?? path.resolve(__dirname, '../../../tmp/system-e2e', run);
    mkdirSync(logDir, { recursive: true });
    const processes = {} as Record<ServiceName, ServiceProcess>;
    const databaseUrls = {} as Record<ServiceName, string>;
    for (const service of SERVICES) {
      const dbName = `${run}_${service.replace(/-/g, '_')}`;
      await ensureDatabase(options.databaseServerUrl, dbName);
      databaseUrls[service] = databaseUrlFor(options.databaseServerUrl, dbName);
      const env: NodeJS.ProcessEnv = {
        PATH: process.env['PATH'],
        HOME: process.env['HOME'],
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrls[service],
        KAFKA_BROKERS: options.brokers.join(','),
        PACER_TOPIC_PREFIX: topicPrefix,
        PACER_JWT_SECRET: SYSTEM_JWT_SECRET,
        // Production mode requires a key for secrets at rest (notifications' destinations).
        PACER_SECRETS_KEY: SYSTEM_SECRETS_KEY,
        LOG_LEVEL: process.env['SYSTEM_LOG_LEVEL'] ?? 'info',
        KAFKA_GROUP_ID: `${run}-${service}`,
        ...options.env,
      };
      processes[service] = new ServiceProcess(service, await freePort(), env, path.join(logDir, `${service}.log`), options.entry?.(service));
    }
    const system = new PacerSystem(processes, topicPrefix, databaseUrls, ownsTopics, logDir, options.brokers, run, options.databaseServerUrl);
    for (const p of Object.values(processes)) p.start();
    try {
      await Promise.all(Object.values(processes).map((p) => p.waitReady()));
    } catch (e) {
      // A run that never got going still must not leave its databases and topics behind.
      await system.stop().catch(() => undefined);
      throw e;
    }
    return system;
  }

  get urls(): ServiceUrls {
    const url = (s: ServiceName): string => this.processes[s].baseUrl;
    return {
      'activity-ingestion': url('activity-ingestion'),
      'sprint-planning': url('sprint-planning'),
      'kpi-aggregation': url('kpi-aggregation'),
      commission: url('commission'),
      notifications: url('notifications'),
    };
  }

  topic(name: string): string {
    return this.topicPrefix + name;
  }

  async client(tenantId: string, roles: Role[] = ['admin'], repId?: string): Promise<PacerClient> {
    const token = await mintToken({
      secret: SYSTEM_JWT_SECRET,
      tenantId,
      roles,
      ...(repId ? { repId } : {}),
      subject: repId ?? 'system-test',
      expiresIn: '2h',
    });
    return new PacerClient(this.urls, token);
  }

  /** One SQL query against a service's own database (for assertions such as "outbox drained"). */
  async query<T extends Record<string, unknown>>(service: ServiceName, sql: string): Promise<T[]> {
    const client = new Client({ connectionString: this.databaseUrls[service] });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  /**
   * Stops the services, then removes what the run created on the shared infrastructure: its four
   * databases and its consumer groups always (KEEP_SYSTEM_DATABASES=1 keeps the databases for a
   * post-mortem), its topics when it created them.
   */
  async stop(options: { dropTopics?: boolean; dropDatabases?: boolean } = {}): Promise<void> {
    await Promise.all(Object.values(this.processes).map((p) => p.stop()));
    if (this.ownsTopics && options.dropTopics !== false && process.env['KEEP_SYSTEM_TOPICS'] !== '1') {
      const admin = new Kafka({ clientId: 'pacer-system-cleanup', brokers: this.brokers, logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        await admin.deleteTopics({ topics: TOPIC_SPECS.map((t) => this.topicPrefix + t.name) }).catch(() => undefined);
        const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(`${this.run}-`));
        if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
      } finally {
        await admin.disconnect();
      }
    }
    if (options.dropDatabases !== false && process.env['KEEP_SYSTEM_DATABASES'] !== '1') {
      await dropDatabases(this.databaseServerUrl, Object.values(this.databaseUrls).map((url) => decodeURIComponent(new URL(url).pathname.slice(1))));
    }
  }
}
