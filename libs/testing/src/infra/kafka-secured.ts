import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaSecurity, loadKafkaSecurity } from '@pacer/config';
import { log4j2Config } from './kafka-config';
import { kafkaAnswers, portOpen, waitForKafka } from './kafka-client';
import { ensureKafkaLibs, kafkaVersion } from './kafka-libs';
import { formatStorageOnce, javaBinary, launch, newClusterId } from './kafka-local';
import { defaultLog, InfraLog, seconds } from './log';
import { cacheDir, kafkaHomePaths, KafkaPaths, kafkaPaths } from './paths';
import { commandLineOf, isAlive, readPidFile, removeFile, terminate } from './processes';
import { withFileLock } from './file-lock';
import { ensureTestPki, TestPki } from './test-pki';

/**
 * A single-node Kafka with secured listeners only, for tests and benchmarks of Pacer's TLS and SASL
 * clients (`npm run infra:secure`). It runs beside the shared plaintext broker, on its own ports and
 * data directory, with certificates from a throwaway CA (test-pki.ts) and SCRAM users created by
 * Kafka's own `kafka-storage format --add-scram`:
 *   - SASL_SSL  127.0.0.1:29092  SCRAM-SHA-256, SCRAM-SHA-512 and PLAIN
 *   - SSL       127.0.0.1:29093  mutual TLS (a client certificate from the same CA is required)
 *   - MISNAMED  127.0.0.1:29094  TLS with a certificate for another host (hostname verification cases)
 *   - PLAINTEXT 127.0.0.1:29096  no security: the same broker's baseline for the TLS/SASL benchmark
 * Brokers talk to each other over the mutual-TLS listener, the controller over plaintext on 29095.
 */
export const SECURED_KAFKA_PORTS = { saslSsl: 29092, mtls: 29093, misnamed: 29094, controller: 29095, plaintext: 29096 } as const;
const HOST = '127.0.0.1';

/** The users the broker knows; passwords are test fixtures, not secrets. */
export const SECURED_KAFKA_USERS = {
  scram: { username: 'pacer', password: 'pacer-scram-secret' },
  plain: { username: 'pacer-plain', password: 'pacer-plain-secret' },
} as const;

export type SecuredListener = 'SASL_SSL' | 'SSL' | 'MISNAMED' | 'PLAINTEXT';

export interface SecuredKafka {
  version: string;
  brokers: Record<SecuredListener, string>;
  pki: TestPki;
  pid?: number;
  /** True when this call launched the broker; whoever started it stops it. */
  startedNow: boolean;
}

export function securedKafkaPaths(): KafkaPaths & { pkiDir: string } {
  const home = join(cacheDir(), 'kafka-secured');
  return {
    ...kafkaHomePaths(kafkaPaths(kafkaVersion()).libs, home, join(cacheDir(), 'kafka-secured.lock')),
    pkiDir: join(home, 'pki'),
  };
}

export function securedBrokers(): Record<SecuredListener, string> {
  return {
    SASL_SSL: `${HOST}:${SECURED_KAFKA_PORTS.saslSsl}`,
    SSL: `${HOST}:${SECURED_KAFKA_PORTS.mtls}`,
    MISNAMED: `${HOST}:${SECURED_KAFKA_PORTS.misnamed}`,
    PLAINTEXT: `${HOST}:${SECURED_KAFKA_PORTS.plaintext}`,
  };
}

export interface SecuredClientOptions {
  listener?: SecuredListener;
  mechanism?: 'SCRAM-SHA-256' | 'SCRAM-SHA-512' | 'PLAIN';
  /** Overrides the user's password (the wrong-password cases). */
  password?: string;
  /** Overrides the CA the client trusts (the untrusted-CA cases). */
  caFile?: string;
  /** Sends the test client certificate (the SSL listener requires it). */
  clientCertificate?: boolean;
}

/**
 * The environment a Pacer process needs to reach the secured broker, in the variables an operator
 * sets (so tests go through the same loader, libs/config's loadKafkaSecurity, as production).
 */
export function securedKafkaEnv(pki: TestPki, opts: SecuredClientOptions = {}): Record<string, string> {
  const listener = opts.listener ?? 'SASL_SSL';
  if (listener === 'PLAINTEXT') return { KAFKA_BROKERS: securedBrokers().PLAINTEXT };
  const env: Record<string, string> = {
    KAFKA_BROKERS: securedBrokers()[listener],
    KAFKA_SECURITY_PROTOCOL: listener === 'SASL_SSL' ? 'SASL_SSL' : 'SSL',
    KAFKA_SSL_CA_FILE: opts.caFile ?? pki.caFile,
  };
  if (listener === 'SASL_SSL') {
    const mechanism = opts.mechanism ?? 'SCRAM-SHA-512';
    const user = mechanism === 'PLAIN' ? SECURED_KAFKA_USERS.plain : SECURED_KAFKA_USERS.scram;
    Object.assign(env, {
      KAFKA_SASL_MECHANISM: mechanism,
      KAFKA_SASL_USERNAME: user.username,
      KAFKA_SASL_PASSWORD: opts.password ?? user.password,
    });
  }
  if (opts.clientCertificate ?? listener === 'SSL') {
    Object.assign(env, { KAFKA_SSL_CERT_FILE: pki.clientCertFile, KAFKA_SSL_KEY_FILE: pki.clientKeyFile });
  }
  return env;
}

/** The kafkajs security for a client of the secured broker, built by the services' own loader. */
export function securedKafkaSecurity(pki: TestPki, opts: SecuredClientOptions = {}): KafkaSecurity {
  return loadKafkaSecurity(securedKafkaEnv(pki, opts));
}

function serverProperties(paths: ReturnType<typeof securedKafkaPaths>, pki: TestPki): string {
  const p = SECURED_KAFKA_PORTS;
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const { plain } = SECURED_KAFKA_USERS;
  const settings: [string, string | number][] = [
    ['process.roles', 'broker,controller'],
    ['node.id', 1],
    ['controller.quorum.voters', `1@${HOST}:${p.controller}`],
    ['listeners', `SASL_SSL://${HOST}:${p.saslSsl},SSL://${HOST}:${p.mtls},MISNAMED://${HOST}:${p.misnamed},PLAINTEXT://${HOST}:${p.plaintext},CONTROLLER://${HOST}:${p.controller}`],
    ['advertised.listeners', `SASL_SSL://${HOST}:${p.saslSsl},SSL://${HOST}:${p.mtls},MISNAMED://${HOST}:${p.misnamed},PLAINTEXT://${HOST}:${p.plaintext}`],
    ['controller.listener.names', 'CONTROLLER'],
    ['inter.broker.listener.name', 'SSL'],
    ['listener.security.protocol.map', 'CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL,SSL:SSL,MISNAMED:SSL,PLAINTEXT:PLAINTEXT'],
    // PEM key stores (Kafka 2.7+): no JKS conversion, the same files Node reads.
    ['ssl.keystore.type', 'PEM'],
    ['ssl.keystore.location', pki.serverKeystoreFile],
    ['ssl.truststore.type', 'PEM'],
    ['ssl.truststore.location', pki.caFile],
    ['listener.name.ssl.ssl.client.auth', 'required'],
    ['listener.name.misnamed.ssl.keystore.type', 'PEM'],
    ['listener.name.misnamed.ssl.keystore.location', pki.otherHostKeystoreFile],
    ['sasl.enabled.mechanisms', 'SCRAM-SHA-256,SCRAM-SHA-512,PLAIN'],
    ['listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config', scram],
    ['listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config', scram],
    [
      'listener.name.sasl_ssl.plain.sasl.jaas.config',
      `org.apache.kafka.common.security.plain.PlainLoginModule required user_${plain.username}="${plain.password}";`,
    ],
    ['log.dirs', paths.dataDir],
    ['offsets.topic.replication.factor', 1],
    ['transaction.state.log.replication.factor', 1],
    ['transaction.state.log.min.isr', 1],
    ['share.coordinator.state.topic.replication.factor', 1],
    ['share.coordinator.state.topic.min.isr', 1],
    ['default.replication.factor', 1],
    ['min.insync.replicas', 1],
    ['group.initial.rebalance.delay.ms', 0],
    ['auto.create.topics.enable', 'false'],
    ['num.partitions', 6],
  ];
  const header = '# Generated by libs/testing/src/infra/kafka-secured.ts on every start; edits here are overwritten.';
  return [header, ...settings.map(([key, value]) => `${key}=${value}`), ''].join('\n');
}

/** SCRAM credentials live in the cluster metadata; in KRaft they are written when the storage is formatted. */
async function formatWithScramUsers(java: string, libs: string, paths: ReturnType<typeof securedKafkaPaths>, log: InfraLog): Promise<void> {
  if (existsSync(join(paths.dataDir, 'meta.properties'))) return;
  const { username, password } = SECURED_KAFKA_USERS.scram;
  await formatStorageOnce(java, libs, paths, log, newClusterId(), [
    '--add-scram',
    `SCRAM-SHA-256=[name=${username},password=${password}]`,
    '--add-scram',
    `SCRAM-SHA-512=[name=${username},password=${password}]`,
  ]);
  log(`kafka secured: formatted ${paths.dataDir} with SCRAM-SHA-256/512 user ${username}`);
}

function runningPid(paths: KafkaPaths): number | undefined {
  const pid = readPidFile(paths.pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmd = commandLineOf(pid) ?? '';
  return cmd.includes('kafka.Kafka') && cmd.includes(paths.serverProperties) ? pid : undefined;
}

/** Starts the secured broker, or reuses the one already running; `startedNow` says which. */
export async function ensureSecuredKafka(log: InfraLog = defaultLog): Promise<SecuredKafka> {
  const version = kafkaVersion();
  const paths = securedKafkaPaths();
  mkdirSync(paths.home, { recursive: true });
  return withFileLock(paths.lockFile, 'secured Kafka', async () => {
    const pki = ensureTestPki(paths.pkiDir);
    const brokers = securedBrokers();
    const security = securedKafkaSecurity(pki);
    let pid = runningPid(paths);
    const properties = serverProperties(paths, pki);
    if (pid !== undefined && readFileSync(paths.serverProperties, 'utf8') !== properties) {
      // Started by an older version of this file (other listeners): restart it with the current one.
      log(`kafka secured: pid ${pid} runs an outdated configuration; restarting it`);
      await terminate(pid, 60_000);
      pid = undefined;
    }
    if (pid !== undefined && (await kafkaAnswers([brokers.SASL_SSL], security))) {
      log(`kafka secured ${version} already up on ${brokers.SASL_SSL} (pid ${pid})`);
      return { version, brokers, pki, pid, startedNow: false };
    }
    if (pid === undefined) {
      removeFile(paths.pidFile);
      for (const port of Object.values(SECURED_KAFKA_PORTS)) {
        if (await portOpen(`${HOST}:${port}`)) throw new Error(`port ${port} is taken by something that is not the secured test broker`);
      }
    }
    const java = javaBinary();
    const libs = await ensureKafkaLibs(log);
    const started = Date.now();
    let newPid = pid;
    if (newPid === undefined) {
      mkdirSync(join(paths.home, 'config'), { recursive: true });
      mkdirSync(paths.logsDir, { recursive: true });
      mkdirSync(paths.dataDir, { recursive: true });
      writeFileSync(paths.serverProperties, properties);
      writeFileSync(paths.log4jConfig, log4j2Config(paths));
      await formatWithScramUsers(java, libs, paths, log);
      // A small heap: it shares a 2-core test machine with the plaintext broker and Postgres.
      newPid = launch(java, libs, paths, ['-Xms128m', '-Xmx256m']);
      log(`kafka secured ${version}: starting (pid ${newPid}, log ${paths.brokerLog})`);
    }
    const launched = newPid;
    await waitForKafka([brokers.SASL_SSL], {
      timeoutMs: 120_000,
      security,
      abortReason: () => (isAlive(launched) ? undefined : `secured broker ${launched} exited (see ${paths.brokerLog} and ${paths.jvmOut})`),
    });
    log(`kafka secured ${version} up on ${brokers.SASL_SSL} (SASL_SSL), ${brokers.SSL} (mTLS), ${brokers.MISNAMED} (misnamed), ${brokers.PLAINTEXT} (plaintext) in ${seconds(started)}`);
    return { version, brokers, pki, pid: launched, startedNow: pid === undefined };
  });
}

/** Stops the secured broker if it runs (its data and certificates stay for the next start). */
export async function stopSecuredKafka(log: InfraLog = defaultLog): Promise<void> {
  const paths = securedKafkaPaths();
  await withFileLock(paths.lockFile, 'secured Kafka', async () => {
    const pid = runningPid(paths);
    removeFile(paths.pidFile);
    if (pid === undefined) {
      log('kafka secured: not running');
      return;
    }
    const started = Date.now();
    const how = await terminate(pid, 60_000);
    log(`kafka secured stopped (pid ${pid}, ${how === 'killed' ? 'SIGKILL after 60s' : seconds(started)})`);
  });
}

export function securedKafkaRunning(): number | undefined {
  return runningPid(securedKafkaPaths());
}
