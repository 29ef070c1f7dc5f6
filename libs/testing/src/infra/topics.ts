import { TOPIC_SPECS } from '@pacer/contracts';
import { Admin, ConfigResourceTypes, ConfigSource, ITopicConfig, KafkaJSProtocolError } from 'kafkajs';
import { withAdmin } from './kafka-client';
import { defaultLog, InfraLog } from './log';
import { pollUntil } from './poll';

export interface TopicSettings {
  partitions: number;
  replicationFactor: number;
}

/** PACER_TOPIC_* as given; an unset replication factor is chosen from the cluster's size. */
export interface TopicSettingsFromEnv {
  partitions: number;
  replicationFactor: number | undefined;
}

/**
 * The replicas a new topic gets when nobody said: 3 where the cluster has 3 brokers or more (one may
 * fail, another may be down for maintenance), otherwise as many as there are brokers.
 */
export function defaultReplicationFactor(brokerCount: number): number {
  return Math.max(1, Math.min(3, brokerCount));
}

/**
 * With acks=all, a write is acknowledged once this many replicas have it. 2 of 3 keeps topics
 * writable through the loss of one broker and still never acknowledges a record only one broker
 * holds; a topic with fewer than 3 replicas cannot afford 2 (one broker down would stop all writes).
 */
export function minInsyncReplicasFor(replicationFactor: number): number {
  return replicationFactor >= 3 ? 2 : 1;
}

export interface EnsureTopicsOptions {
  partitions?: number;
  replicationFactor?: number;
  /** Prepended to every SPEC topic name (PACER_TOPIC_PREFIX): tests get private copies of all topics. */
  prefix?: string;
  log?: InfraLog;
}

export interface TopicsReport {
  created: string[];
  reconfigured: string[];
  unchanged: string[];
}

function positiveInt<F extends number | undefined>(
  name: string,
  raw: string | undefined,
  fallback: F,
): number | F {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, not "${raw}"`);
  return value;
}

export function topicSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TopicSettingsFromEnv {
  return {
    partitions: positiveInt('PACER_TOPIC_PARTITIONS', env['PACER_TOPIC_PARTITIONS'], 6),
    replicationFactor: positiveInt(
      'PACER_TOPIC_REPLICATION_FACTOR',
      env['PACER_TOPIC_REPLICATION_FACTOR'],
      undefined,
    ),
  };
}

/**
 * Creates every SPEC §2 topic that is missing and brings the configs of existing ones back to the
 * contract. It never deletes a topic or lowers its partition count: topics hold the event history
 * that read models are rebuilt from.
 */
export async function ensureTopics(brokers: string[], opts: EnsureTopicsOptions = {}): Promise<TopicsReport> {
  const log = opts.log ?? defaultLog;
  const env = topicSettingsFromEnv();
  const prefix = opts.prefix ?? process.env['PACER_TOPIC_PREFIX'] ?? '';
  const specs: Spec[] = TOPIC_SPECS.map((spec) => ({ name: prefix + spec.name, configs: spec.configs }));
  return withAdmin(
    brokers,
    async (admin) => {
      const replicationFactor =
        opts.replicationFactor ??
        env.replicationFactor ??
        defaultReplicationFactor((await admin.describeCluster()).brokers.length);
      const settings: TopicSettings = { partitions: opts.partitions ?? env.partitions, replicationFactor };
      const existing = new Set(await admin.listTopics());
      const missing = specs.filter((spec) => !existing.has(spec.name));
      const created = await createMissing(
        admin,
        missing.map((spec) =>
          toTopicConfig(spec.name, withMinIsr(spec.configs, replicationFactor), settings),
        ),
      );
      const present = specs.filter((spec) => !created.includes(spec.name));
      // An existing topic keeps its replica count (changing it is a reassignment, an operator's
      // call); its min.insync.replicas follows that count, not the one asked for.
      const replicas = await checkPartitions(
        admin,
        specs.map((s) => s.name),
        settings.partitions,
        log,
      );
      const reconfigured = await reconcileConfigs(
        admin,
        present.map((spec) => ({ ...spec, configs: withMinIsr(spec.configs, replicas.get(spec.name) ?? 1) })),
        log,
      );
      const report: TopicsReport = {
        created,
        reconfigured,
        unchanged: present.map((s) => s.name).filter((name) => !reconfigured.includes(name)),
      };
      log(
        `topics: ${specs.length} ready on ${brokers.join(',')} (${created.length} created, ` +
          `${reconfigured.length} reconfigured; new topics get ${settings.partitions} partitions, RF ${settings.replicationFactor})`,
      );
      return report;
    },
    { log },
  );
}

function withMinIsr(configs: Record<string, string>, replicationFactor: number): Record<string, string> {
  return { ...configs, 'min.insync.replicas': String(minInsyncReplicasFor(replicationFactor)) };
}

function toTopicConfig(name: string, configs: Record<string, string>, settings: TopicSettings): ITopicConfig {
  return {
    topic: name,
    numPartitions: settings.partitions,
    replicationFactor: settings.replicationFactor,
    configEntries: Object.entries(configs).map(([key, value]) => ({ name: key, value })),
  };
}

/**
 * Another process (a parallel test run) may create the same topics between our list and create;
 * kafkajs then answers false instead of throwing, and those topics go through config reconciliation.
 */
async function createMissing(admin: Admin, topics: ITopicConfig[]): Promise<string[]> {
  if (topics.length === 0) return [];
  // Leaders are waited for by checkPartitions: kafkajs's waitForLeaders gives up when a broker of a
  // new multi-broker cluster answers "does not host this topic-partition" before it learnt of it.
  const createdAll = await admin.createTopics({ topics, waitForLeaders: false, timeout: 30_000 });
  return createdAll ? topics.map((t) => t.topic) : [];
}

interface Spec {
  name: string;
  configs: Record<string, string>;
}

async function reconcileConfigs(admin: Admin, specs: readonly Spec[], log: InfraLog): Promise<string[]> {
  if (specs.length === 0) return [];
  const described = await admin.describeConfigs({
    resources: specs.map((spec) => ({ type: ConfigResourceTypes.TOPIC, name: spec.name })),
    includeSynonyms: false,
  });
  const changed: string[] = [];
  for (const spec of specs) {
    const resource = described.resources.find((r) => r.resourceName === spec.name);
    if (!resource) continue;
    const current = new Map(resource.configEntries.map((e) => [e.configName, e.configValue]));
    const drift = Object.entries(spec.configs).filter(([key, value]) => current.get(key) !== value);
    if (drift.length === 0) continue;
    // AlterConfigs (the only variant kafkajs speaks) replaces the whole override set, so the
    // topic's other overrides are carried over and only the contract's keys change.
    const overrides = new Map(
      resource.configEntries
        .filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && !e.isSensitive)
        .map((e) => [e.configName, e.configValue]),
    );
    for (const [key, value] of Object.entries(spec.configs)) overrides.set(key, value);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: spec.name,
          configEntries: [...overrides].map(([name, value]) => ({ name, value })),
        },
      ],
    });
    log(
      `topic ${spec.name}: set ${drift.map(([k, v]) => `${k}=${v} (was ${current.get(k) ?? 'unset'})`).join(', ')}`,
    );
    changed.push(spec.name);
  }
  return changed;
}

/**
 * Adding partitions would move keys to other partitions and break per-rep ordering, so a topic
 * with fewer partitions than asked for is reported, not changed. Also waits until every partition
 * has a leader again: right after a broker restart metadata answers before leaders are elected,
 * and the first produce of a test would otherwise fail with LEADER_NOT_AVAILABLE.
 */
async function checkPartitions(
  admin: Admin,
  names: string[],
  wanted: number,
  log: InfraLog,
): Promise<Map<string, number>> {
  if (names.length === 0) return new Map();
  const topics = await pollUntil(
    'topic partition leaders',
    async () => {
      try {
        const meta = await admin.fetchTopicMetadata({ topics: names });
        return meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))
          ? meta.topics
          : undefined;
      } catch (err) {
        // A topic created a moment ago is not yet known to every broker, nor led.
        if (err instanceof KafkaJSProtocolError && err.retriable) return undefined;
        throw err;
      }
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
  for (const topic of topics) {
    if (topic.partitions.length < wanted) {
      log(
        `topic ${topic.name}: has ${topic.partitions.length} partitions (< ${wanted} asked for); left as is`,
      );
    }
  }
  return new Map(
    topics.map((t) => [t.name, Math.min(...t.partitions.map((p) => p.replicas.length))] as const),
  );
}
