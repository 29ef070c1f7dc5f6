import { connect } from 'node:net';
import { Admin, Kafka, logCreator, logLevel } from 'kafkajs';
import { KafkaSecurity, loadKafkaSecurity } from '@pacer/config';
import { InfraLog } from './log';
import { pollUntil } from './poll';

// kafkajs prints a multi-line partitioner notice on every producer; it is noise in test output.
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';

export function brokersFromEnv(env: NodeJS.ProcessEnv = process.env): string[] | undefined {
  const raw = env['KAFKA_BROKERS']?.trim();
  if (!raw) return undefined;
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return brokers.length > 0 ? brokers : undefined;
}

/**
 * The TLS/SASL of a broker list: the KAFKA_SECURITY_PROTOCOL family of variables (libs/config, the
 * services' own loader) describes the KAFKA_BROKERS cluster, so it applies only to that list; the
 * brokers infra starts itself on 127.0.0.1 are plaintext.
 */
export function securityFor(brokers: string[], env: NodeJS.ProcessEnv = process.env): KafkaSecurity | undefined {
  const fromEnv = brokersFromEnv(env);
  if (!fromEnv || fromEnv.join(',') !== brokers.join(',')) return undefined;
  return loadKafkaSecurity(env);
}

/** kafkajs logs JSON blobs to stdout; route what matters (warnings and worse) through our log, or drop it. */
function logCreatorFor(log: InfraLog | undefined): logCreator {
  return () =>
    ({ level, log: entry }) => {
      if (log && level <= logLevel.WARN) log(`kafkajs: ${entry.message}`);
    };
}

export interface AdminOptions {
  log?: InfraLog;
  /** A probe must fail fast; kafkajs's default retries would turn "not up yet" into a 30 s stall. */
  probe?: boolean;
  /** Overrides `securityFor(brokers)`, e.g. for a secured test broker not named by KAFKA_BROKERS. */
  security?: KafkaSecurity;
}

export function createAdmin(brokers: string[], opts: AdminOptions = {}): Admin {
  const security = opts.security ?? securityFor(brokers);
  const kafka = new Kafka({
    clientId: 'pacer-infra',
    brokers,
    ...(security?.ssl ? { ssl: security.ssl } : {}),
    ...(security?.sasl ? { sasl: security.sasl } : {}),
    logLevel: opts.log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: logCreatorFor(opts.log),
    connectionTimeout: opts.probe ? 1_000 : 5_000,
    requestTimeout: opts.probe ? 3_000 : 30_000,
    retry: opts.probe ? { retries: 0 } : { retries: 5, initialRetryTime: 300 },
  });
  return kafka.admin();
}

export async function withAdmin<T>(
  brokers: string[],
  fn: (admin: Admin) => Promise<T>,
  opts: AdminOptions = {},
): Promise<T> {
  const admin = createAdmin(brokers, opts);
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** True when a broker answers a metadata request with at least one live broker, i.e. it can serve clients. */
export async function kafkaAnswers(brokers: string[], security?: KafkaSecurity): Promise<boolean> {
  try {
    return await withAdmin(brokers, async (admin) => (await admin.describeCluster()).brokers.length > 0, {
      probe: true,
      ...(security ? { security } : {}),
    });
  } catch {
    return false;
  }
}

export async function waitForKafka(
  brokers: string[],
  opts: { timeoutMs: number; abortReason?: () => string | undefined; security?: KafkaSecurity },
): Promise<void> {
  await pollUntil(
    `Kafka on ${brokers.join(',')}`,
    async () => ((await kafkaAnswers(brokers, opts.security)) ? true : undefined),
    {
      timeoutMs: opts.timeoutMs,
      intervalMs: 500,
      abortReason: opts.abortReason,
    },
  );
}

/** Whether anything accepts TCP connections on host:port (to tell "port taken by something else" from "free"). */
export function portOpen(hostPort: string, timeoutMs = 1_000): Promise<boolean> {
  const [host, portText] = splitHostPort(hostPort);
  return new Promise((done) => {
    const socket = connect({ host, port: Number(portText) });
    const finish = (open: boolean): void => {
      socket.destroy();
      done(open);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

function splitHostPort(hostPort: string): [string, string] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i), hostPort.slice(i + 1)];
}
