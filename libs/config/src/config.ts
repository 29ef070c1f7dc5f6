import { bool, cleanEnv, makeValidator, num, port, str, url } from 'envalid';
import { loadOidcConfig, OIDC_CONFIG_VARIABLES, OidcServiceConfig } from './oidc-config';
import { DATABASE_CONNECTION_VARIABLES, DatabaseConnection, loadDatabaseConnection } from './database-connection';
import { KAFKA_SECURITY_VARIABLES, KafkaSecurity, loadKafkaSecurity } from './kafka-security';

/** The Pacer services, by their app folder name. */
export const SERVICES = ['activity-ingestion', 'sprint-planning', 'kpi-aggregation', 'commission', 'notifications'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  'activity-ingestion': 3001,
  'sprint-planning': 3002,
  'kpi-aggregation': 3003,
  commission: 3004,
  notifications: 3005,
};

/** Each service owns one database; locally they share a server and differ by name. */
export function defaultDatabaseName(service: ServiceName): string {
  return `pacer_${service.replace(/-/g, '_')}`;
}

export interface ServiceConfig {
  service: ServiceName;
  production: boolean;
  port: number;
  /** DATABASE_URL without its TLS parameters (they are in `database.ssl`). */
  databaseUrl: string;
  /** TLS, pool size and statement timeout of every Postgres connection the service opens. */
  database: DatabaseConnection;
  kafka: { brokers: string[]; clientId: string; groupId: string; topicPrefix: string; security: KafkaSecurity };
  jwt: { secret?: string; publicKey?: string; issuer?: string };
  /** Single sign-on (PACER_OIDC_*): present when PACER_OIDC_ISSUER is set. */
  oidc?: OidcServiceConfig;
  logLevel: string;
  topicPartitions: number;
  outbox: { batchSize: number; pollMs: number };
  /** `stallSeconds`: how long a partition may have records waiting with no batch applied before /health/consumers says 503. */
  /** `dedupeRetentionHours`: how long consumed event ids are remembered for dedupe before they are pruned. */
  consumer: { maxRetries: number; retryBackoffMs: number; stallSeconds: number; dedupeRetentionHours: number };
  http: { bodyLimit: string; rateLimitPerMinute: number };
  tracing: boolean;
  /** OTLP/HTTP collector base URL for traces (OTEL_EXPORTER_OTLP_ENDPOINT), used when `tracing` is on. */
  otlpEndpoint: string;
  /** Upper bound of a graceful shutdown (SIGTERM) before the process gives up and exits non-zero. */
  shutdownTimeoutMs: number;
}

/** `KAFKA_BROKERS`: a comma-separated `host:port` list (shared by every process that talks to Kafka). */
export const brokerList = makeValidator<string[]>((value) => {
  const brokers = value
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^:\s]+:\d+$/.test(b))) {
    throw new Error('expected a comma-separated list of host:port');
  }
  return brokers;
});

/**
 * Reads and validates the environment once, at boot. A missing or malformed variable stops the
 * service with a message naming it (envalid reports every bad variable at once).
 */
export function loadConfig(service: ServiceName, source: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const env = cleanEnv(
    source,
    {
      NODE_ENV: str({ choices: ['development', 'test', 'production'], default: 'development' }),
      PORT: port({ default: DEFAULT_PORTS[service] }),
      DATABASE_URL: url({ default: `postgres://postgres@127.0.0.1:5432/${defaultDatabaseName(service)}` }),
      KAFKA_BROKERS: brokerList({ default: ['127.0.0.1:9092'] }),
      KAFKA_CLIENT_ID: str({ default: `pacer-${service}` }),
      KAFKA_GROUP_ID: str({ default: `pacer-${service}` }),
      PACER_JWT_SECRET: str({ default: undefined }),
      PACER_JWT_PUBLIC_KEY: str({ default: undefined, desc: 'PEM (SPKI) public key for RS256 tokens' }),
      PACER_JWT_ISSUER: str({ default: undefined }),
      LOG_LEVEL: str({ choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info' }),
      PACER_TOPIC_PARTITIONS: num({ default: 6 }),
      PACER_TOPIC_PREFIX: str({
        default: '',
        desc: 'Prepended to every topic name, for clusters shared by several environments (and test isolation)',
      }),
      PACER_OUTBOX_BATCH_SIZE: num({ default: 500 }),
      PACER_OUTBOX_POLL_MS: num({ default: 250 }),
      PACER_CONSUMER_MAX_RETRIES: num({ default: 3 }),
      PACER_CONSUMER_RETRY_BACKOFF_MS: num({ default: 100 }),
      PACER_CONSUMER_STALL_SECONDS: num({ default: 60, desc: 'Records waiting this long with no batch applied make /health/consumers answer 503' }),
      PACER_DEDUPE_RETENTION_HOURS: num({
        default: 168,
        desc: 'Consumed event ids are remembered this long for dedupe; keep it above the longest outage a service is restarted from unattended',
      }),
      PACER_HTTP_BODY_LIMIT: str({ default: '1mb' }),
      PACER_RATE_LIMIT_PER_MINUTE: num({
        default: 600000,
        desc: 'Requests per tenant per minute for the whole service (all replicas share it, counted in its database): a burst of this many, refilled continuously',
      }),
      PACER_TRACING: bool({ default: false }),
      OTEL_EXPORTER_OTLP_ENDPOINT: url({
        default: 'http://localhost:4318',
        desc: 'OTLP/HTTP collector (Jaeger, Tempo, an OpenTelemetry Collector); traces go to <url>/v1/traces',
      }),
      PACER_SHUTDOWN_TIMEOUT_MS: num({
        default: 50_000,
        desc: 'Longest graceful shutdown; keep it below the orchestrator grace period minus the preStop pause',
      }),
    },
    {
      reporter: ({ errors }) => {
        const entries = Object.entries(errors as Record<string, Error | undefined>);
        if (entries.length > 0) {
          const detail = entries.map(([n, err]) => `${n}: ${err?.message ?? 'invalid'}`).join('; ');
          throw new ConfigError(`invalid configuration for ${service}: ${detail}`);
        }
      },
    },
  );

  const production = env.NODE_ENV === 'production';
  const database = withService(service, () => loadDatabaseConnection(env.DATABASE_URL, source));
  const kafkaSecurity = withService(service, () => loadKafkaSecurity(source));
  const oidc = loadOidcConfig(source, production, (message) => {
    throw new ConfigError(`invalid configuration for ${service}: ${message}`);
  });
  if (production && !env.PACER_JWT_SECRET && !env.PACER_JWT_PUBLIC_KEY && !oidc) {
    throw new ConfigError(
      `invalid configuration for ${service}: PACER_JWT_SECRET, PACER_JWT_PUBLIC_KEY or PACER_OIDC_ISSUER is required in production`,
    );
  }
  for (const [name, value] of [
    ['PACER_TOPIC_PARTITIONS', env.PACER_TOPIC_PARTITIONS],
    ['PACER_OUTBOX_BATCH_SIZE', env.PACER_OUTBOX_BATCH_SIZE],
    ['PACER_OUTBOX_POLL_MS', env.PACER_OUTBOX_POLL_MS],
    ['PACER_SHUTDOWN_TIMEOUT_MS', env.PACER_SHUTDOWN_TIMEOUT_MS],
    ['PACER_CONSUMER_STALL_SECONDS', env.PACER_CONSUMER_STALL_SECONDS],
    ['PACER_DEDUPE_RETENTION_HOURS', env.PACER_DEDUPE_RETENTION_HOURS],
    ['PACER_RATE_LIMIT_PER_MINUTE', env.PACER_RATE_LIMIT_PER_MINUTE],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new ConfigError(`invalid configuration for ${service}: ${name} must be a positive integer`);
    }
  }

  if (!/^[a-zA-Z0-9._-]*$/.test(env.PACER_TOPIC_PREFIX)) {
    throw new ConfigError(`invalid configuration for ${service}: PACER_TOPIC_PREFIX may hold only letters, digits, '.', '_' and '-'`);
  }

  return {
    service,
    production,
    port: env.PORT,
    databaseUrl: database.url,
    database,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID,
      groupId: env.KAFKA_GROUP_ID,
      topicPrefix: env.PACER_TOPIC_PREFIX,
      security: kafkaSecurity,
    },
    jwt: { secret: env.PACER_JWT_SECRET, publicKey: env.PACER_JWT_PUBLIC_KEY, issuer: env.PACER_JWT_ISSUER },
    ...(oidc ? { oidc } : {}),
    logLevel: env.LOG_LEVEL,
    topicPartitions: env.PACER_TOPIC_PARTITIONS,
    outbox: { batchSize: env.PACER_OUTBOX_BATCH_SIZE, pollMs: env.PACER_OUTBOX_POLL_MS },
    consumer: {
      maxRetries: env.PACER_CONSUMER_MAX_RETRIES,
      retryBackoffMs: env.PACER_CONSUMER_RETRY_BACKOFF_MS,
      stallSeconds: env.PACER_CONSUMER_STALL_SECONDS,
      dedupeRetentionHours: env.PACER_DEDUPE_RETENTION_HOURS,
    },
    http: { bodyLimit: env.PACER_HTTP_BODY_LIMIT, rateLimitPerMinute: env.PACER_RATE_LIMIT_PER_MINUTE },
    tracing: env.PACER_TRACING,
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    shutdownTimeoutMs: env.PACER_SHUTDOWN_TIMEOUT_MS,
  };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The loaders of connection security name no service; the message of a service's boot should. */
function withService<T>(service: string, load: () => T): T {
  try {
    return load();
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.message.replace(/^invalid configuration:/, `invalid configuration for ${service}:`));
    throw e;
  }
}

/** The environment variables every service reads (documented in .env.example and k8s ConfigMaps). */
export const CONFIG_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'DATABASE_URL',
  'KAFKA_BROKERS',
  'KAFKA_CLIENT_ID',
  'KAFKA_GROUP_ID',
  'PACER_JWT_SECRET',
  'PACER_JWT_PUBLIC_KEY',
  'PACER_JWT_ISSUER',
  ...OIDC_CONFIG_VARIABLES,
  'LOG_LEVEL',
  'PACER_TOPIC_PARTITIONS',
  'PACER_TOPIC_PREFIX',
  'PACER_OUTBOX_BATCH_SIZE',
  'PACER_OUTBOX_POLL_MS',
  'PACER_CONSUMER_MAX_RETRIES',
  'PACER_CONSUMER_RETRY_BACKOFF_MS',
  'PACER_CONSUMER_STALL_SECONDS',
  'PACER_DEDUPE_RETENTION_HOURS',
  'PACER_HTTP_BODY_LIMIT',
  'PACER_RATE_LIMIT_PER_MINUTE',
  'PACER_TRACING',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'PACER_SHUTDOWN_TIMEOUT_MS',
  ...DATABASE_CONNECTION_VARIABLES,
  ...KAFKA_SECURITY_VARIABLES,
] as const;
