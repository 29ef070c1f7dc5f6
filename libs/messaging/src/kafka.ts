import { Kafka, logLevel, LogEntry } from 'kafkajs';
import type { KafkaSecurity } from '@pacer/config';
import { Logger } from '@pacer/observability';

// kafkajs warns about its v2 partitioner change on every producer; Pacer always passes the
// Java-compatible partitioner explicitly, so the warning is noise.
process.env['KAFKAJS_NO_PARTITIONER_WARNING'] = '1';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface CreateKafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** TLS and SASL from `loadKafkaSecurity` (libs/config); plaintext when omitted. */
  security?: KafkaSecurity;
  /**
   * A client for health checks: one attempt, short timeouts, so a refused credential or an
   * untrusted certificate is reported at once instead of after a minute of retries.
   */
  probe?: boolean;
}

/** A kafkajs client whose logs go through the service's JSON logger. */
export function createKafka(options: CreateKafkaOptions): Kafka {
  const { logger, security, probe } = options;
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    ...(security?.ssl ? { ssl: security.ssl } : {}),
    ...(security?.sasl ? { sasl: security.sasl } : {}),
    // kafkajs logs every rebalance and reconnect at INFO; those belong at debug in our logs.
    logLevel: probe ? logLevel.NOTHING : logLevel.WARN,
    ...(probe
      ? { connectionTimeout: 1_500, authenticationTimeout: 1_500, requestTimeout: 1_500, retry: { retries: 0 } }
      : { retry: { initialRetryTime: 200, retries: 10 } }),
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        const { message, ...rest } = log;
        logger[LEVELS[level] ?? 'info']({ kafka: namespace, ...rest }, message);
      },
  });
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  originalError?: unknown;
  cause?: unknown;
}

/** kafkajs wraps the error that matters (in retries, in connection errors); the innermost one explains. */
function errorChain(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 8) {
    const e = current as ErrorLike;
    chain.push(e);
    current = e.originalError ?? e.cause;
  }
  return chain;
}

const UNTRUSTED_CERTIFICATE = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
]);

/**
 * Says, in terms of Pacer's variables, why Kafka refused a connection when the cause is its security
 * configuration (credentials, certificates, protocol); undefined for anything else (a broker that is
 * down, a timeout), which retrying may fix. Used by readiness and by the consumers' start.
 */
export function kafkaSecurityProblem(error: unknown, security?: KafkaSecurity): string | undefined {
  const chain = errorChain(error);
  const innermost = chain[chain.length - 1];
  // OpenSSL's messages end in a newline; a one-line reason reads better in logs and problem bodies.
  const text = (e: ErrorLike | undefined): string => (e?.message ?? String(e)).replace(/^Connection error: /, '').trim();
  const sasl = chain.find((e) => e.name === 'KafkaJSSASLAuthenticationError');
  if (sasl) {
    const who = security?.sasl && 'username' in security.sasl ? ` (${security.sasl.mechanism.toUpperCase()} as ${security.sasl.username})` : '';
    return `Kafka refused the SASL credentials${who}: ${text(sasl)}; check KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD(_FILE) and KAFKA_SASL_MECHANISM`;
  }
  const coded = chain.find((e) => typeof e.code === 'string' && (UNTRUSTED_CERTIFICATE.has(e.code) || e.code.startsWith('ERR_TLS') || e.code.startsWith('CERT_')));
  if (coded?.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `the Kafka broker's TLS certificate does not name the host it was reached at (${text(coded)}); the host in KAFKA_BROKERS (and the broker's advertised listeners) must be in the certificate, or set KAFKA_SSL_VERIFY_HOSTNAME=false`;
  }
  if (coded?.code === 'CERT_HAS_EXPIRED' || coded?.code === 'CERT_NOT_YET_VALID') {
    return `the Kafka broker's TLS certificate is outside its validity period (${text(coded)})`;
  }
  if (coded) {
    return `the Kafka broker's TLS certificate is not trusted (${coded.code}: ${text(coded)}); KAFKA_SSL_CA(_FILE) must hold the CA that signed the broker certificates`;
  }
  const all = chain.map((e) => `${e.code ?? ''} ${e.message ?? ''}`).join(' ');
  if (/alert (bad certificate|certificate required|unknown ca|certificate unknown)/i.test(all)) {
    return `the Kafka broker refused the client certificate (${text(innermost)}); KAFKA_SSL_CERT(_FILE) and KAFKA_SSL_KEY(_FILE) must hold a certificate signed by a CA the broker trusts`;
  }
  if (/EPROTO|wrong version number|packet length too long|before secure TLS connection was established/i.test(all)) {
    return `the TLS handshake with Kafka failed (${text(innermost)}); check that the listener in KAFKA_BROKERS speaks ${security?.protocol ?? 'the KAFKA_SECURITY_PROTOCOL'}`;
  }
  if (/Unsupported SASL mechanism|UNSUPPORTED_SASL_MECHANISM|ILLEGAL_SASL_STATE/i.test(all)) {
    return `Kafka does not accept SASL mechanism ${security?.sasl?.mechanism.toUpperCase() ?? '(none)'} on this listener (${text(innermost)}); check KAFKA_SASL_MECHANISM and KAFKA_SECURITY_PROTOCOL`;
  }
  return undefined;
}
