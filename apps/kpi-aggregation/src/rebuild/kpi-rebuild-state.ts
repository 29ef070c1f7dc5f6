import { DataSource, EntityManager } from 'typeorm';
import { Kafka } from 'kafkajs';
import { TOPICS } from '@pacer/contracts';
import { AuditActor, recordAudit } from '@pacer/platform';
import { PgKpiStore } from '../persistence/pg-kpi.store';
import { SHADOW_SCHEMA, SHADOWED_TABLES } from './shadow-kpi.store';

/** The topics the KPIs are computed from (canonical names; the service adds its topic prefix). */
export const KPI_INPUT_TOPICS = [TOPICS.activities, TOPICS.roster, TOPICS.sprints, TOPICS.plans] as const;

/** The scope of a platform-wide rebuild (every tenant); any other scope is one tenant id. */
export const ALL_TENANTS = '*';

/** A rebuild that failed this many times in a row is given up, with the last error as its reason. */
export const MAX_REBUILD_ATTEMPTS = 3;

/** A partition position: `offset` is the next offset to read (an end offset for a target). */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export type RebuildStatusName = 'idle' | 'running' | 'completed' | 'failed';

export interface RebuildState {
  /** The tenant rebuilt, or `*` for a platform-wide rebuild. */
  scope: string;
  /** Increases with every rebuild of this scope (0: never rebuilt). */
  epoch: number;
  status: RebuildStatusName;
  /** `context` (roster, sprints, plans), `activities`, `inbox` (what arrived meanwhile), `swap`, `done`. */
  phase: string;
  rebuilding: boolean;
  /** End offsets of every input partition when the rebuild started: what it replays. */
  targets: PartitionOffset[];
  /** How far the replay got, per partition (committed with the shadow read models). */
  progress: PartitionOffset[];
  /** Tenants already swapped in (a platform-wide rebuild swaps one tenant at a time). */
  swapped: string[];
  /** Failed runs so far; at MAX_REBUILD_ATTEMPTS the rebuild is `failed`. */
  attempts: number;
  /** Why the last run failed (the rebuild's failure reason once `failed`). */
  reason: string | null;
  startedAt: string | null;
  completedAt: string | null;
  failedAt: string | null;
  /** Snapshots the rebuild found different from what had been published (and published). */
  republished: number | null;
}

export class RebuildInProgressError extends Error {
  override readonly name = 'RebuildInProgressError';
}

type Db = DataSource | EntityManager;
type Row = Record<string, unknown>;

// Transaction-scoped advisory locks. START serialises the starts (a tenant rebuild and a platform one
// must not both begin); FENCE is taken shared by every live batch and exclusively, for the few
// milliseconds of its start, by a platform-wide rebuild: every batch then either committed before the
// end offsets were read or sees the rebuild and parks its inputs.
const START_LOCK = 'pacer-kpi-rebuild-start';
export const LIVE_FENCE = 'pacer-kpi-live-fence';

const iso = (v: unknown): string | null =>
  v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : String(v);

function toState(r: Row): RebuildState {
  const status = r['status'] as RebuildStatusName;
  return {
    scope: String(r['scope']),
    epoch: Number(r['epoch']),
    status,
    phase: String(r['phase']),
    rebuilding: status === 'running',
    targets: (r['targets'] as PartitionOffset[] | null) ?? [],
    progress: (r['progress'] as PartitionOffset[] | null) ?? [],
    swapped: (r['swapped'] as string[] | null) ?? [],
    attempts: Number(r['attempts']),
    reason: (r['reason'] as string | null) ?? null,
    startedAt: iso(r['started_at']),
    completedAt: iso(r['completed_at']),
    failedAt: iso(r['failed_at']),
    republished:
      r['republished'] === null || r['republished'] === undefined ? null : Number(r['republished']),
  };
}

function idleState(scope: string): RebuildState {
  return {
    scope,
    epoch: 0,
    status: 'idle',
    phase: 'done',
    rebuilding: false,
    targets: [],
    progress: [],
    swapped: [],
    attempts: 0,
    reason: null,
    startedAt: null,
    completedAt: null,
    failedAt: null,
    republished: null,
  };
}

/** The current (or last) rebuild of a scope; `idle` with epoch 0 if it was never rebuilt. */
export async function readRebuild(
  db: Db,
  scope: string,
  lock: '' | 'FOR UPDATE' = '',
): Promise<RebuildState> {
  const [row] = (await db.query(`SELECT * FROM kpi_rebuilds WHERE scope = $1 ${lock}`, [scope])) as Row[];
  return row ? toState(row) : idleState(scope);
}

/** Scopes with a rebuild running. */
export async function runningScopes(db: Db): Promise<string[]> {
  const rows = (await db.query(
    `SELECT scope FROM kpi_rebuilds WHERE status = 'running' ORDER BY scope`,
  )) as Row[];
  return rows.map((r) => String(r['scope']));
}

export const partitionId = (p: { topic: string; partition: number }): string => `${p.topic}|${p.partition}`;

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

/** The end offsets of every partition of the input topics right now, and where each log starts. */
async function endOffsets(
  kafka: Kafka,
  topicPrefix: string,
): Promise<{ targets: PartitionOffset[]; starts: PartitionOffset[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const targets: PartitionOffset[] = [];
    const starts: PartitionOffset[] = [];
    for (const topic of KPI_INPUT_TOPICS.map((t) => topicPrefix + t)) {
      for (const p of await admin.fetchTopicOffsets(topic)) {
        targets.push({ topic, partition: p.partition, offset: p.high });
        // Below the log start nothing can be read (retention): starting there lets an empty or
        // truncated partition count as replayed instead of waiting for records that will never come.
        starts.push({ topic, partition: p.partition, offset: p.low });
      }
    }
    return { targets, starts };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Starts a rebuild of one tenant (or of every tenant, scope `*`). Under the start lock it refuses to
 * overlap another rebuild of the same tenants, fences the live batches that could touch them (the
 * tenant's advisory lock, or the live fence for `*`), reads the end offsets of every input partition,
 * clears leftovers of an earlier attempt from the shadow tables and the inbox, and records the
 * rebuild. The fences are held only for this transaction, never for the replay. With an `actor`
 * (an API request) the start is audited in the same transaction.
 */
export async function startRebuild(
  dataSource: DataSource,
  kafka: Kafka,
  topicPrefix: string,
  scope: string,
  actor?: AuditActor,
): Promise<RebuildState> {
  return dataSource.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7305))`, [START_LOCK]);
    const running = await runningScopes(m);
    const clash = running.find((s) => s === scope || s === ALL_TENANTS || scope === ALL_TENANTS);
    if (clash !== undefined) {
      const current = await readRebuild(m, clash);
      throw new RebuildInProgressError(
        clash === ALL_TENANTS
          ? `a platform-wide rebuild (epoch ${current.epoch}) is running`
          : scope === ALL_TENANTS
            ? `tenant rebuilds are running (${running.join(', ')}); a platform-wide rebuild waits for them`
            : `a rebuild of this tenant (epoch ${current.epoch}) is already running`,
      );
    }
    if (scope === ALL_TENANTS)
      await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 7305))`, [LIVE_FENCE]);
    else await new PgKpiStore(m).lockTenant(scope);
    // Read after taking the fence: everything the live consumers committed for these tenants without
    // parking it in the inbox is below these offsets.
    const { targets, starts } = await endOffsets(kafka, topicPrefix);
    for (const table of SHADOWED_TABLES) {
      if (scope === ALL_TENANTS) await m.query(`TRUNCATE ${SHADOW_SCHEMA}.${table}`);
      else await m.query(`DELETE FROM ${SHADOW_SCHEMA}.${table} WHERE tenant_id = $1`, [scope]);
    }
    await m.query(`DELETE FROM kpi_rebuild_inbox WHERE scope = $1`, [scope]);
    await m.query(
      `INSERT INTO kpi_rebuilds (scope, epoch, status, phase, targets, progress, swapped, attempts, reason, started_at, completed_at, failed_at, republished)
       VALUES ($1, 1, 'running', 'context', $2::jsonb, $3::jsonb, '{}', 0, NULL, now(), NULL, NULL, NULL)
       ON CONFLICT (scope) DO UPDATE SET epoch = kpi_rebuilds.epoch + 1, status = 'running', phase = 'context',
         targets = excluded.targets, progress = excluded.progress, swapped = '{}', attempts = 0, reason = NULL,
         started_at = now(), completed_at = NULL, failed_at = NULL, republished = NULL`,
      [scope, JSON.stringify(targets), JSON.stringify(starts)],
    );
    const state = await readRebuild(m, scope);
    if (actor) {
      await recordAudit(m, actor, {
        type: 'read_models.rebuild_started',
        subject: scope === ALL_TENANTS ? {} : { tenantId: scope },
        summary: { scope: scope === ALL_TENANTS ? 'all' : 'tenant', epoch: state.epoch },
      });
    }
    return state;
  });
}

/**
 * Records a failed run of a rebuild: it stays `running` (a watcher runs it again from its stored
 * progress) until it has failed MAX_REBUILD_ATTEMPTS times; then it is `failed` with the error as its
 * reason, the live consumer stops parking its tenants' inputs and the shadow rows are dropped.
 */
export async function recordRebuildFailure(
  dataSource: DataSource,
  scope: string,
  epoch: number,
  reason: string,
): Promise<RebuildState> {
  return dataSource.transaction(async (m) => {
    await m.query(
      `UPDATE kpi_rebuilds SET attempts = attempts + 1, reason = $3,
              status = CASE WHEN attempts + 1 >= $4 THEN 'failed' ELSE status END,
              failed_at = CASE WHEN attempts + 1 >= $4 THEN now() ELSE failed_at END
        WHERE scope = $1 AND epoch = $2 AND status = 'running'`,
      [scope, epoch, reason.slice(0, 2000), MAX_REBUILD_ATTEMPTS],
    );
    const state = await readRebuild(m, scope);
    if (state.epoch === epoch && state.status === 'failed') await dropShadow(m, scope);
    return readRebuild(m, scope);
  });
}

/** Removes what a rebuild of `scope` left in the shadow tables and the inbox. */
export async function dropShadow(m: EntityManager, scope: string): Promise<void> {
  for (const table of SHADOWED_TABLES) {
    if (scope === ALL_TENANTS) await m.query(`TRUNCATE ${SHADOW_SCHEMA}.${table}`);
    else await m.query(`DELETE FROM ${SHADOW_SCHEMA}.${table} WHERE tenant_id = $1`, [scope]);
  }
  await m.query(`DELETE FROM kpi_rebuild_inbox WHERE scope = $1`, [scope]);
}
