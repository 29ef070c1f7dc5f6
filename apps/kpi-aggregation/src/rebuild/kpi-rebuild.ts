import { DataSource, EntityManager } from 'typeorm';
import { Kafka } from 'kafkajs';
import { PacerEvent, TOPICS } from '@pacer/contracts';
import { BatchContext, DecodeResult, enqueueOutbox, ReplayConsumer, ReplayPartition } from '@pacer/messaging';
import { Logger } from '@pacer/observability';
import { decodeCloudEvent } from '@pacer/platform';
import { KpiInputHandler } from '../consumers/kpi-input.handler';
import { snapshotMessages } from '../consumers/kpi-snapshot.events';
import { KpiBatchProcessor } from '../domain/kpi-batch.processor';
import { KpiInput } from '../domain/kpi-input';
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
import { describeTable, swapByDifference, SwapTable } from './shadow-swap';

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
/**
 * Records of one replay chunk that may be dead-lettered for failing alone: beyond that the fault is
 * the rebuild's (a broken shadow table), and the run fails with it rather than dead-letter a tenant.
 */
const MAX_DEAD_LETTERS_PER_CHUNK = 3;
/** How long a swap waits for the tenant's live batch before giving up (and being retried). */
const SWAP_LOCK_TIMEOUT = '15s';
/** Memory per hash of the swap's join (100k facts take ~30 MB; the default 4 MB spills them to disk). */
const SWAP_WORK_MEM = '64MB';

class RebuildSupersededError extends Error {
  override readonly name = 'RebuildSupersededError';
}

/**
 * Runs one rebuild (one tenant, or `*` for every tenant) to its end:
 *
 * 1. replays every input partition up to the end offsets captured at start into the shadow tables
 *    (`kpi_rebuild` schema), roster/sprints/plans first, then activities, in big chunks, each committed
 *    with its progress — a crash resumes from there (the batch consumer's replay mode). Other tenants'
 *    records are skipped; records no one can read are dead-lettered (a platform-wide rebuild only:
 *    they belong to no tenant), and so is a record the handler cannot apply, isolated as live;
 * 2. folds the inputs the live consumer parked in the inbox meanwhile into the shadow;
 * 3. swaps each tenant in under its own lock, in one short transaction: the last parked inputs are
 *    folded, the tenant's live rows are made equal to the shadow ones, and every key is compared with
 *    what was published, publishing only the differences.
 *
 * One runner per scope at a time (a session advisory lock), so any replica's watcher can take over a
 * rebuild whose runner died. A failed run is recorded; after MAX_REBUILD_ATTEMPTS the rebuild is
 * `failed` with the error as its reason.
 */
export class KpiRebuildRunner {
  private replaying?: ReplayConsumer<PacerEvent>;
  private stopping = false;

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
    await this.replaying?.stop();
  }

  /** The SPEC name of a (prefixed) topic. */
  private canonical(topic: string): string {
    return KPI_INPUT_TOPICS.find((t) => topic.endsWith(t)) ?? topic;
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

  /**
   * Replays the partitions of the topics `inPhase` accepts up to their targets (resuming from the
   * stored progress) with the batch consumer's replay mode: the live consumer's handler contract and
   * failure policy, folding into the shadow tables, the progress committed with each chunk.
   */
  private async replay(
    initial: RebuildState,
    phase: string,
    inPhase: (topic: string) => boolean,
  ): Promise<void> {
    await this.setPhase(initial.epoch, phase);
    const state = await readRebuild(this.dataSource, this.scope);
    const progress = new Map(state.progress.map((p) => [partitionId(p), p.offset]));
    const partitions: ReplayPartition[] = state.targets
      .filter((t) => inPhase(t.topic))
      .map((t) => ({ topic: t.topic, partition: t.partition, from: progress.get(partitionId(t)) ?? '0', to: t.offset }));
    if (partitions.every((p) => BigInt(p.from) >= BigInt(p.to))) return;
    const scopeName = this.scope === ALL_TENANTS ? 'all' : `tenant-${this.scope}`;
    const replay = new ReplayConsumer<PacerEvent>({
      kafka: this.kafka,
      dataSource: this.dataSource,
      logger: this.logger,
      groupId: `${this.groupId}-rebuild-${scopeName}-${state.epoch}-${phase}`,
      partitions,
      decode: replayDecoder(this.scope),
      handler: new ShadowFold(),
      dlqTopic: TOPICS.dlq,
      chunkSize: REPLAY_CHUNK,
      stallMs: STALL_MS,
      maxDeadLettersPerChunk: MAX_DEAD_LETTERS_PER_CHUNK,
      commitProgress: async (m, reached) => {
        const current = await this.current(m, state.epoch);
        const merged = new Map(current.progress.map((p) => [partitionId(p), p]));
        for (const p of reached) merged.set(partitionId(p), p);
        await m.query(`UPDATE kpi_rebuilds SET progress = $2::jsonb WHERE scope = $1`, [
          this.scope,
          JSON.stringify([...merged.values()]),
        ]);
      },
    });
    this.replaying = replay;
    try {
      if (!this.stopping) await replay.run();
    } finally {
      this.replaying = undefined;
    }
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
   * no other tenant does): fold its last parked inputs, make its live rows equal to the shadow ones
   * (writing only the rows that differ, see swapByDifference), publish the keys that differ from
   * what was published, and record the tenant as swapped.
   */
  private async swap(epoch: number, tenantId: string, last: boolean): Promise<void> {
    let locked = 0;
    // Milliseconds of each step under the lock, logged: where a tenant's pause goes.
    const stepMs: Record<string, number> = {};
    let rowsChanged = 0;
    let mark = 0;
    const step = (name: string): void => {
      const now = Date.now();
      stepMs[name] = (stepMs[name] ?? 0) + (now - mark);
      mark = now;
    };
    const republished = await this.dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
      // The swap joins a tenant's live and shadow rows by hash: in memory rather than in batches on disk.
      await m.query(`SET LOCAL work_mem = '${SWAP_WORK_MEM}'`);
      await new PgKpiStore(m).lockTenant(tenantId);
      locked = mark = Date.now();
      await this.current(m, epoch);
      while ((await drainInbox(m, this.scope, tenantId, INBOX_CHUNK)) > 0) {
        // until the tenant's inbox is empty; no live batch of the tenant can add to it while we hold its lock
      }
      step('inbox');
      for (const table of SHADOWED_TABLES) {
        const counts = await swapByDifference(m, await this.tableOf(m, table), tenantId);
        rowsChanged += counts.deleted + counts.written;
        step(table);
        await m.query(`DELETE FROM ${SHADOW_SCHEMA}.${table} WHERE tenant_id = $1`, [tenantId]);
        step('shadowDelete');
      }
      const published = await new KpiBatchProcessor(new OneTenantKpiStore(m, tenantId)).publishEverything();
      step('compare');
      await enqueueOutbox(m, snapshotMessages(published));
      step('outbox');
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
    step('commit');
    // How long the tenant's own live batches waited: the one pause a rebuild costs its tenant.
    this.logger.info(
      { scope: this.scope, epoch, tenantId, republished, rowsChanged, lockHeldMs: Date.now() - locked, stepMs },
      'KPI rebuild swapped a tenant in',
    );
  }

  private readonly tables = new Map<string, SwapTable>();

  /** A live table's columns and key, read once per runner. */
  private async tableOf(m: EntityManager, table: string): Promise<SwapTable> {
    const known = this.tables.get(table);
    if (known) return known;
    const described = await describeTable(m, table);
    this.tables.set(table, described);
    return described;
  }
}

/** Folds replayed inputs into the shadow tables (no publishing: the swap compares and publishes). */
class ShadowFold extends KpiInputHandler {
  protected async fold(ctx: BatchContext, inputs: KpiInput[]): Promise<void> {
    const m = ctx.manager;
    await inShadow(m, () => new KpiBatchProcessor(new ShadowKpiStore(m)).process(inputs, { publish: false }));
  }
}

const BACKSLASH = 0x5c;

/**
 * Reads replayed records as the live consumer does (decodeCloudEvent), keeping only the scope's
 * tenant. A record no one can read names no tenant: a platform-wide rebuild dead-letters it, a
 * tenant's rebuild leaves it to that one (SPEC §5). A record whose bytes do not contain the tenant id
 * cannot be the tenant's and is skipped before it is parsed — unless it has a backslash, since a JSON
 * escape can spell the id with other bytes.
 */
export function replayDecoder(scope: string): (value: Buffer | null) => DecodeResult<PacerEvent> {
  const tenant = scope === ALL_TENANTS ? undefined : Buffer.from(scope, 'utf8');
  const otherTenant = { ok: false, skip: true, reason: 'another tenant' } as const;
  return (value) => {
    if (tenant && value && value.indexOf(tenant) === -1 && value.indexOf(BACKSLASH) === -1) return otherTenant;
    const decoded = decodeCloudEvent(value);
    if (decoded.ok) return tenant && decoded.event.tenantid !== scope ? otherTenant : decoded;
    if (decoded.skip || !tenant) return decoded;
    return { ok: false, skip: true, reason: `unreadable, left to a platform-wide rebuild: ${decoded.error}` };
  };
}
