/** Which dependency an error says is unreachable, and the evidence (for logs, never for clients). */
export interface DependencyOutage {
  dependency: 'postgres' | 'kafka';
  reason: string;
}

// Socket-level failures: the peer is down, restarting or unreachable.
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

// SQLSTATEs that say the server, not the statement, is the problem: class 08 (connection exception),
// 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now (starting up / in recovery),
// 53300 too_many_connections.
const PG_OUTAGE_STATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

// node-postgres and pg-pool report lost connections and pool exhaustion as plain Errors.
const PG_OUTAGE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Cannot use a pool after calling end/i,
  /Client was closed and is not queryable/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

// kafkajs error classes whose meaning is "no broker to talk to", not "this request was wrong".
const KAFKA_OUTAGE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSBrokerNotFound',
  'KafkaJSRequestTimeoutError',
  'KafkaJSLockTimeout',
  'KafkaJSMetadataNotLoaded',
]);
// Broker-side codes of the same kind (leader moving, not enough replicas while a broker restarts).
const KAFKA_OUTAGE_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'BROKER_NOT_AVAILABLE',
]);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
  cause?: unknown;
  driverError?: unknown;
  originalError?: unknown;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function classifyOne(e: ErrorLike): DependencyOutage | undefined {
  const name = text(e.name);
  const message = text(e.message);
  const code = text(e.code);
  if (name.startsWith('KafkaJS')) {
    // "Retries exceeded" and other wrappers are only an outage when their cause is one (followed below).
    if (KAFKA_OUTAGE_NAMES.has(name)) return { dependency: 'kafka', reason: `${name}: ${message}` };
    if (KAFKA_OUTAGE_TYPES.has(text(e.type))) return { dependency: 'kafka', reason: `${name} ${text(e.type)}` };
    if (NETWORK_CODES.has(code)) return { dependency: 'kafka', reason: `${name} ${code}` };
    return undefined;
  }
  if (PG_OUTAGE_STATES.test(code)) return { dependency: 'postgres', reason: `SQLSTATE ${code}: ${message}` };
  if (NETWORK_CODES.has(code)) return { dependency: 'postgres', reason: `${code}: ${message}` };
  if (PG_OUTAGE_MESSAGES.some((re) => re.test(message))) return { dependency: 'postgres', reason: message };
  return undefined;
}

/**
 * Says whether an error means Postgres or Kafka is unreachable (down, restarting, connections
 * dropped, pool exhausted) rather than that the request or record itself is wrong. Follows
 * `cause`, TypeORM's `driverError`, kafkajs' `originalError` and AggregateError members.
 */
export function dependencyOutage(error: unknown): DependencyOutage | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const e = queue.shift();
    if (typeof e !== 'object' || e === null || seen.has(e)) continue;
    seen.add(e);
    const found = classifyOne(e as ErrorLike);
    if (found) return found;
    const like = e as ErrorLike;
    queue.push(like.cause, like.driverError, like.originalError);
    if (e instanceof AggregateError) queue.push(...(e.errors as unknown[]));
  }
  return undefined;
}

/** Seconds a client should wait before retrying during an outage: 1..5, spread so retries do not arrive in step. */
export function outageRetryAfterSeconds(random: () => number = Math.random): number {
  return 1 + Math.min(4, Math.floor(random() * 5));
}
