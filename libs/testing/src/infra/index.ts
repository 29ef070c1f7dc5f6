/**
 * Local infrastructure for development, tests and CI: `npm run infra:up|down|status` (tools/infra)
 * and the jest global setup use this. See docs/infrastructure.md for how Kafka and PostgreSQL are chosen.
 */
export { ensureInfra, stopInfra, infraStatus, formatStatus } from './infra';
export type { InfraEndpoints, InfraStatus, EnsureInfraOptions } from './infra';
export {
  databaseUrlFor,
  ensureDatabase,
  serverUrlOf,
  SERVICE_DATABASES,
  DEFAULT_DATABASE_SERVER,
} from './databases';
export { ensureTopics, topicSettingsFromEnv } from './topics';
export type { EnsureTopicsOptions, TopicSettings, TopicsReport } from './topics';
export { kafkaClasspath, kafkaVersion, ensureKafkaLibs } from './kafka-libs';
export { kafkaAnswers, waitForKafka } from './kafka-client';
export { LOCAL_KAFKA_BROKER } from './kafka-config';
export { ensureKafka } from './kafka';
export type { KafkaMode } from './kafka';
export { ensurePostgres } from './postgres';
export type { PostgresMode } from './postgres';
export { cacheDir } from './paths';
export { defaultLog } from './log';
export type { InfraLog } from './log';
export { startSandboxKafka, startSandboxPostgres } from './sandbox';
export { KafkaCluster, localBrokerCount } from './kafka-cluster';
export type { KafkaClusterOptions, KafkaClusterNode } from './kafka-cluster';
export { defaultReplicationFactor, minInsyncReplicasFor } from './topics';
export type { SandboxKafka, SandboxPostgres } from './sandbox';
export {
  ensureSecuredKafka,
  stopSecuredKafka,
  securedKafkaEnv,
  securedKafkaSecurity,
  securedBrokers,
  SECURED_KAFKA_PORTS,
  SECURED_KAFKA_USERS,
} from './kafka-secured';
export type { SecuredKafka, SecuredClientOptions, SecuredListener } from './kafka-secured';
export { ensureTestPki } from './test-pki';
export type { TestPki } from './test-pki';
export { startTlsPostgres } from './postgres-tls';
export type { TlsPostgres } from './postgres-tls';
