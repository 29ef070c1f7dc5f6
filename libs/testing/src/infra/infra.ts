import { join } from 'node:path';
import {
  existingDatabases,
  DEFAULT_DATABASE_SERVER,
  describeServer,
  SERVICE_DATABASES,
  serverUrlOf,
} from './databases';
import { ensureKafka, KafkaMode } from './kafka';
import { brokersFromEnv, kafkaAnswers, withAdmin } from './kafka-client';
import { dockerEngineAvailable } from './kafka-docker';
import { kafkaLibsComplete, kafkaVersion } from './kafka-libs';
import { LOCAL_KAFKA_BROKER } from './kafka-config';
import { runningLocalKafkaPid, stopLocalKafka } from './kafka-local';
import { localBrokerCount, localKafkaCluster, stopLocalKafkaClusters } from './kafka-cluster';
import { defaultLog, InfraLog, seconds } from './log';
import { cacheDir, kafkaPaths } from './paths';
import { ensurePostgres, PostgresMode, postgresState } from './postgres';
import { privateClusterStatus, stopPrivatePostgres } from './postgres-cluster';
import { ensureTopics, topicSettingsFromEnv } from './topics';

export interface InfraEndpoints {
  kafkaBrokers: string[];
  /** e.g. postgres://postgres@127.0.0.1:5432; per-service URLs come from databaseUrlFor. */
  databaseServerUrl: string;
  kafkaMode: KafkaMode;
  postgresMode: PostgresMode;
}

export interface EnsureInfraOptions {
  log?: InfraLog;
}

/**
 * Brings up everything the services and their tests need: Kafka with the SPEC §2 topics, and
 * PostgreSQL with one database per service. Idempotent and safe to call from several processes at
 * once; a second call on a running setup only checks and returns.
 */
export async function ensureInfra(opts: EnsureInfraOptions = {}): Promise<InfraEndpoints> {
  const log = opts.log ?? defaultLog;
  const started = Date.now();
  topicSettingsFromEnv(); // a bad PACER_TOPIC_* should fail before anything is started, not after
  // Independent, and a cold start of each takes seconds (JVM start, initdb), so run them side by side.
  const [kafka, postgres] = await Promise.allSettled([
    ensureKafka(log).then(async (endpoint) => {
      await ensureTopics(endpoint.brokers, { log });
      return endpoint;
    }),
    ensurePostgres(log),
  ]);
  if (kafka.status === 'rejected' || postgres.status === 'rejected') {
    const reasons = [kafka, postgres]
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason)));
    throw new Error(reasons.join('\n'));
  }
  log(`ready in ${seconds(started)}`);
  return {
    kafkaBrokers: kafka.value.brokers,
    databaseServerUrl: postgres.value.serverUrl,
    kafkaMode: kafka.value.mode,
    postgresMode: postgres.value.mode,
  };
}

/**
 * Stops only what infra started and can prove it started: the local broker named in its pid file,
 * and a private PostgreSQL cluster. A Docker container, a Debian cluster or anything from
 * KAFKA_BROKERS / DATABASE_URL belongs to someone else and is left alone.
 */
export async function stopInfra(opts: EnsureInfraOptions = {}): Promise<void> {
  const log = opts.log ?? defaultLog;
  // `PACER_KAFKA_BROKERS=3 npm run infra:down` undoes `PACER_KAFKA_BROKERS=3 npm run infra:up`
  // only: the single broker and Postgres other work relies on stay up.
  const clusterSize = localBrokerCount();
  if (clusterSize > 1) {
    await stopLocalKafkaClusters(log, clusterSize);
    return;
  }
  await stopLocalKafka(log);
  await stopLocalKafkaClusters(log);
  await stopPrivatePostgres(log);
}

export interface InfraStatus {
  cacheDir: string;
  kafka: {
    brokers: string[];
    source: 'env' | 'default';
    answering: boolean;
    topics?: string[];
    local: { version: string; libsDownloaded: boolean; pid?: number; logFile: string; dataDir: string };
    /** The PACER_KAFKA_BROKERS cluster, when that asks for more than one broker. */
    cluster?: { size: number; home: string; pids: (number | undefined)[] };
    dockerEngine: boolean;
  };
  postgres: {
    serverUrl: string;
    source: 'env' | 'default';
    state: 'up' | 'down' | 'refused';
    databases?: Record<string, boolean>;
    privateCluster?: { dataDir: string; pid?: number };
  };
}

/** Read-only: reports what runs where without starting or changing anything. */
export async function infraStatus(): Promise<InfraStatus> {
  const version = kafkaVersion();
  const paths = kafkaPaths(version);
  const envBrokers = brokersFromEnv();
  const clusterSize = localBrokerCount();
  const cluster = clusterSize > 1 ? localKafkaCluster(clusterSize) : undefined;
  const brokers = envBrokers ?? cluster?.brokers ?? [LOCAL_KAFKA_BROKER];
  const answering = await kafkaAnswers(brokers);
  const topics = answering
    ? await withAdmin(brokers, async (admin) => (await admin.listTopics()).sort()).catch(() => undefined)
    : undefined;

  const envDb = process.env['DATABASE_URL']?.trim();
  const serverUrl = envDb ? serverUrlOf(envDb) : DEFAULT_DATABASE_SERVER;
  let state: 'up' | 'down' | 'refused';
  try {
    state = await postgresState(serverUrl);
  } catch {
    state = 'refused';
  }
  return {
    cacheDir: cacheDir(),
    kafka: {
      brokers,
      source: envBrokers ? 'env' : 'default',
      answering,
      topics,
      local: {
        version,
        libsDownloaded: kafkaLibsComplete(paths.libs),
        pid: runningLocalKafkaPid(paths),
        logFile: paths.brokerLog,
        dataDir: paths.dataDir,
      },
      cluster: cluster && {
        size: clusterSize,
        home: join(cacheDir(), `kafka-cluster-${clusterSize}`),
        pids: cluster.nodes.map((n) => cluster.pidOf(n.id)),
      },
      dockerEngine: await dockerEngineAvailable(),
    },
    postgres: {
      serverUrl,
      source: envDb ? 'env' : 'default',
      state,
      databases: state === 'up' ? await existingDatabases(serverUrl, SERVICE_DATABASES) : undefined,
      privateCluster: privateClusterStatus(),
    },
  };
}

export function formatStatus(status: InfraStatus): string[] {
  const { kafka, postgres } = status;
  const lines = [`cache ${status.cacheDir}`];
  const local = kafka.local.pid
    ? `local broker ${kafka.local.version} running (pid ${kafka.local.pid}, log ${kafka.local.logFile})`
    : `local broker ${kafka.local.version} not running (jars ${kafka.local.libsDownloaded ? 'cached' : 'not downloaded'})`;
  lines.push(
    `kafka ${kafka.brokers.join(',')} (${kafka.source === 'env' ? 'KAFKA_BROKERS' : 'default'}): ${kafka.answering ? 'answering' : 'not answering'}`,
    `  ${local}; docker engine ${kafka.dockerEngine ? 'available' : 'not available'}`,
  );
  if (kafka.cluster) {
    const { size, home, pids } = kafka.cluster;
    lines.push(
      `  local ${size}-broker cluster (PACER_KAFKA_BROKERS, ${home}): ${pids.map((pid, i) => `node ${i + 1} ${pid ? `pid ${pid}` : 'not running'}`).join(', ')}`,
    );
  }
  if (kafka.topics)
    lines.push(`  topics: ${kafka.topics.filter((t) => !t.startsWith('__')).join(', ') || '(none)'}`);
  lines.push(
    `postgres ${describeServer(postgres.serverUrl)} (${postgres.source === 'env' ? 'DATABASE_URL' : 'default'}): ${postgres.state}`,
  );
  if (postgres.databases) {
    lines.push(
      `  databases: ${Object.entries(postgres.databases)
        .map(([db, present]) => `${db}${present ? '' : ' (missing)'}`)
        .join(', ')}`,
    );
  }
  if (postgres.privateCluster) {
    const pc = postgres.privateCluster;
    lines.push(`  private cluster ${pc.dataDir}: ${pc.pid ? `running (pid ${pc.pid})` : 'stopped'}`);
  }
  return lines;
}
