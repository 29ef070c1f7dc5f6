import type { SASLOptions } from 'kafkajs';
import { ConfigError } from './config';
import { nonEmpty, readPemVariable, readSecretVariable, TlsClientOptions } from './env-secret';

/** Kafka's own names for a listener's security (`security.protocol`), so broker and client docs read alike. */
export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/**
 * How a Kafka client connects: the `ssl` and `sasl` options of a kafkajs client, plus what is safe
 * to log about them. Every Kafka client Pacer runs (services, relays, consumers, the KPI rebuild, the
 * web server, the infra tooling) gets these from `loadKafkaSecurity`, the one place that reads them.
 */
export interface KafkaSecurity {
  protocol: KafkaSecurityProtocol;
  /** kafkajs `ssl`: undefined for PLAINTEXT and SASL_PLAINTEXT. */
  ssl?: TlsClientOptions;
  /** kafkajs `sasl`: undefined for PLAINTEXT and SSL. */
  sasl?: SASLOptions;
  /** No secrets: protocol, mechanism, user, whether a CA / client certificate is configured. */
  summary: string;
}

/** Every variable `loadKafkaSecurity` reads (each secret also as `<NAME>_FILE`). */
export const KAFKA_SECURITY_VARIABLES = [
  'KAFKA_SECURITY_PROTOCOL',
  'KAFKA_SSL_CA',
  'KAFKA_SSL_CA_FILE',
  'KAFKA_SSL_CERT',
  'KAFKA_SSL_CERT_FILE',
  'KAFKA_SSL_KEY',
  'KAFKA_SSL_KEY_FILE',
  'KAFKA_SSL_KEY_PASSWORD',
  'KAFKA_SSL_KEY_PASSWORD_FILE',
  'KAFKA_SSL_VERIFY_HOSTNAME',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_USERNAME_FILE',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SASL_PASSWORD_FILE',
] as const;

const SSL_VARIABLES = ['KAFKA_SSL_CA', 'KAFKA_SSL_CERT', 'KAFKA_SSL_KEY', 'KAFKA_SSL_KEY_PASSWORD', 'KAFKA_SSL_VERIFY_HOSTNAME'];
const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];

function fail(message: string): never {
  throw new ConfigError(`invalid configuration: ${message}`);
}

function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return nonEmpty(env[name]) !== undefined || nonEmpty(env[`${name}_FILE`]) !== undefined;
}

function parseBool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.trim().toLowerCase();
  if (raw === undefined) return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  return fail(`${name} must be true or false, not "${env[name]}"`);
}

function parseChoice<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[]): T | undefined {
  const raw = nonEmpty(env[name])?.trim().toUpperCase();
  if (raw === undefined) return undefined;
  const choice = choices.find((c) => c === raw);
  return choice ?? fail(`${name} must be one of ${choices.join(', ')}, not "${env[name]}"`);
}

/**
 * Reads and validates the Kafka connection security once, at boot. A variable that cannot take
 * effect (a CA with PLAINTEXT, a SASL password with SSL) is refused rather than ignored: it means
 * the operator expected a protection the connection would not have.
 */
export function loadKafkaSecurity(env: NodeJS.ProcessEnv = process.env): KafkaSecurity {
  const protocol = parseChoice(env, 'KAFKA_SECURITY_PROTOCOL', KAFKA_SECURITY_PROTOCOLS) ?? 'PLAINTEXT';
  const tls = protocol === 'SSL' || protocol === 'SASL_SSL';
  const saslOn = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  const unused = [...(tls ? [] : SSL_VARIABLES), ...(saslOn ? [] : SASL_VARIABLES)].filter((n) => isSet(env, n));
  if (unused.length > 0) {
    fail(`${unused.join(', ')} ${unused.length === 1 ? 'is' : 'are'} set but KAFKA_SECURITY_PROTOCOL is ${protocol}, which does not use ${unused.length === 1 ? 'it' : 'them'}`);
  }
  const parts: string[] = [protocol];
  const security: KafkaSecurity = { protocol, summary: '' };

  if (tls) {
    const ca = readPemVariable(env, 'KAFKA_SSL_CA', 'CERTIFICATE');
    const cert = readPemVariable(env, 'KAFKA_SSL_CERT', 'CERTIFICATE');
    const key = readPemVariable(env, 'KAFKA_SSL_KEY', 'PRIVATE KEY');
    const passphrase = readSecretVariable(env, 'KAFKA_SSL_KEY_PASSWORD');
    if ((cert === undefined) !== (key === undefined)) {
      fail(cert ? 'KAFKA_SSL_CERT is set without KAFKA_SSL_KEY (a client certificate needs its private key)' : 'KAFKA_SSL_KEY is set without KAFKA_SSL_CERT');
    }
    if (passphrase !== undefined && key === undefined) fail('KAFKA_SSL_KEY_PASSWORD is set without KAFKA_SSL_KEY');
    const verifyHostname = parseBool(env, 'KAFKA_SSL_VERIFY_HOSTNAME', true);
    security.ssl = {
      // Without a CA, Node's bundled public roots decide (a managed Kafka with a public certificate).
      ...(ca ? { ca } : {}),
      ...(cert && key ? { cert, key } : {}),
      ...(passphrase ? { passphrase } : {}),
      // The certificate chain is always verified; only the name check can be turned off, for
      // brokers that advertise addresses their certificates do not name.
      rejectUnauthorized: true,
      ...(verifyHostname ? {} : { checkServerIdentity: () => undefined }),
    };
    parts.push(ca ? 'CA from KAFKA_SSL_CA' : 'system CAs');
    if (cert) parts.push('client certificate');
    if (!verifyHostname) parts.push('hostname NOT verified');
  }

  if (saslOn) {
    const mechanism = parseChoice(env, 'KAFKA_SASL_MECHANISM', KAFKA_SASL_MECHANISMS) ?? fail(`KAFKA_SASL_MECHANISM is required when KAFKA_SECURITY_PROTOCOL is ${protocol} (one of ${KAFKA_SASL_MECHANISMS.join(', ')})`);
    const username = readSecretVariable(env, 'KAFKA_SASL_USERNAME') ?? fail(`KAFKA_SASL_USERNAME (or KAFKA_SASL_USERNAME_FILE) is required when KAFKA_SECURITY_PROTOCOL is ${protocol}`);
    const password = readSecretVariable(env, 'KAFKA_SASL_PASSWORD') ?? fail(`KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE) is required when KAFKA_SECURITY_PROTOCOL is ${protocol}`);
    security.sasl =
      mechanism === 'PLAIN'
        ? { mechanism: 'plain', username, password }
        : { mechanism: mechanism === 'SCRAM-SHA-256' ? 'scram-sha-256' : 'scram-sha-512', username, password };
    parts.push(`SASL ${mechanism} as ${username}`);
  }
  security.summary = parts.join(', ');
  return security;
}
