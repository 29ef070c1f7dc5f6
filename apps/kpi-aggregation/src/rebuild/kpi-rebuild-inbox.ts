import { EntityManager } from 'typeorm';
import { KpiBatchProcessor, PublishedSnapshot } from '../domain/kpi-batch.processor';
import { KpiInput } from '../domain/kpi-input';
import { PgKpiStore } from '../persistence/pg-kpi.store';
import { ALL_TENANTS, LIVE_FENCE } from './kpi-rebuild-state';
import { inShadow, ShadowKpiStore } from './shadow-kpi.store';

const BIGINT_TAG = '$bigint';

/** An input as inbox text: JSON with bigints (cents) tagged, since JSON has no 64-bit integers. */
export function encodeInput(input: KpiInput): string {
  return JSON.stringify(input, (_key, value: unknown) =>
    typeof value === 'bigint' ? { [BIGINT_TAG]: value.toString() } : value,
  );
}

export function decodeInput(text: string): KpiInput {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const tagged = (value as Record<string, unknown>)[BIGINT_TAG];
      if (typeof tagged === 'string' && Object.keys(value).length === 1) return BigInt(tagged);
    }
    return value;
  }) as KpiInput;
}

/**
 * Folds a live consumer batch into the read models and returns the snapshots to publish, in the
 * batch's transaction. Inputs of a tenant being rebuilt are folded as usual (its KPIs keep flowing
 * from the intact live tables) and also parked in the inbox, which the rebuild folds into its shadow
 * before swapping it in. The tenant locks are taken before the rebuilds are read, so a swap or a
 * start of that tenant either finished before this batch (and is seen) or waits for it.
 */
export async function foldLiveBatch(
  m: EntityManager,
  inputs: readonly KpiInput[],
): Promise<PublishedSnapshot[]> {
  if (inputs.length === 0) return [];
  await m.query(`SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 7305))`, [LIVE_FENCE]);
  const store = new PgKpiStore(m);
  // The processor locks in the same (sorted) order and a session may take its own lock again.
  const tenants = [...new Set(inputs.map((i) => i.tenantId))].sort();
  for (const tenantId of tenants) await store.lockTenant(tenantId);
  const rows = (await m.query(`SELECT scope, swapped FROM kpi_rebuilds WHERE status = 'running'`)) as {
    scope: string;
    swapped: string[];
  }[];
  if (rows.length > 0) {
    const scopeOf = (tenantId: string): string | undefined => {
      if (rows.some((r) => r.scope === tenantId)) return tenantId;
      const all = rows.find((r) => r.scope === ALL_TENANTS);
      return all && !all.swapped.includes(tenantId) ? ALL_TENANTS : undefined;
    };
    const parked = inputs.flatMap((input) => {
      const scope = scopeOf(input.tenantId);
      return scope === undefined ? [] : [{ scope, tenantId: input.tenantId, text: encodeInput(input) }];
    });
    if (parked.length > 0) {
      await m.query(
        `INSERT INTO kpi_rebuild_inbox (scope, tenant_id, input) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])`,
        [parked.map((p) => p.scope), parked.map((p) => p.tenantId), parked.map((p) => p.text)],
      );
    }
  }
  return new KpiBatchProcessor(store).process(inputs, { publish: true });
}

/**
 * Folds up to `limit` parked inputs of a rebuild (of one tenant if given) into the shadow tables and
 * removes them from the inbox, in the caller's transaction. Returns how many it folded.
 */
export async function drainInbox(
  m: EntityManager,
  scope: string,
  tenantId: string | undefined,
  limit: number,
): Promise<number> {
  const rows = (await m.query(
    `SELECT seq, input FROM kpi_rebuild_inbox WHERE scope = $1 AND ($2::text IS NULL OR tenant_id = $2) ORDER BY seq LIMIT $3`,
    [scope, tenantId ?? null, limit],
  )) as { seq: string; input: string }[];
  if (rows.length === 0) return 0;
  const inputs = rows.map((r) => decodeInput(r.input));
  await inShadow(m, () => new KpiBatchProcessor(new ShadowKpiStore(m)).process(inputs, { publish: false }));
  await m.query(`DELETE FROM kpi_rebuild_inbox WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
  return rows.length;
}
