import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaClusterMembership, KafkaListener, writeKafkaConfig } from './kafka-config';
import { kafkaAnswers, portOpen, withAdmin } from './kafka-client';
import { ensureKafkaLibs, kafkaVersion } from './kafka-libs';
import { formatStorageOnce, javaBinary, launch, newClusterId } from './kafka-local';
import { defaultLog, InfraLog, seconds } from './log';
import { cacheDir, KafkaPaths, kafkaPaths } from './paths';
import { pollUntil } from './poll';
import { commandLineOf, isAlive, readPidFile, removeFile, terminate } from './processes';
import { withFileLock } from './file-lock';
import { defaultReplicationFactor, minInsyncReplicasFor } from './topics';

const START_TIMEOUT_MS = 180_000;
const HOST = '127.0.0.1';

/**
 * The multi-broker cluster `infra:up` starts when PACER_KAFKA_BROKERS=3. Its own ports and data
 * directory: it runs beside the single development broker on 9092, never instead of it.
 */
export const LOCAL_CLUSTER_BROKER_BASE_PORT = 19092;
export const LOCAL_CLUSTER_CONTROLLER_BASE_PORT = 19192;

export interface KafkaClusterOptions {
  /** Number of nodes, each broker and KRaft controller (3: a quorum that survives one loss). */
  size: number;
  /** Holds cluster.id and one directory per node (config, data, logs, pid). */
  home: string;
  brokerPorts: number[];
  controllerPorts: number[];
  /** JVM heap flags per node; three brokers must fit on a small machine. */
  heap?: string[];
  log?: InfraLog;
}

export interface KafkaClusterNode {
  readonly id: number;
  readonly broker: string;
  readonly paths: KafkaPaths;
}

/** Small heaps: three JVMs share a developer's laptop or a 2-core CI runner. */
const CLUSTER_HEAP = ['-Xms128m', '-Xmx256m'];

/**
 * A real KRaft cluster of `size` combined broker+controller nodes on this machine, from the same
 * Maven-resolved jars as the single local broker. Each node is a detached JVM with a pid file, so the
 * cluster can outlive the process that started it (`infra:up`) and be found again (`infra:down`),
 * and a test can kill -9 one node and start it again on the same data.
 */
export class KafkaCluster {
  readonly nodes: KafkaClusterNode[];
  readonly brokers: string[];
  private readonly log: InfraLog;
  private readonly heap: string[];
  private readonly membership: (id: number) => KafkaClusterMembership;

  constructor(private readonly options: KafkaClusterOptions) {
    const { size, home, brokerPorts, controllerPorts } = options;
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`a Kafka cluster needs at least one node, not ${size}`);
    if (brokerPorts.length !== size || controllerPorts.length !== size) {
      throw new Error(`a ${size}-node cluster needs ${size} broker and ${size} controller ports`);
    }
    this.log = options.log ?? defaultLog;
    this.heap = options.heap ?? CLUSTER_HEAP;
    const libs = kafkaPaths(kafkaVersion()).libs;
    this.nodes = brokerPorts.map((port, i) => {
      const nodeHome = join(home, `node-${i + 1}`);
      return {
        id: i + 1,
        broker: `${HOST}:${port}`,
        paths: {
          libs,
          home: nodeHome,
          serverProperties: join(nodeHome, 'config', 'server.properties'),
          log4jConfig: join(nodeHome, 'config', 'log4j2.xml'),
          dataDir: join(nodeHome, 'data'),
          logsDir: join(nodeHome, 'logs'),
          brokerLog: join(nodeHome, 'logs', 'server.log'),
          jvmOut: join(nodeHome, 'logs', 'jvm.out'),
          pidFile: join(nodeHome, 'kafka.pid'),
          lockFile: join(home, 'cluster.lock'),
        },
      };
    });
    this.brokers = this.nodes.map((n) => n.broker);
    const voters = this.nodes.map((n, i) => `${n.id}@${HOST}:${controllerPorts[i]}`).join(',');
    const replicationFactor = defaultReplicationFactor(size);
    this.membership = (nodeId) => ({
      nodeId,
      voters,
      replicationFactor,
      minInsyncReplicas: minInsyncReplicasFor(replicationFactor),
    });
  }

  get lockFile(): string {
    return join(this.options.home, 'cluster.lock');
  }

  private listener(node: KafkaClusterNode): KafkaListener {
    const i = node.id - 1;
    return {
      host: HOST,
      port: this.options.brokerPorts[i] as number,
      controllerPort: this.options.controllerPorts[i] as number,
    };
  }

  node(id: number): KafkaClusterNode {
    const node = this.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`the cluster has no node ${id}`);
    return node;
  }

  /** The node's JVM, only while the pid file still names a broker of this node (pids are recycled). */
  pidOf(id: number): number | undefined {
    const { paths } = this.node(id);
    const pid = readPidFile(paths.pidFile);
    if (pid === undefined || !isAlive(pid)) return undefined;
    const cmd = commandLineOf(pid) ?? '';
    return cmd.includes('kafka.Kafka') && cmd.includes(paths.serverProperties) ? pid : undefined;
  }

  /** The cluster id all nodes were (or will be) formatted with, kept next to them. */
  private clusterId(): string {
    const file = join(this.options.home, 'cluster.id');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(this.options.home, { recursive: true });
    const id = newClusterId();
    writeFileSync(file, `${id}\n`);
    return id;
  }

  /**
   * Starts every node that is not running (formatting its storage the first time) and waits until
   * all of them are registered, unfenced brokers. Nodes already running are left alone.
   */
  async start(): Promise<void> {
    const started = Date.now();
    const java = javaBinary();
    const libs = await ensureKafkaLibs(this.log);
    const clusterId = this.clusterId();
    const launched: number[] = [];
    for (const node of this.nodes) {
      if (this.pidOf(node.id) !== undefined) continue;
      for (const port of [node.broker, `${HOST}:${this.listener(node).controllerPort}`]) {
        if (await portOpen(port))
          throw new Error(`kafka cluster node ${node.id}: ${port} is taken by another process`);
      }
      writeKafkaConfig(node.paths, this.listener(node), this.membership(node.id));
      await formatStorageOnce(java, libs, node.paths, this.log, clusterId);
      launched.push(launch(java, libs, node.paths, this.heap));
    }
    await this.waitForNodes(this.nodes.map((n) => n.id));
    if (launched.length > 0) {
      this.log(
        `kafka cluster: ${this.nodes.length} nodes up on ${this.brokers.join(',')} (${seconds(started)}, ${this.options.home})`,
      );
    }
  }

  /** kill -9 (or another signal) one node and wait until its process is gone. */
  async kill(id: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const pid = this.pidOf(id);
    if (pid === undefined) return;
    process.kill(pid, signal);
    await pollUntil(`kafka node ${id} (pid ${pid}) to exit`, async () => (isAlive(pid) ? undefined : true), {
      timeoutMs: 60_000,
      intervalMs: 50,
    });
  }

  /** Starts one stopped node again on its data and waits until it is a registered broker. */
  async startNode(id: number): Promise<void> {
    const node = this.node(id);
    if (this.pidOf(id) !== undefined) return;
    const libs = await ensureKafkaLibs(this.log);
    writeKafkaConfig(node.paths, this.listener(node), this.membership(id));
    launch(javaBinary(), libs, node.paths, this.heap);
    await this.waitForNodes([id]);
  }

  /** The node ids the cluster's metadata lists as live brokers, asked of any node that answers. */
  async liveBrokerIds(): Promise<number[] | undefined> {
    try {
      return await withAdmin(
        this.brokers,
        async (admin) => (await admin.describeCluster()).brokers.map((b) => b.nodeId),
        {
          probe: true,
        },
      );
    } catch {
      return undefined;
    }
  }

  /**
   * Whether every partition of `topics` has all its replicas in sync again (after a node came back):
   * until then, losing another node could lose acknowledged writes.
   */
  async fullyReplicated(topics: string[]): Promise<boolean> {
    try {
      return await withAdmin(this.brokers, async (admin) => {
        const meta = await admin.fetchTopicMetadata({ topics });
        return meta.topics.every((t) => t.partitions.every((p) => p.isr.length === p.replicas.length));
      });
    } catch {
      return false;
    }
  }

  private async waitForNodes(ids: number[]): Promise<void> {
    await pollUntil(
      `kafka node(s) ${ids.join(',')} on ${this.brokers.join(',')}`,
      async () => {
        const live = await this.liveBrokerIds();
        return live && ids.every((id) => live.includes(id)) ? true : undefined;
      },
      {
        timeoutMs: START_TIMEOUT_MS,
        intervalMs: 500,
        abortReason: () => {
          const dead = ids.filter((id) => this.pidOf(id) === undefined);
          return dead.length > 0
            ? `kafka node(s) ${dead.join(',')} exited (see ${dead.map((id) => this.node(id).paths.jvmOut).join(', ')})`
            : undefined;
        },
      },
    );
  }

  /** SIGTERM (a controlled shutdown) to every running node, all at once, SIGKILL after the grace. */
  async stop(): Promise<void> {
    await Promise.all(
      this.nodes.map(async (node) => {
        const pid = this.pidOf(node.id);
        if (pid !== undefined) await terminate(pid, 60_000);
        removeFile(node.paths.pidFile);
      }),
    );
  }
}

/** PACER_KAFKA_BROKERS: how many local brokers `infra:up` runs (1, the default, or a cluster). */
export function localBrokerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env['PACER_KAFKA_BROKERS']?.trim();
  if (!raw) return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 9) {
    throw new Error(`PACER_KAFKA_BROKERS must be a whole number of local brokers from 1 to 9, not "${raw}"`);
  }
  return n;
}

/** The `infra:up` cluster: fixed ports from 19092 (brokers) and 19192 (controllers), under the cache. */
export function localKafkaCluster(size: number, log: InfraLog = defaultLog): KafkaCluster {
  const ports = (base: number): number[] => Array.from({ length: size }, (_, i) => base + i);
  return new KafkaCluster({
    size,
    home: join(cacheDir(), `kafka-cluster-${size}`),
    brokerPorts: ports(LOCAL_CLUSTER_BROKER_BASE_PORT),
    controllerPorts: ports(LOCAL_CLUSTER_CONTROLLER_BASE_PORT),
    log,
  });
}

export async function ensureLocalKafkaCluster(size: number, log: InfraLog): Promise<string[]> {
  const cluster = localKafkaCluster(size, log);
  mkdirSync(join(cacheDir(), `kafka-cluster-${size}`), { recursive: true });
  return withFileLock(cluster.lockFile, `local ${size}-broker Kafka cluster`, async () => {
    const running = cluster.nodes.filter((n) => cluster.pidOf(n.id) !== undefined).length;
    if (running === size && (await kafkaAnswers(cluster.brokers))) {
      log(`kafka cluster: ${size} nodes already up on ${cluster.brokers.join(',')}`);
      return cluster.brokers;
    }
    await cluster.start();
    return cluster.brokers;
  });
}

/** Stops the local cluster of `only` nodes, or every one `infra:up` may have started (any size whose directory exists). */
export async function stopLocalKafkaClusters(log: InfraLog, only?: number): Promise<void> {
  for (let size = 2; size <= 9; size++) {
    if (only !== undefined && size !== only) continue;
    if (!existsSync(join(cacheDir(), `kafka-cluster-${size}`))) continue;
    const cluster = localKafkaCluster(size, log);
    const pids = cluster.nodes.map((n) => cluster.pidOf(n.id)).filter((p) => p !== undefined);
    if (pids.length === 0) {
      if (only !== undefined) log(`kafka cluster: ${size} nodes not running`);
      continue;
    }
    const started = Date.now();
    await withFileLock(cluster.lockFile, `local ${size}-broker Kafka cluster`, () => cluster.stop());
    log(`kafka cluster: ${size} nodes stopped (pids ${pids.join(', ')}, ${seconds(started)})`);
  }
}
