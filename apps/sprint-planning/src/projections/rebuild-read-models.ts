import { DataSource, EntityManager } from 'typeorm';
import { EventStore } from '@pacer/event-store';
import { AuditActor, recordAudit } from '@pacer/platform';
import { PROJECTION_TABLES, SprintPlanningProjection } from './sprint-planning.projection';

/** What a rebuild of one tenant did. */
export interface TenantRebuild {
  tenantId: string;
  events: number;
}

/** A tenant whose rebuild failed every attempt; its read models are left as they were. */
export interface TenantRebuildFailure {
  tenantId: string;
  reason: string;
}

/** A rebuild that could not be done; `failures` names each tenant and why. */
export class RebuildFailedError extends Error {
  override readonly name = 'RebuildFailedError';

  constructor(
    readonly failures: TenantRebuildFailure[],
    readonly rebuilt: TenantRebuild[],
  ) {
    super(failures.map((f) => `${f.tenantId}: ${f.reason}`).join('; '));
  }
}

/** Who asked for a rebuild: audited in each rebuilt tenant's log, in the rebuild's transaction. */
export interface RebuildAudit {
  actor: AuditActor;
  scope: 'tenant' | 'all';
}

const ATTEMPTS = 3;
/** A command holding one of the tenant's streams longer than this fails the attempt instead of stalling it. */
const LOCK_TIMEOUT = '10s';
// Worth another attempt: a stream created by a concurrent command (unique_violation when its rows
// meet the replay's), a lock not granted in time, a deadlock or serialization failure.
const RETRYABLE = new Set(['23505', '55P03', '40P01', '40001']);

/**
 * Replays one tenant's events into its emptied read models, in global order, in one transaction.
 * Only that tenant's writes wait: the transaction locks the heads of the tenant's streams, which every
 * command on them locks before it appends, so once the locks are granted no event of those streams is
 * in flight and none can start. A stream a concurrent command creates meanwhile either committed before
 * the replay read the events (replayed) or after (its rows stay, as its own transaction wrote them),
 * or its rows meet the replay's (unique violation) and the attempt is retried. Reads with
 * `readTenant`, not `readAll`: the in-flight horizon is for live tailing, and the locks already fence
 * the tenant's writers. KPI snapshots are not touched: they are another service's numbers.
 */
async function rebuildTenantOnce(
  m: EntityManager,
  store: EventStore,
  projection: SprintPlanningProjection,
  tenantId: string,
  batchSize: number,
  audit: RebuildAudit | undefined,
): Promise<number> {
  await m.query(`SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
  await store.lockTenantStreams(m, tenantId);
  for (const table of PROJECTION_TABLES)
    await m.query(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
  let after = 0n;
  let total = 0;
  for (;;) {
    const events = await store.readTenant(m, tenantId, after, batchSize);
    if (events.length === 0) {
      if (audit) {
        await recordAudit(
          m,
          { ...audit.actor, tenantId },
          { type: 'read_models.rebuilt', subject: { tenantId }, summary: { scope: audit.scope, events: total } },
        );
      }
      return total;
    }
    await projection.apply(m, events);
    total += events.length;
    after = events[events.length - 1]?.globalPosition ?? after;
  }
}

/** Rebuilds one tenant's read models from its events; retries a conflict, and fails with the reason after the last attempt. */
export async function rebuildTenantReadModels(
  dataSource: DataSource,
  projection: SprintPlanningProjection,
  tenantId: string,
  batchSize = 1000,
  audit?: RebuildAudit,
): Promise<TenantRebuild> {
  const store = new EventStore(dataSource);
  let reason = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    try {
      const events = await dataSource.transaction((m) =>
        rebuildTenantOnce(m, store, projection, tenantId, batchSize, audit),
      );
      return { tenantId, events };
    } catch (e) {
      const code =
        (e as { driverError?: { code?: string } }).driverError?.code ?? (e as { code?: unknown }).code;
      reason = e instanceof Error ? e.message : String(e);
      if (typeof code !== 'string' || !RETRYABLE.has(code)) break;
    }
  }
  throw new RebuildFailedError([{ tenantId, reason }], []);
}

/** Every tenant with events or with rows in the read models (rows without events are removed by its rebuild). */
async function tenantsOf(dataSource: DataSource): Promise<string[]> {
  const withEvents = await new EventStore(dataSource).tenantIds();
  // One query with the read models' tenants, so the order is Postgres's collation as before.
  const sources = [
    'SELECT unnest($1::text[]) AS tenant_id',
    ...PROJECTION_TABLES.map((t) => `SELECT DISTINCT tenant_id FROM ${t}`),
  ];
  const rows = (await dataSource.query(`${sources.join(' UNION ')} ORDER BY 1`, [withEvents])) as {
    tenant_id: string;
  }[];
  return rows.map((r) => r.tenant_id);
}

/**
 * Rebuilds every tenant's read models (an operator's platform-wide rebuild), one tenant per
 * transaction so no tenant waits for another's replay. Goes on past a tenant that fails and then
 * throws `RebuildFailedError` naming each failed tenant; the others stay rebuilt.
 */
export async function rebuildReadModels(
  dataSource: DataSource,
  projection: SprintPlanningProjection,
  batchSize = 1000,
  audit?: RebuildAudit,
): Promise<{ tenants: number; events: number }> {
  const rebuilt: TenantRebuild[] = [];
  const failures: TenantRebuildFailure[] = [];
  for (const tenantId of await tenantsOf(dataSource)) {
    try {
      rebuilt.push(await rebuildTenantReadModels(dataSource, projection, tenantId, batchSize, audit));
    } catch (e) {
      if (!(e instanceof RebuildFailedError)) throw e;
      failures.push(...e.failures);
    }
  }
  const events = rebuilt.reduce((n, r) => n + r.events, 0);
  if (audit) {
    // The platform-wide record (tenant '' for an operator), after the per-tenant ones it sums up.
    await recordAudit(dataSource, audit.actor, {
      type: 'read_models.rebuilt',
      subject: {},
      summary: { scope: 'all', tenants: rebuilt.length, events, failedTenants: failures.map((f) => f.tenantId) },
    });
  }
  if (failures.length > 0) throw new RebuildFailedError(failures, rebuilt);
  return { tenants: rebuilt.length, events };
}
