import { EntityManager } from 'typeorm';
import { Dec } from '../calculation/decimal';
import { RepRef, StatementKey, insertRows, statementKey } from './sql-rows';
import { LedgerRow } from './ledger-lines.repository';
import type { StatementStatus } from './statement-document';

// statements: one row per rep and period, its head (version, total, status) and checkpoint.

export interface StoredStatementRef extends StatementKey {
  planId: string;
  planVersion: number;
  currency: string;
  windowStart: string;
  windowEnd: string;
}

/** The statements the reps already have (to find those a plan or calendar change dissolved). */
export async function loadStatementRefs(
  manager: EntityManager,
  reps: readonly RepRef[],
): Promise<StoredStatementRef[]> {
  if (reps.length === 0) return [];
  const rows = (await manager.query(
    `SELECT s.tenant_id, s.rep_id, s.period_key, s.plan_id, s.plan_version, s.currency, s.window_start, s.window_end
       FROM statements s JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON s.tenant_id = x.t AND s.rep_id = x.r`,
    [reps.map((r) => r.tenantId), reps.map((r) => r.repId)],
  )) as {
    tenant_id: string;
    rep_id: string;
    period_key: string;
    plan_id: string;
    plan_version: number;
    currency: string;
    window_start: Date;
    window_end: Date;
  }[];
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    repId: r.rep_id,
    periodKey: r.period_key,
    planId: r.plan_id,
    planVersion: r.plan_version,
    currency: r.currency,
    windowStart: r.window_start.toISOString(),
    windowEnd: r.window_end.toISOString(),
  }));
}

/** Every rep of a tenant that has deals or statements. */
export async function repsOfTenant(manager: EntityManager, tenantId: string): Promise<string[]> {
  const rows = (await manager.query(
    `SELECT rep_id FROM deal_credits WHERE tenant_id = $1 UNION SELECT rep_id FROM statements WHERE tenant_id = $1`,
    [tenantId],
  )) as { rep_id: string }[];
  return rows.map((r) => r.rep_id);
}

export interface StatementRow extends StatementKey {
  windowStartMs: number;
  windowEndMs: number;
  planId: string;
  planVersion: number;
  currency: string;
  total: string;
  summary: string;
  checkpoint: string | null;
}

export async function upsertStatements(manager: EntityManager, rows: readonly StatementRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(
    manager,
    // The total is the ledger's sum, kept by applyLedgerChanges; a new statement starts at 0, version 0.
    `INSERT INTO statements (tenant_id, rep_id, period_key, window_start, window_end, plan_id, plan_version, currency, total, summary, checkpoint, version)`,
    ['', '', '', '::timestamptz', '::timestamptz', '', '::int', '', '::numeric', '', '', '::int'],
    rows.map((r) => [
      r.tenantId,
      r.repId,
      r.periodKey,
      new Date(r.windowStartMs).toISOString(),
      new Date(r.windowEndMs).toISOString(),
      r.planId,
      r.planVersion,
      r.currency,
      '0',
      r.summary,
      r.checkpoint,
      0,
    ]),
    `ON CONFLICT (tenant_id, rep_id, period_key) DO UPDATE SET
       window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end, plan_id = EXCLUDED.plan_id,
       plan_version = EXCLUDED.plan_version, currency = EXCLUDED.currency,
       summary = EXCLUDED.summary, checkpoint = EXCLUDED.checkpoint, updated_at = now()`,
  );
}

/**
 * Keeps each statement's head in step with its ledger: `total` grows by the lines just posted to it
 * (so it is always the sum of its ledger lines, prior-period and manual ones included), `version`
 * counts the changes (a statement's first is 1), and an approved statement that changed is a draft
 * again. `keys` are statements written without new lines (they get at least version 1).
 */
export async function applyLedgerChanges(
  manager: EntityManager,
  rows: readonly Pick<LedgerRow, 'tenantId' | 'repId' | 'periodKey' | 'amount'>[],
  keys: readonly StatementKey[] = [],
): Promise<void> {
  const changes = new Map<string, { key: StatementKey; sum: Dec; n: number }>();
  for (const k of keys) {
    const id = statementKey(k.tenantId, k.repId, k.periodKey);
    if (!changes.has(id)) changes.set(id, { key: k, sum: new Dec(0), n: 0 });
  }
  for (const r of rows) {
    const id = statementKey(r.tenantId, r.repId, r.periodKey);
    const c = changes.get(id) ?? { key: r, sum: new Dec(0), n: 0 };
    c.sum = c.sum.plus(r.amount);
    c.n += 1;
    changes.set(id, c);
  }
  if (changes.size === 0) return;
  const list = [...changes.values()];
  await manager.query(
    `UPDATE statements s
        SET total = s.total + x.delta,
            version = greatest(s.version + CASE WHEN x.n > 0 THEN 1 ELSE 0 END, 1),
            status = CASE WHEN x.n > 0 AND s.status = 'approved' THEN 'draft' ELSE s.status END,
            approved_version = CASE WHEN x.n > 0 AND s.status = 'approved' THEN NULL ELSE s.approved_version END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::int[]) AS x(t, r, p, delta, n)
      WHERE s.tenant_id = x.t AND s.rep_id = x.r AND s.period_key = x.p`,
    [
      list.map((c) => c.key.tenantId),
      list.map((c) => c.key.repId),
      list.map((c) => c.key.periodKey),
      list.map((c) => c.sum.toFixed()),
      list.map((c) => c.n),
    ],
  );
}

export interface StoredCheckpoint {
  windowStartMs: number;
  windowEndMs: number;
  summary: string;
  checkpoint: string | null;
}

/** The stored head (summary, window, checkpoint) of each statement that exists. */
export async function loadCheckpoints(
  manager: EntityManager,
  keys: readonly StatementKey[],
): Promise<Map<string, StoredCheckpoint>> {
  const out = new Map<string, StoredCheckpoint>();
  if (keys.length === 0) return out;
  const rows = (await manager.query(
    `SELECT s.tenant_id, s.rep_id, s.period_key, s.window_start, s.window_end, s.summary, s.checkpoint
       FROM statements s JOIN unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, p)
         ON s.tenant_id = x.t AND s.rep_id = x.r AND s.period_key = x.p`,
    [keys.map((k) => k.tenantId), keys.map((k) => k.repId), keys.map((k) => k.periodKey)],
  )) as {
    tenant_id: string;
    rep_id: string;
    period_key: string;
    window_start: Date;
    window_end: Date;
    summary: string;
    checkpoint: string | null;
  }[];
  for (const r of rows) {
    out.set(statementKey(r.tenant_id, r.rep_id, r.period_key), {
      windowStartMs: r.window_start.getTime(),
      windowEndMs: r.window_end.getTime(),
      summary: r.summary,
      checkpoint: r.checkpoint,
    });
  }
  return out;
}

/** A statement's head, workflow figures and its ledger and breakdown lines as JSON array texts. */
export interface StatementDocumentRow {
  summary: string;
  total: string;
  status: StatementStatus;
  version: number;
  approved_by: string | null;
  closed: boolean;
  booked_elsewhere: string;
  breakdown: string;
  lines: string;
}

/** Everything the statement document is built from, in one round trip; undefined when none is stored. */
export async function loadStatementDocument(
  manager: EntityManager,
  key: StatementKey,
): Promise<StatementDocumentRow | undefined> {
  const [row] = (await manager.query(
    `SELECT s.summary, s.total::text AS total, s.status, s.version, s.approved_by,
            EXISTS (SELECT 1 FROM closed_periods c WHERE c.tenant_id = s.tenant_id AND c.period_key = s.period_key) AS closed,
            (SELECT coalesce(sum(l.amount), 0)::text FROM ledger_lines l
              WHERE l.tenant_id = s.tenant_id AND l.rep_id = s.rep_id AND l.closed_period_key = s.period_key) AS booked_elsewhere,
            (SELECT coalesce('[' || string_agg(l.line, ',' ORDER BY l.seq) || ']', '[]')
               FROM ledger_lines l WHERE l.tenant_id = s.tenant_id AND l.rep_id = s.rep_id AND l.period_key = s.period_key) AS lines,
            (SELECT coalesce('[' || string_agg(b.body, ',' ORDER BY b.section, b.position) || ']', '[]')
               FROM statement_lines b WHERE b.tenant_id = s.tenant_id AND b.rep_id = s.rep_id AND b.period_key = s.period_key) AS breakdown
       FROM statements s WHERE s.tenant_id = $1 AND s.rep_id = $2 AND s.period_key = $3`,
    [key.tenantId, key.repId, key.periodKey],
  )) as StatementDocumentRow[];
  return row;
}

export interface StatementHeadRow {
  period_key: string;
  window_start: Date;
  window_end: Date;
  plan_id: string;
  plan_version: number;
  currency: string;
  total: string;
  status: StatementStatus;
  version: number;
  updated_at: Date;
}

/** The heads of a rep's statements, oldest period first. */
export async function statementHeadsOfRep(
  manager: EntityManager,
  tenantId: string,
  repId: string,
): Promise<StatementHeadRow[]> {
  return (await manager.query(
    `SELECT period_key, window_start, window_end, plan_id, plan_version, currency, total::text AS total, status, version, updated_at
       FROM statements WHERE tenant_id = $1 AND rep_id = $2 ORDER BY window_start`,
    [tenantId, repId],
  )) as StatementHeadRow[];
}
