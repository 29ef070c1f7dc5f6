import { DataSource, EntityManager } from 'typeorm';
import { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { DLQ_HEADERS, parseCloudEvent, TOPICS } from '@pacer/contracts';
import { enqueueOutbox, OutboxMessage } from '@pacer/messaging';
import { Logger } from '@pacer/observability';
import { snapshotMessages } from '../consumers/kpi-snapshot.events';
import { KpiBatchProcessor } from '../domain/kpi-batch.processor';
import { KpiInput, toKpiInput } from '../domain/kpi-input';
import { PgKpiStore } from '../persistence/pg-kpi.store';
import { drainInbox } from './kpi-rebuild-inbox';
import {
  ALL_TENANTS,
  KPI_INPUT_TOPICS,
  partitionId,
  readRebuild,
  RebuildState,
  recordRebuildFailure,
} from './kpi-rebuild-state';
import {
  inShadow,
  OneTenantKpiStore,
  SHADOW_SCHEMA,
  SHADOWED_TABLES,
  ShadowKpiStore,
} from './shadow-kpi.store';

export {
  ALL_TENANTS,
  KPI_INPUT_TOPICS,
  MAX_REBUILD_ATTEMPTS,
  readRebuild,
  rebuildRemaining,
  RebuildInProgressError,
  runningScopes,
  startRebuild,
} from './kpi-rebuild-state';
export type { PartitionOffset, RebuildState } from './kpi-rebuild-state';

const REPLAY_CHUNK = 20_000;
const INBOX_CHUNK = 5_000;
/** The inbox is drained outside the swap down to this many inputs; the rest is folded under the tenant lock. */
const SWAP_INBOX_MAX = 2_000;
/** A replay that reads nothing for this long while records are missing fails (the watcher retries it). */
const STALL_MS = 60_000;
/** How long a swap waits for the tenant's live batch before giving up (and being retried). */
const SWAP_LOCK_TIMEOUT = '15s';

class RebuildSupersededError extends Error {
  override readonly name = 'RebuildSupersededError';
}

/**
 * Runs one rebuild (one tenant, or `*` for every tenant) to its end:
 *
 * 1. replays every input partition up to the end offsets captured at start into the shadow tables
 *    (`kpi_rebuild` schema), roster/sprints/plans first, then activities, in big chunks, each committed
 *    with its progress — a crash resumes from there. Other tenants' records are skipped; records no
 *    one can read are dead-lettered (a platform-wide rebuild only: they belong to no tenant);
 * 2. folds the inputs the live consumer parked in the inbox meanwhile into the shadow;
 * 3. swaps each tenant in under its own lock, in one short transaction: the last parked inputs are
 *    folded, the tenant's live rows are replaced by the shadow ones, and every key is compared with
 *    what was published, publishing only the differences.
 *
 * One runner per scope at a time (a session advisory lock), so any replica's watcher can take over a
 * rebuild whose runner died. A failed run is recorded; after MAX_REBUILD_ATTEMPTS the rebuild is
 * `failed` with the error as its reason.
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
    readonly scope: string,
  ) {}

  /** Runs the scope's rebuild to its end; resolves false if another process runs it, none is running or it was stopped. */
  async run(): Promise<boolean> {
    const holder = this.dataSource.createQueryRunner();
    await holder.connect();
    const lockKey = `pacer-kpi-rebuild-runner:${this.scope}`;
    const [lock] = (await holder.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 7305)) AS locked`, [
      lockKey,
    ])) as { locked: boolean }[];
    if (!lock?.locked) {
      await holder.release();
      return false;
    }
    let state: RebuildState | undefined;
    try {
      state = await readRebuild(this.dataSource, this.scope);
      if (!state.rebuilding) return false;
      const started = Date.now();
      // Roster, sprints and quotas first: activities then land in their teams, sprints and calendar at
      // once, instead of every late membership or settings event re-attributing what came before it.
      const context = new Set<string>([TOPICS.roster, TOPICS.sprints, TOPICS.plans]);
      await this.replay(state, 'context', (t) => context.has(this.canonical(t)));
      if (!this.stopping) await this.replay(state, 'activities', (t) => !context.has(this.canonical(t)));
      if (this.stopping) return false;
      await this.drain(state);
      if (this.stopping) return false;
      const republished = await this.swapAll(state);
      if (republished === undefined) return false;
      this.logger.info(
        { scope: this.scope, epoch: state.epoch, republished, durationMs: Date.now() - started },
        'KPI rebuild finished',
      );
      return true;
    } catch (e) {
      if (this.stopping || e instanceof RebuildSupersededError || !state) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      const after = await recordRebuildFailure(this.dataSource, this.scope, state.epoch, reason).catch(
        () => undefined,
      );
      this.logger.error(
        { err: e, scope: this.scope, epoch: state.epoch, attempts: after?.attempts, status: after?.status },
        'KPI rebuild run failed',
      );
      throw e;
    } finally {
      await holder
        .query(`SELECT pg_advisory_unlock(hashtextextended($1, 7305))`, [lockKey])
        .catch(() => undefined);
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

  private inScope(tenantId: string): boolean {
    return this.scope === ALL_TENANTS || tenantId === this.scope;
  }

  /** Re-reads the rebuild inside a transaction, locking its row; throws if another rebuild replaced it. */
  private async current(m: EntityManager, epoch: number): Promise<RebuildState> {
    const state = await readRebuild(m, this.scope, 'FOR UPDATE');
    if (!state.rebuilding || state.epoch !== epoch)
      throw new RebuildSupersededError(`rebuild ${this.scope}#${epoch} is no longer running`);
    return state;
  }

  private async setPhase(epoch: number, phase: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.current(m, epoch);
      await m.query(`UPDATE kpi_rebuilds SET phase = $2 WHERE scope = $1`, [this.scope, phase]);
    });
  }

  /** Replays the partitions of the topics `inPhase` accepts up to their targets (resuming from the stored progress). */
  private async replay(
    initial: RebuildState,
    phase: string,
    inPhase: (topic: string) => boolean,
  ): Promise<void> {
    await this.setPhase(initial.epoch, phase);
    const state = await readRebuild(this.dataSource, this.scope);
    const phaseTargets = state.targets.filter((t) => inPhase(t.topic));
    const targets = new Map(phaseTargets.map((t) => [partitionId(t), BigInt(t.offset)]));
    const next = new Map(state.progress.map((p) => [partitionId(p), BigInt(p.offset)]));
    const isDone = (): boolean => [...targets].every(([id, end]) => (next.get(id) ?? 0n) >= end);
    if (isDone()) return;
    const topics = [...new Set(phaseTargets.map((t) => t.topic))];
    const scopeName = this.scope === ALL_TENANTS ? 'all' : `tenant-${this.scope}`;
    const group = `${this.groupId}-rebuild-${scopeName}-${state.epoch}-${phase}`;
    const consumer = this.kafka.consumer({
      groupId: group,
      maxBytesPerPartition: 16 * 1024 * 1024,
      maxBytes: 64 * 1024 * 1024,
      maxWaitTimeInMs: 50,
    });
    this.consumer = consumer;
    let pending: KpiInput[] = [];
    let deadLetters: OutboxMessage[] = [];
    // Next offset read per partition (never behind `next`, which is what the database has committed).
    const read = new Map(next);
    let failed: unknown;
    let lastRead = Date.now();
    let resolveDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const fail = (e: unknown): void => {
      failed ??= e;
      resolveDone();
    };

    const flush = async (
      inputs: KpiInput[],
      dlq: OutboxMessage[],
      reached: [string, bigint][],
    ): Promise<void> => {
      await this.dataSource.transaction(async (m) => {
        const current = await this.current(m, state.epoch);
        if (inputs.length > 0) {
          await inShadow(m, () =>
            new KpiBatchProcessor(new ShadowKpiStore(m)).process(inputs, { publish: false }),
          );
        }
        if (dlq.length > 0) await enqueueOutbox(m, dlq);
        const progress = new Map(current.progress.map((p) => [partitionId(p), p]));
        for (const [id, offset] of reached) {
          const cut = id.lastIndexOf('|');
          progress.set(id, {
            topic: id.slice(0, cut),
            partition: Number(id.slice(cut + 1)),
            offset: offset.toString(),
          });
        }
        await m.query(`UPDATE kpi_rebuilds SET progress = $2::jsonb WHERE scope = $1`, [
          this.scope,
          JSON.stringify([...progress.values()]),
        ]);
      });
      for (const [id, offset] of reached) next.set(id, offset);
      // A slow commit is not a stalled replay: the watchdog counts from here too.
      lastRead = Date.now();
      if (isDone()) resolveDone();
    };
    // One flush in flight while the next chunk is fetched and parsed: the database and this process overlap.
    let inFlight: Promise<void> | undefined;
    const startFlush = async (): Promise<void> => {
      await inFlight;
      const inputs = pending;
      const dlq = deadLetters;
      pending = [];
      deadLetters = [];
      inFlight = flush(inputs, dlq, [...read]).catch(fail);
    };

    // Fails a replay that stopped reading (a partition that cannot be read to its target, a broker
    // gone for good): it must end with a reason rather than show `remaining` forever.
    const watchdog = setInterval(() => {
      if (Date.now() - lastRead > STALL_MS && !isDone()) {
        const behind = [...targets]
          .filter(([id, end]) => (read.get(id) ?? 0n) < end)
          .map(([id, end]) => `${id} at ${read.get(id) ?? 0n} of ${end}`);
        fail(
          new Error(
            `the replay read nothing for ${STALL_MS / 1000} s with partitions behind: ${behind.join(', ')}`,
          ),
        );
      }
    }, 1_000);
    watchdog.unref();

    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) {
        for (const partition of partitions)
          consumer.seek({
            topic,
            partition,
            offset: (read.get(partitionId({ topic, partition })) ?? 0n).toString(),
          });
      }
    });
    consumer.on(consumer.events.CRASH, (e) => {
      if (!e.payload.restart) fail(e.payload.error);
    });
    try {
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
            this.collect(batch.topic, batch.partition, message, group, pending, deadLetters);
            read.set(id, offset + 1n);
            lastRead = Date.now();
          }
          const allRead = [...targets].every(([pid, target]) => (read.get(pid) ?? 0n) >= target);
          if (
            pending.length >= REPLAY_CHUNK ||
            (allRead && (pending.length > 0 || deadLetters.length > 0 || !isDone()))
          ) {
            await startFlush();
            await heartbeat();
          }
        },
      });
      if (isDone()) resolveDone();
      await Promise.race([done, this.stopped]);
    } finally {
      clearInterval(watchdog);
      this.consumer = undefined;
      await consumer.disconnect().catch(() => undefined);
      await inFlight;
      await this.deleteGroup(group);
    }
    if (failed !== undefined) throw failed;
  }

  /** Reads one replayed record: an input of a tenant in scope, a dead letter, or nothing. */
  private collect(
    topic: string,
    partition: number,
    message: KafkaMessage,
    group: string,
    pending: KpiInput[],
    dlq: OutboxMessage[],
  ): void {
    const parsed = parseCloudEvent(message.value);
    if (!parsed.ok) {
      // A type this contract does not know belongs to another consumer or a newer version: skipped, as live.
      if (parsed.unknownType) return;
      // No tenant can be told from an unreadable record: only a platform-wide rebuild owns it.
      if (this.scope === ALL_TENANTS)
        dlq.push(this.deadLetter(topic, partition, message, group, parsed.error));
      return;
    }
    if (!this.inScope(parsed.event.tenantid)) return;
    try {
      const input = toKpiInput(parsed.event);
      if (input) pending.push(input);
    } catch (e) {
      dlq.push(this.deadLetter(topic, partition, message, group, e instanceof Error ? e.message : String(e)));
    }
  }

  private deadLetter(
    topic: string,
    partition: number,
    message: KafkaMessage,
    group: string,
    error: string,
  ): OutboxMessage {
    this.logger.warn(
      { topic, partition, offset: message.offset, err: error, scope: this.scope },
      'rebuild dead-lettered a record',
    );
    return {
      topic: TOPICS.dlq,
      key: message.key?.toString() ?? null,
      value: message.value ?? Buffer.alloc(0),
      headers: {
        ...stringHeaders(message.headers),
        [DLQ_HEADERS.error]: error.slice(0, 2000),
        [DLQ_HEADERS.sourceTopic]: topic,
        [DLQ_HEADERS.sourcePartition]: String(partition),
        [DLQ_HEADERS.sourceOffset]: message.offset,
        [DLQ_HEADERS.consumerGroup]: group,
        [DLQ_HEADERS.attempts]: '1',
        [DLQ_HEADERS.failedAt]: new Date().toISOString(),
      },
    };
  }

  /** Folds what the live consumer parked while the replay ran, down to what the swap can fold quickly. */
  private async drain(state: RebuildState): Promise<void> {
    await this.setPhase(state.epoch, 'inbox');
    for (;;) {
      if (this.stopping) return;
      const folded = await this.dataSource.transaction(async (m) => {
        await this.current(m, state.epoch);
        return drainInbox(m, this.scope, undefined, INBOX_CHUNK);
      });
      if (folded < INBOX_CHUNK) {
        const [left] = (await this.dataSource.query(
          `SELECT count(*)::int AS n FROM kpi_rebuild_inbox WHERE scope = $1`,
          [this.scope],
        )) as { n: number }[];
        if ((left?.n ?? 0) <= SWAP_INBOX_MAX) return;
      }
    }
  }

  /** Swaps every tenant of the rebuild in; returns the snapshots republished, or undefined if stopped. */
  private async swapAll(state: RebuildState): Promise<number | undefined> {
    await this.setPhase(state.epoch, 'swap');
    const tenants = this.scope === ALL_TENANTS ? await this.tenantsOfAll() : [this.scope];
    const swapped = new Set((await readRebuild(this.dataSource, this.scope)).swapped);
    const todo = tenants.filter((t) => !swapped.has(t));
    for (const [i, tenantId] of todo.entries()) {
      if (this.stopping) return undefined;
      await this.swap(state.epoch, tenantId, i === todo.length - 1);
    }
    if (todo.length === 0) await this.complete(state.epoch);
    return (await readRebuild(this.dataSource, this.scope)).republished ?? 0;
  }

  private async complete(epoch: number): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      await this.current(m, epoch);
      await m.query(
        `UPDATE kpi_rebuilds SET status = 'completed', phase = 'done', completed_at = now(), reason = NULL, republished = coalesce(republished, 0)
          WHERE scope = $1`,
        [this.scope],
      );
      await m.query(`DELETE FROM kpi_rebuild_inbox WHERE scope = $1`, [this.scope]);
    });
  }

  /** Every tenant a platform-wide rebuild must swap: anything in the live or shadow tables, or parked. */
  private async tenantsOfAll(): Promise<string[]> {
    const sources = [
      ...SHADOWED_TABLES.flatMap((t) => [
        `SELECT DISTINCT tenant_id FROM public.${t}`,
        `SELECT DISTINCT tenant_id FROM ${SHADOW_SCHEMA}.${t}`,
      ]),
      `SELECT DISTINCT tenant_id FROM kpi_snapshots`,
      `SELECT DISTINCT tenant_id FROM kpi_rebuild_inbox WHERE scope = '${ALL_TENANTS}'`,
    ];
    const rows = (await this.dataSource.query(`${sources.join(' UNION ')} ORDER BY 1`)) as {
      tenant_id: string;
    }[];
    return rows.map((r) => r.tenant_id);
  }

  /**
   * The swap of one tenant, in one transaction under the tenant's live lock (its live batches wait;
   * no other tenant does): fold its last parked inputs, replace its live rows by the shadow ones,
   * publish the keys that differ from what was published, and record the tenant as swapped.
   */
  private async swap(epoch: number, tenantId: string, last: boolean): Promise<void> {
    let locked = 0;
    const republished = await this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
      await new PgKpiStore(m).lockTenant(tenantId);
      locked = Date.now();
      await this.current(m, epoch);
      while ((await drainInbox(m, this.scope, tenantId, INBOX_CHUNK)) > 0) {
        // until the tenant's inbox is empty; no live batch of the tenant can add to it while we hold its lock
      }
      for (const table of SHADOWED_TABLES) {
        const columns = (await this.columnsOf(m, table)).join(', ');
        await m.query(`DELETE FROM public.${table} WHERE tenant_id = $1`, [tenantId]);
        await m.query(
          `INSERT INTO public.${table} (${columns}) SELECT ${columns} FROM ${SHADOW_SCHEMA}.${table} WHERE tenant_id = $1`,
          [tenantId],
        );
        await m.query(`DELETE FROM ${SHADOW_SCHEMA}.${table} WHERE tenant_id = $1`, [tenantId]);
      }
      const published = await new KpiBatchProcessor(new OneTenantKpiStore(m, tenantId)).publishEverything();
      await enqueueOutbox(m, snapshotMessages(published));
      const finish = this.scope !== ALL_TENANTS || last;
      await m.query(
        `UPDATE kpi_rebuilds SET swapped = array_append(swapped, $2), republished = coalesce(republished, 0) + $3
           ${finish ? `, status = 'completed', phase = 'done', completed_at = now(), reason = NULL` : ''}
          WHERE scope = $1`,
        [this.scope, tenantId, published.length],
      );
      // Inputs of tenants that appeared after the tenant list was read: their live rows hold them already.
      if (finish) await m.query(`DELETE FROM kpi_rebuild_inbox WHERE scope = $1`, [this.scope]);
      return published.length;
    });
    // How long the tenant's own live batches waited: the one pause a rebuild costs its tenant.
    this.logger.info(
      { scope: this.scope, epoch, tenantId, republished, lockHeldMs: Date.now() - locked },
      'KPI rebuild swapped a tenant in',
    );
  }

  private readonly columns = new Map<string, string[]>();

  /** The live table's columns, named explicitly so the copy never depends on column order. */
  private async columnsOf(m: EntityManager, table: string): Promise<string[]> {
    const known = this.columns.get(table);
    if (known) return known;
    const rows = (await m.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`,
      [table],
    )) as { column_name: string }[];
    const names = rows.map((r) => `"${r.column_name}"`);
    this.columns.set(table, names);
    return names;
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

/** Kafka headers as strings (the outbox's header type); a header without a value is dropped. */
function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
