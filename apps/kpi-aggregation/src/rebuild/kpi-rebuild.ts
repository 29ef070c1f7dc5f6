import { DataSource, EntityManager } from 'typeorm';
import { Consumer, Kafka } from 'kafkajs';
import { parseCloudEvent, TOPICS } from '@pacer/contracts';
import { enqueueOutbox } from '@pacer/event-store';
import { Logger } from '@pacer/observability';
import { snapshotMessages } from '../consumers/kpi-snapshot.events';
import { KpiBatchProcessor } from '../domain/kpi-batch.processor';
import { KpiInput, toKpiInput } from '../domain/kpi-input';
import { REBUILT_TABLES } from '../migrations';
import { kpiRebuilding } from '../observability/kpi.metrics';
import { PgKpiStore } from '../persistence/pg-kpi.store';

/** The topics the KPIs are computed from (canonical names; the service adds its topic prefix). */
export const KPI_INPUT_TOPICS = [TOPICS.activities, TOPICS.roster, TOPICS.sprints, TOPICS.plans] as const;

/** A partition position: `offset` is the next offset to read (an end offset for a target). */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export interface RebuildState {
  /** Increases with every rebuild. */
  epoch: number;
  rebuilding: boolean;
  /** End offsets of every input partition when the rebuild started: what it replays. */
  targets: PartitionOffset[];
  /** How far the replay got, per partition (committed with the rebuilt read models). */
  progress: PartitionOffset[];
  startedAt: string | null;
  completedAt: string | null;
  /** Snapshots the finished rebuild found different from what had been published (and published). */
  republished: number | null;
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
}

type Db = DataSource | EntityManager;

const REPLAY_CHUNK = 20_000;
const RUNNER_LOCK = 'pacer-kpi-rebuild-runner';

function toState(r: Record<string, unknown>): RebuildState {
  const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v));
  return {
    epoch: Number(r['epoch']),
    rebuilding: r['rebuilding'] === true,
    targets: (r['targets'] as PartitionOffset[] | null) ?? [],
    progress: (r['progress'] as PartitionOffset[] | null) ?? [],
    startedAt: iso(r['started_at']),
    completedAt: iso(r['completed_at']),
    republished: r['republished'] === null || r['republished'] === undefined ? null : Number(r['republished']),
  };
}

export async function readRebuildState(db: Db, lock: '' | 'FOR SHARE' | 'FOR UPDATE' = ''): Promise<RebuildState> {
  const rows = (await db.query(`SELECT * FROM kpi_state WHERE id = 1 ${lock}`)) as Record<string, unknown>[];
  const row = rows[0];
  if (!row) throw new Error('kpi_state is missing its row: the migrations did not run');
  return toState(row);
}

const partitionId = (p: { topic: string; partition: number }): string => `${p.topic}|${p.partition}`;

/** Messages the replay still has to read. */
export function rebuildRemaining(state: RebuildState): number {
  if (!state.rebuilding) return 0;
  const done = new Map(state.progress.map((p) => [partitionId(p), BigInt(p.offset)]));
  let remaining = 0n;
  for (const t of state.targets) {
    const left = BigInt(t.offset) - (done.get(partitionId(t)) ?? 0n);
    if (left > 0n) remaining += left;
  }
  return Number(remaining);
}

/** The end offsets of every partition of the input topics right now. */
async function endOffsets(kafka: Kafka, topicPrefix: string): Promise<PartitionOffset[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const targets: PartitionOffset[] = [];
    for (const topic of KPI_INPUT_TOPICS.map((t) => topicPrefix + t)) {
      for (const p of await admin.fetchTopicOffsets(topic)) targets.push({ topic, partition: p.partition, offset: p.high });
    }
    return targets;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts a rebuild: under kpi_state's row lock (so no consumer batch is half-way), records the end
 * offsets of every input partition, empties every derived read model (not the published snapshots)
 * and marks the rebuild. From then on the live consumers keep consuming but publish nothing, and a
 * replay (`KpiRebuildRunner`) reads every input partition from its start to the recorded end. Facts
 * merge idempotently and in any order, so the two overlapping is harmless.
 */
export async function startRebuild(dataSource: DataSource, kafka: Kafka, topicPrefix: string): Promise<RebuildState> {
  return dataSource.transaction(async (m) => {
    const current = await readRebuildState(m, 'FOR UPDATE');
    if (current.rebuilding) throw new RebuildInProgressError(`a rebuild (epoch ${current.epoch}) is already running`);
    // Read after taking the lock: everything the live consumers committed before is below these offsets.
    const targets = await endOffsets(kafka, topicPrefix);
    await m.query(`TRUNCATE ${REBUILT_TABLES.join(', ')}`);
    await m.query(
      `UPDATE kpi_state SET epoch = epoch + 1, rebuilding = true, targets = $1::jsonb, progress = '[]'::jsonb,
              started_at = now(), completed_at = NULL, republished = NULL
        WHERE id = 1`,
      [JSON.stringify(targets)],
    );
    return readRebuildState(m);
  });
}

/**
 * Ends a replayed rebuild: compares every rebuilt key with what was published, publishes only the
 * differences and clears the flag, under kpi_state's row lock (consumer batches wait, then publish
 * normally). Returns how many snapshots differed, or undefined if that epoch is not rebuilding.
 */
export async function finishRebuild(dataSource: DataSource, epoch: number): Promise<number | undefined> {
  return dataSource.transaction(async (m) => {
    const state = await readRebuildState(m, 'FOR UPDATE');
    if (!state.rebuilding || state.epoch !== epoch) return undefined;
    const published = await new KpiBatchProcessor(new PgKpiStore(m)).publishEverything();
    await enqueueOutbox(m, snapshotMessages(published));
    await m.query(`UPDATE kpi_state SET rebuilding = false, completed_at = now(), republished = $1 WHERE id = 1`, [published.length]);
    return published.length;
  });
}

/**
 * Replays the input topics into the emptied read models: a consumer of its own (group
 * `<group>-rebuild-<epoch>-<phase>`) reads every partition from where the replay got to up to the rebuild's end
 * offsets and folds big chunks of inputs in one transaction each, committing its progress with them —
 * no per-message bookkeeping, because facts merge idempotently. One runner at a time (a session
 * advisory lock); if its process dies, another replica's watcher (or the CLI) takes over from the
 * stored progress. When every partition is done it finishes the rebuild.
 */
export class KpiRebuildRunner {
  private consumer?: Consumer;
  private stopping = false;
  private signalStop: () => void = () => undefined;
  // Settled by stop(); a promise rather than a polling loop, so a replay that ends on its own leaves no timer behind.
  private readonly stopped = new Promise<void>((resolve) => {
    this.signalStop = resolve;
  });

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: Kafka,
    private readonly groupId: string,
    private readonly logger: Logger,
  ) {}

  /** Runs the current rebuild to its end; resolves false if another process runs it or none is running. */
  async run(): Promise<boolean> {
    const holder = this.dataSource.createQueryRunner();
    await holder.connect();
    const [lock] = (await holder.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [RUNNER_LOCK])) as { locked: boolean }[];
    if (!lock?.locked) {
      await holder.release();
      return false;
    }
    try {
      const state = await readRebuildState(this.dataSource);
      if (!state.rebuilding) return false;
      kpiRebuilding.set(1);
      // Roster, sprints and quotas first: activities then land in their teams, sprints and calendar at
      // once, instead of every late membership or settings event re-attributing what came before it.
      const context = new Set<string>([TOPICS.roster, TOPICS.sprints, TOPICS.plans]);
      await this.replay(state, 'context', (t) => context.has(this.canonical(t)));
      if (!this.stopping) await this.replay(state, 'activities', (t) => !context.has(this.canonical(t)));
      if (this.stopping) return false;
      const republished = await finishRebuild(this.dataSource, state.epoch);
      if (republished !== undefined) this.logger.info({ epoch: state.epoch, republished }, 'KPI rebuild finished');
      kpiRebuilding.set(0);
      return true;
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(hashtext($1))`, [RUNNER_LOCK]).catch(() => undefined);
      await holder.release();
    }
  }

  /** Stops a replay in progress (its progress so far is kept). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.signalStop();
    await this.consumer?.disconnect().catch(() => undefined);
  }

  /** The SPEC name of a (prefixed) topic. */
  private canonical(topic: string): string {
    return KPI_INPUT_TOPICS.find((t) => topic.endsWith(t)) ?? topic;
  }

  /** Replays the partitions of the topics `inPhase` accepts up to their targets (resuming from the stored progress). */
  private async replay(initial: RebuildState, phase: string, inPhase: (topic: string) => boolean): Promise<void> {
    const state = await readRebuildState(this.dataSource);
    if (!state.rebuilding || state.epoch !== initial.epoch) throw new Error(`rebuild ${initial.epoch} was superseded`);
    const phaseTargets = state.targets.filter((t) => inPhase(t.topic));
    const targets = new Map(phaseTargets.map((t) => [partitionId(t), BigInt(t.offset)]));
    const next = new Map(state.progress.map((p) => [partitionId(p), BigInt(p.offset)]));
    const isDone = (): boolean => [...targets].every(([id, end]) => (next.get(id) ?? 0n) >= end);
    if (isDone()) return;
    const topics = [...new Set(phaseTargets.map((t) => t.topic))];
    const group = `${this.groupId}-rebuild-${state.epoch}-${phase}`;
    const consumer = this.kafka.consumer({ groupId: group, maxBytesPerPartition: 16 * 1024 * 1024, maxBytes: 64 * 1024 * 1024, maxWaitTimeInMs: 50 });
    this.consumer = consumer;
    let pending: KpiInput[] = [];
    // Next offset read per partition (never behind `next`, which is what the database has committed).
    const read = new Map(next);
    let failed: unknown;
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));

    const flush = async (inputs: KpiInput[], reached: [string, bigint][]): Promise<void> => {
      await this.dataSource.transaction(async (m) => {
        const current = await readRebuildState(m, 'FOR SHARE');
        if (!current.rebuilding || current.epoch !== state.epoch) throw new Error(`rebuild ${state.epoch} was superseded`);
        if (inputs.length > 0) await new KpiBatchProcessor(new PgKpiStore(m)).process(inputs, { publish: false });
        const progress = new Map(current.progress.map((p) => [partitionId(p), p]));
        for (const [id, offset] of reached) {
          const cut = id.lastIndexOf('|');
          progress.set(id, { topic: id.slice(0, cut), partition: Number(id.slice(cut + 1)), offset: offset.toString() });
        }
        await m.query(`UPDATE kpi_state SET progress = $1::jsonb WHERE id = 1`, [JSON.stringify([...progress.values()])]);
      });
      for (const [id, offset] of reached) next.set(id, offset);
      kpiRebuilding.set(1);
      if (isDone()) resolveDone();
    };
    // One flush in flight while the next chunk is fetched and parsed: the database and this process overlap.
    let inFlight: Promise<void> | undefined;
    const startFlush = async (): Promise<void> => {
      await inFlight;
      const inputs = pending;
      pending = [];
      inFlight = flush(inputs, [...read]).catch((e: unknown) => {
        failed = e;
        resolveDone();
      });
    };

    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) {
        for (const partition of partitions) consumer.seek({ topic, partition, offset: (read.get(partitionId({ topic, partition })) ?? 0n).toString() });
      }
    });
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat, isRunning }) => {
        if (failed !== undefined || !isRunning()) return;
        const id = partitionId(batch);
        const end = targets.get(id) ?? 0n;
        const from = read.get(id) ?? 0n;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < from || offset >= end) continue;
          // Undecodable or unplaceable events were dead-lettered when first consumed; the replay skips them.
          const parsed = parseCloudEvent(message.value);
          if (parsed.ok) {
            try {
              const input = toKpiInput(parsed.event);
              if (input) pending.push(input);
            } catch (e) {
              this.logger.warn({ err: e, topic: batch.topic, partition: batch.partition, offset: message.offset }, 'rebuild skipped an event');
            }
          }
          read.set(id, offset + 1n);
        }
        const allRead = [...targets].every(([pid, target]) => (read.get(pid) ?? 0n) >= target);
        if (pending.length >= REPLAY_CHUNK || (allRead && (pending.length > 0 || !isDone()))) {
          await startFlush();
          await heartbeat();
        }
      },
    });
    if (isDone()) resolveDone();
    await Promise.race([done, this.stopped]);
    this.consumer = undefined;
    await consumer.disconnect().catch(() => undefined);
    await inFlight;
    await this.deleteGroup(group);
    if (failed !== undefined) throw failed;
  }


  private async deleteGroup(group: string): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([group]);
    } catch (e) {
      this.logger.debug({ err: e, group }, 'could not delete the rebuild consumer group');
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}
