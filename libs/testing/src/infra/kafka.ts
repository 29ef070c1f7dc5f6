import { brokersFromEnv, waitForKafka } from './kafka-client';
import { dockerEngineAvailable, ensureDockerKafka } from './kafka-docker';
import { ensureLocalKafkaCluster, localBrokerCount } from './kafka-cluster';
import { ensureLocalKafka, runningLocalKafkaPid } from './kafka-local';
import { InfraLog } from './log';

export type KafkaMode = 'env' | 'docker' | 'local';

export interface KafkaEndpoint {
  brokers: string[];
  mode: KafkaMode;
}

/** `PACER_INFRA_KAFKA=local|docker` overrides the automatic choice (e.g. to avoid Docker on a laptop that has it). */
function forcedMode(): 'local' | 'docker' | undefined {
  const value = process.env['PACER_INFRA_KAFKA']?.trim();
  if (!value) return undefined;
  if (value === 'local' || value === 'docker') return value;
  throw new Error(`PACER_INFRA_KAFKA must be "local" or "docker", not "${value}"`);
}

/**
 * Picks the broker: an explicit KAFKA_BROKERS (CI with a service, a shared cluster) wins; then a
 * local broker infra already runs (Docker would fail to bind its port); then Docker when an engine
 * answers; else the Maven-fetched broker, which needs nothing but Java.
 */
export async function ensureKafka(log: InfraLog): Promise<KafkaEndpoint> {
  const fromEnv = brokersFromEnv();
  if (fromEnv) {
    await waitForKafka(fromEnv, { timeoutMs: 120_000 });
    log(`kafka env up on ${fromEnv.join(',')} (KAFKA_BROKERS)`);
    return { brokers: fromEnv, mode: 'env' };
  }
  // A multi-broker cluster runs on its own ports beside the single broker (docs/infrastructure.md).
  const size = localBrokerCount();
  if (size > 1) return { brokers: await ensureLocalKafkaCluster(size, log), mode: 'local' };
  const forced = forcedMode();
  const useDocker =
    forced === 'docker' ||
    (forced === undefined && runningLocalKafkaPid() === undefined && (await dockerEngineAvailable()));
  if (useDocker) return { brokers: [await ensureDockerKafka(log)], mode: 'docker' };
  const local = await ensureLocalKafka(log);
  return { brokers: [local.broker], mode: 'local' };
}
