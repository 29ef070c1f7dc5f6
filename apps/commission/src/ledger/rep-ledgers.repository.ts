import { EntityManager } from 'typeorm';
import { RepRef, columns } from './sql-rows';

// rep_ledgers: one row per rep, the lock every writer of a rep's ledger takes first.

/** Locks the reps' ledgers in a fixed order (so two writers never deadlock), creating rows as needed. */
export async function lockReps(manager: EntityManager, reps: readonly RepRef[]): Promise<void> {
  if (reps.length === 0) return;
  const sorted = [...reps].sort((a, b) =>
    a.tenantId + '\u0000' + a.repId < b.tenantId + '\u0000' + b.repId ? -1 : 1,
  );
  const [tenants, repIds] = columns(
    sorted,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  await manager.query(
    `INSERT INTO rep_ledgers (tenant_id, rep_id)
     SELECT t, r FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(t, r, o) ORDER BY o
     ON CONFLICT DO NOTHING`,
    [tenants, repIds],
  );
  await manager.query(
    `SELECT 1 FROM rep_ledgers l JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON l.tenant_id = x.t AND l.rep_id = x.r
      ORDER BY l.tenant_id, l.rep_id FOR UPDATE OF l`,
    [tenants, repIds],
  );
}
