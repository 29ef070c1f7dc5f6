import { EntityManager } from 'typeorm';
import { money } from '../calculation/decimal';
import {
  DEAL_RECORD_COLUMNS,
  dealRecordOf,
  DealRecordRow,
  HELD_FOR_APPROVAL_SQL,
} from '../ledger/deal-credits.repository';
import { sqlFilter } from '../ledger/sql-filter';
import { statementIdOf, StatementStatus } from '../ledger/statement-document';
import { PayoutRow, payoutRowsOf, PayoutStatement } from './payout-file';
import {
  PeriodStateView,
  PeriodView,
  PeriodStatus,
  StatementHeadView,
  ManualAdjustmentView,
  DisputeView,
  DealView,
} from './governance.views';

// SQL of the governance services (closed periods, statement heads, disputes, deal decisions, the
// roster rows approvals check). Every function takes the caller's EntityManager.

// Statements read per query while streaming a payroll file.
export const PAYOUT_PAGE = 1000;

export async function findStatementHead(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  periodKey: string,
): Promise<StatementHead | undefined> {
  const [row] = (await manager.query(
    `${HEAD_SELECT} WHERE s.tenant_id = $1 AND s.rep_id = $2 AND s.period_key = $3`,
    [tenantId, repId, periodKey],
  )) as HeadRow[];
  return row && toHead(row);
}

export async function statementHeadsOfPeriod(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): Promise<StatementHead[]> {
  const rows = (await manager.query(
    `${HEAD_SELECT} WHERE s.tenant_id = $1 AND s.period_key = $2 ORDER BY s.rep_id`,
    [tenantId, periodKey],
  )) as HeadRow[];
  return rows.map(toHead);
}

export async function loadPeriodState(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): Promise<PeriodStateView> {
  const [row] = (await manager.query(
    `SELECT closed_at, closed_by, paid_at, paid_by FROM closed_periods WHERE tenant_id = $1 AND period_key = $2`,
    [tenantId, periodKey],
  )) as { closed_at: Date; closed_by: string; paid_at: Date | null; paid_by: string | null }[];
  const [{ n }] = (await manager.query(
    `SELECT count(*)::int AS n FROM statements WHERE tenant_id = $1 AND period_key = $2`,
    [tenantId, periodKey],
  )) as [{ n: number }];
  return {
    periodKey,
    closed: row !== undefined,
    closedAt: row?.closed_at.toISOString() ?? null,
    closedBy: row?.closed_by ?? null,
    paidAt: row?.paid_at?.toISOString() ?? null,
    paidBy: row?.paid_by ?? null,
    statements: n,
  };
}

export async function loadPeriodRows(
  manager: EntityManager,
  tenantId: string,
  reps: 'all' | Set<string>,
  q: { periodKey?: string; status?: PeriodStatus; after?: [string, string]; limit: number },
): Promise<(PeriodView & { changedAtText: string })[]> {
  const params: unknown[] = [tenantId];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const keyOnly = (column: string): string =>
    q.periodKey === undefined ? '' : ` AND ${column} = ${p(q.periodKey)}`;
  const closedKey = keyOnly('period_key');
  const reopenedKey = keyOnly(`subject->>'periodKey'`);
  const where: string[] = [];
  if (q.status === 'open') where.push('c.period_key IS NULL');
  if (q.status === 'closed') where.push('c.period_key IS NOT NULL AND c.paid_at IS NULL');
  if (q.status === 'paid') where.push('c.paid_at IS NOT NULL');
  if (q.after !== undefined) {
    const at = p(q.after[0]);
    const key = p(q.after[1]);
    where.push(
      `(k.changed_at < ${at}::timestamptz OR (k.changed_at = ${at}::timestamptz AND k.period_key > ${key}))`,
    );
  }
  const repFilter = reps === 'all' ? '' : ` AND s.rep_id = ANY(${p([...reps])}::text[])`;
  // Reopens are read from the audit log (written in the reopen's own transaction): closed_periods
  // holds only what is closed now, so the log is what remembers a period that was closed once.
  const rows = (await manager.query(
    `WITH reopened AS (
       SELECT DISTINCT ON (subject->>'periodKey') subject->>'periodKey' AS period_key, at, actor_sub
         FROM audit_log
        WHERE tenant_id = $1 AND type = 'period.reopened'${reopenedKey}
        ORDER BY subject->>'periodKey', at DESC, seq DESC),
     keys AS (
       SELECT period_key, closed_at AS changed_at FROM closed_periods WHERE tenant_id = $1${closedKey}
       UNION ALL
       SELECT r.period_key, r.at FROM reopened r
        WHERE NOT EXISTS (SELECT 1 FROM closed_periods c WHERE c.tenant_id = $1 AND c.period_key = r.period_key))
     SELECT k.period_key, k.changed_at::text AS changed_at_text, c.closed_at, c.closed_by, c.paid_at, c.paid_by,
            r.at AS reopened_at, r.actor_sub AS reopened_by, n.total, n.draft, n.approved, n.paid
       FROM keys k
       LEFT JOIN closed_periods c ON c.tenant_id = $1 AND c.period_key = k.period_key
       LEFT JOIN reopened r ON r.period_key = k.period_key
       CROSS JOIN LATERAL (
         SELECT ${STATUS_COUNTS}
           FROM statements s WHERE s.tenant_id = $1 AND s.period_key = k.period_key${repFilter}) n
      ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY k.changed_at DESC, k.period_key
      LIMIT ${p(q.limit)}`,
    params,
  )) as PeriodRow[];
  return rows.map(periodViewOf);
}

export async function* readPayoutPages(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): AsyncGenerator<PayoutRow[]> {
  let after = '';
  for (;;) {
    const rows = (await manager.query(
      `SELECT s.rep_id, s.version, s.currency AS statement_currency, l.currency, sum(l.amount)::text AS total
         FROM (SELECT tenant_id, rep_id, period_key, version, currency FROM statements
                WHERE tenant_id = $1 AND period_key = $2 AND rep_id > $3 ORDER BY rep_id LIMIT $4) s
         LEFT JOIN ledger_lines l ON l.tenant_id = s.tenant_id AND l.rep_id = s.rep_id AND l.period_key = s.period_key
        GROUP BY 1, 2, 3, 4 ORDER BY 1, 4`,
      [tenantId, periodKey, after, PAYOUT_PAGE],
    )) as {
      rep_id: string;
      version: number;
      statement_currency: string;
      currency: string | null;
      total: string | null;
    }[];
    if (rows.length === 0) return;
    const statements = new Map<string, PayoutStatement>();
    for (const r of rows) {
      let s = statements.get(r.rep_id);
      if (s === undefined) {
        s = {
          repId: r.rep_id,
          periodKey,
          statementId: statementIdOf(r.rep_id, periodKey),
          statementVersion: r.version,
          currency: r.statement_currency,
          sums: new Map(),
        };
        statements.set(r.rep_id, s);
      }
      if (r.currency !== null) (s.sums as Map<string, string>).set(r.currency, r.total ?? '0');
    }
    yield [...statements.values()].flatMap(payoutRowsOf);
    after = rows[rows.length - 1]?.rep_id as string;
    if (statements.size < PAYOUT_PAGE) return;
  }
}

export async function loadDealView(
  manager: EntityManager,
  tenantId: string,
  dealId: string,
): Promise<DealView | undefined> {
  const rows = (await manager.query(
    `${DEAL_SELECT} WHERE d.tenant_id = $1 AND d.deal_id = $2 AND d.rep_id = d.primary_rep_id
      ORDER BY d.occurred_at, d.activity_id LIMIT 1`,
    [tenantId, dealId],
  )) as DealRowView[];
  const row = rows[0];
  if (row === undefined) return undefined;
  const found = dealViewOf(row);
  if (found.status === 'pending' && !row.needs_approval) return { ...found, status: 'not_required' };
  return found;
}

export async function loadDispute(
  manager: EntityManager,
  tenantId: string,
  disputeId: string,
): Promise<DisputeView | undefined> {
  const [row] = (await manager.query(`SELECT * FROM disputes WHERE tenant_id = $1 AND dispute_id = $2`, [
    tenantId,
    disputeId,
  ])) as DisputeRow[];
  return row && disputeView(row);
}

export const DEAL_SELECT = `SELECT ${DEAL_RECORD_COLUMNS},
       d.occurred_at, d.occurred_at::text AS occurred_key, d.recorded_by, x.decision, x.decided_by, x.decided_at, x.reason,
       ${HELD_FOR_APPROVAL_SQL} AS needs_approval
  FROM deal_credits d LEFT JOIN deal_decisions x ON x.tenant_id = d.tenant_id AND x.deal_id = d.deal_id`;

export interface DealRowView extends DealRecordRow {
  occurred_at: Date;
  /** occurred_at at full precision, for the keyset cursor. */
  occurred_key: string;
  recorded_by: string | null;
  decision: 'approved' | 'rejected' | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  needs_approval: boolean;
}

export function dealViewOf(r: DealRowView): DealView {
  return {
    ...dealRecordOf(r),
    recordedBy: r.recorded_by,
    status: r.decision ?? 'pending',
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    reason: r.reason,
  };
}

export const HEAD_SELECT = `SELECT s.rep_id, s.period_key, s.status, s.version, s.currency, s.total::text AS total,
       s.approved_by, s.approved_at, s.window_start, s.window_end,
       EXISTS (SELECT 1 FROM closed_periods c WHERE c.tenant_id = s.tenant_id AND c.period_key = s.period_key) AS closed
  FROM statements s`;

export interface HeadRow {
  rep_id: string;
  period_key: string;
  status: StatementStatus;
  version: number;
  currency: string;
  total: string;
  approved_by: string | null;
  approved_at: Date | null;
  window_start: Date;
  window_end: Date;
  closed: boolean;
}

export interface StatementHead extends StatementHeadView {
  windowStartMs: number;
  windowEndMs: number;
}

export function toHead(r: HeadRow): StatementHead {
  return {
    statementId: statementIdOf(r.rep_id, r.period_key),
    repId: r.rep_id,
    periodKey: r.period_key,
    status: r.status,
    version: Math.max(r.version, 1),
    currency: r.currency,
    total: money(r.total),
    approvedBy: r.approved_by,
    approvedAt: r.approved_at?.toISOString() ?? null,
    closed: r.closed,
    windowStartMs: r.window_start.getTime(),
    windowEndMs: r.window_end.getTime(),
  };
}

export function view(h: StatementHead): StatementHeadView {
  return {
    statementId: h.statementId,
    repId: h.repId,
    periodKey: h.periodKey,
    status: h.status,
    version: h.version,
    currency: h.currency,
    total: h.total,
    approvedBy: h.approvedBy,
    approvedAt: h.approvedAt,
    closed: h.closed,
  };
}

export interface DisputeRow {
  dispute_id: string;
  rep_id: string;
  period_key: string;
  line_id: string;
  comment: string;
  status: 'open' | 'resolved';
  opened_by: string;
  opened_at: Date;
  resolution: string | null;
  adjustment_amount: string | null;
  adjustment: string | null;
  resolved_by: string | null;
  resolved_at: Date | null;
}

export function disputeView(r: DisputeRow): DisputeView {
  return {
    disputeId: r.dispute_id,
    repId: r.rep_id,
    periodKey: r.period_key,
    lineId: r.line_id,
    comment: r.comment,
    status: r.status,
    openedBy: r.opened_by,
    openedAt: r.opened_at.toISOString(),
    resolution: r.resolution,
    adjustmentAmount: r.adjustment_amount === null ? null : money(r.adjustment_amount),
    adjustment: r.adjustment === null ? null : (JSON.parse(r.adjustment) as ManualAdjustmentView),
    resolvedBy: r.resolved_by,
    resolvedAt: r.resolved_at?.toISOString() ?? null,
  };
}

export interface PeriodRow {
  period_key: string;
  changed_at_text: string;
  closed_at: Date | null;
  closed_by: string | null;
  paid_at: Date | null;
  paid_by: string | null;
  reopened_at: Date | null;
  reopened_by: string | null;
  total: number;
  draft: number;
  approved: number;
  paid: number;
}

export function periodViewOf(r: PeriodRow): PeriodView & { changedAtText: string } {
  return {
    periodKey: r.period_key,
    status: r.paid_at !== null ? 'paid' : r.closed_at !== null ? 'closed' : 'open',
    closedAt: r.closed_at?.toISOString() ?? null,
    closedBy: r.closed_by,
    ...(r.reopened_at !== null && r.reopened_by !== null
      ? { reopenedAt: r.reopened_at.toISOString(), reopenedBy: r.reopened_by }
      : {}),
    ...(r.paid_at !== null && r.paid_by !== null
      ? { paidAt: r.paid_at.toISOString(), paidBy: r.paid_by }
      : {}),
    statements: { total: r.total, draft: r.draft, approved: r.approved, paid: r.paid },
    changedAtText: r.changed_at_text,
  };
}

export const STATUS_COUNTS = `count(*)::int AS total,
  count(*) FILTER (WHERE s.status = 'draft')::int AS draft,
  count(*) FILTER (WHERE s.status = 'approved')::int AS approved,
  count(*) FILTER (WHERE s.status = 'paid')::int AS paid`;

export const emptyCounts = (): PeriodView['statements'] => ({ total: 0, draft: 0, approved: 0, paid: 0 });

/** An admin's act on a period (close, payout): whose, when. */
export interface PeriodAct {
  tenantId: string;
  periodKey: string;
  at: Date;
  by: string;
}

export async function insertClosedPeriod(manager: EntityManager, act: PeriodAct): Promise<void> {
  await manager.query(
    `INSERT INTO closed_periods (tenant_id, period_key, closed_at, closed_by) VALUES ($1, $2, $3, $4)`,
    [act.tenantId, act.periodKey, act.at.toISOString(), act.by],
  );
}

export async function deleteClosedPeriod(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): Promise<void> {
  await manager.query(`DELETE FROM closed_periods WHERE tenant_id = $1 AND period_key = $2`, [
    tenantId,
    periodKey,
  ]);
}

/** Pays the period's approved statements and records who paid it out, when. */
export async function markPeriodPaid(manager: EntityManager, act: PeriodAct): Promise<void> {
  await manager.query(
    `UPDATE statements SET status = 'paid' WHERE tenant_id = $1 AND period_key = $2 AND status = 'approved'`,
    [act.tenantId, act.periodKey],
  );
  await manager.query(
    `UPDATE closed_periods SET paid_at = $3, paid_by = $4 WHERE tenant_id = $1 AND period_key = $2`,
    [act.tenantId, act.periodKey, act.at.toISOString(), act.by],
  );
}

export async function markStatementApproved(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  periodKey: string,
  by: string,
  at: Date,
): Promise<void> {
  await manager.query(
    `UPDATE statements SET status = 'approved', approved_version = version, approved_by = $4, approved_at = $5
      WHERE tenant_id = $1 AND rep_id = $2 AND period_key = $3`,
    [tenantId, repId, periodKey, by, at.toISOString()],
  );
}

export async function countStatements(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): Promise<number> {
  const [{ n }] = (await manager.query(
    `SELECT count(*)::int AS n FROM statements WHERE tenant_id = $1 AND period_key = $2`,
    [tenantId, periodKey],
  )) as [{ n: number }];
  return n;
}

export async function unapprovedStatements(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
): Promise<{ rep_id: string; status: StatementStatus; version: number }[]> {
  return (await manager.query(
    `SELECT rep_id, status, version FROM statements
      WHERE tenant_id = $1 AND period_key = $2 AND status <> 'approved' ORDER BY rep_id`,
    [tenantId, periodKey],
  )) as { rep_id: string; status: StatementStatus; version: number }[];
}

/** Every credit row of a deal (one per credited rep), with whether it is held for approval. */
export async function dealCreditRecords(
  manager: EntityManager,
  tenantId: string,
  dealId: string,
): Promise<
  {
    rep_id: string;
    primary_rep_id: string;
    occurred_text: string;
    voided_by: string | null;
    needs_approval: boolean;
  }[]
> {
  return (await manager.query(
    `SELECT d.rep_id, d.primary_rep_id, d.occurred_text, d.voided_by, ${HELD_FOR_APPROVAL_SQL} AS needs_approval
       FROM deal_credits d WHERE d.tenant_id = $1 AND d.deal_id = $2`,
    [tenantId, dealId],
  )) as {
    rep_id: string;
    primary_rep_id: string;
    occurred_text: string;
    voided_by: string | null;
    needs_approval: boolean;
  }[];
}

export async function insertDealDecision(
  manager: EntityManager,
  tenantId: string,
  dealId: string,
  decision: 'approved' | 'rejected',
  by: string,
  reason: string | undefined,
  event: { id: string; time: string },
): Promise<void> {
  await manager.query(
    `INSERT INTO deal_decisions (tenant_id, deal_id, decision, decided_by, reason, decided_at, event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [tenantId, dealId, decision, by, reason ?? null, event.time, event.id],
  );
}

export async function ledgerLineExists(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  periodKey: string,
  lineId: string,
): Promise<boolean> {
  const rows = (await manager.query(
    `SELECT 1 FROM ledger_lines WHERE tenant_id = $1 AND rep_id = $2 AND period_key = $3 AND line_id = $4`,
    [tenantId, repId, periodKey, lineId],
  )) as unknown[];
  return rows.length > 0;
}

export async function insertDispute(
  manager: EntityManager,
  d: {
    disputeId: string;
    tenantId: string;
    repId: string;
    periodKey: string;
    lineId: string;
    comment: string;
    openedBy: string;
  },
  event: { id: string; time: string },
): Promise<void> {
  await manager.query(
    `INSERT INTO disputes (dispute_id, tenant_id, rep_id, period_key, line_id, comment, opened_by, opened_at, opened_event_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [d.disputeId, d.tenantId, d.repId, d.periodKey, d.lineId, d.comment, d.openedBy, event.time, event.id],
  );
}

/** The dispute's row locked until the transaction ends (two resolutions queue), or undefined. */
export async function lockDispute(
  manager: EntityManager,
  tenantId: string,
  disputeId: string,
): Promise<{ rep_id: string; period_key: string; status: string; opened_event_id: string } | undefined> {
  const rows = (await manager.query(
    `SELECT rep_id, period_key, status, opened_event_id FROM disputes WHERE tenant_id = $1 AND dispute_id = $2 FOR UPDATE`,
    [tenantId, disputeId],
  )) as { rep_id: string; period_key: string; status: string; opened_event_id: string }[];
  return rows[0];
}

export async function markDisputeResolved(
  manager: EntityManager,
  tenantId: string,
  disputeId: string,
  r: {
    resolution: string;
    adjustment: ManualAdjustmentView | null;
    resolvedBy: string;
    event: { id: string; time: string };
  },
): Promise<void> {
  await manager.query(
    `UPDATE disputes SET status = 'resolved', resolution = $3, adjustment_amount = $4, resolved_by = $5,
            resolved_at = $6, resolved_event_id = $7, adjustment = $8
      WHERE tenant_id = $1 AND dispute_id = $2`,
    [
      tenantId,
      disputeId,
      r.resolution,
      r.adjustment?.amount ?? null,
      r.resolvedBy,
      r.event.time,
      r.event.id,
      r.adjustment === null ? null : JSON.stringify(r.adjustment),
    ],
  );
}

/** Statement counts by status of a period nobody closed, among the reps the caller sees. */
export async function periodStatementCounts(
  manager: EntityManager,
  tenantId: string,
  periodKey: string,
  reps: 'all' | Set<string>,
): Promise<PeriodView['statements'] | undefined> {
  const params: unknown[] = [tenantId, periodKey];
  const repFilter = reps === 'all' ? '' : ' AND rep_id = ANY($3::text[])';
  if (reps !== 'all') params.push([...reps]);
  const [n] = (await manager.query(
    `SELECT ${STATUS_COUNTS} FROM statements s WHERE tenant_id = $1 AND period_key = $2${repFilter}`,
    params,
  )) as PeriodView['statements'][];
  return n;
}

/** A page of a period's statement heads in rep order (`limit` rows; `onlyReps`: a team's reps). */
export async function statementHeadRows(
  manager: EntityManager,
  tenantId: string,
  q: {
    periodKey: string;
    reps: 'all' | Set<string>;
    status?: string;
    afterRepId?: string;
    onlyReps?: string[];
    limit: number;
  },
): Promise<HeadRow[]> {
  const params: unknown[] = [tenantId, q.periodKey];
  const where = ['s.tenant_id = $1', 's.period_key = $2'];
  const add = sqlFilter(params, where);
  if (q.reps !== 'all') add('s.rep_id = ANY(?::text[])', [...q.reps]);
  if (q.status !== undefined) add('s.status = ?', q.status);
  if (q.afterRepId !== undefined) add('s.rep_id > ?', q.afterRepId);
  if (q.onlyReps !== undefined) add('s.rep_id = ANY(?::text[])', q.onlyReps);
  params.push(q.limit);
  return (await manager.query(
    `${HEAD_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.rep_id LIMIT $${params.length}`,
    params,
  )) as HeadRow[];
}

/** A page of the deals a rep recorded (primary credit, not voided), by occurrence then activity. */
export async function dealRows(
  manager: EntityManager,
  tenantId: string,
  q: {
    reps: 'all' | Set<string>;
    status: 'pending' | 'approved' | 'rejected';
    after?: [string, string];
    limit: number;
  },
): Promise<DealRowView[]> {
  const params: unknown[] = [tenantId];
  const where = [
    'd.tenant_id = $1',
    'd.rep_id = d.primary_rep_id',
    'd.voided_by IS NULL',
    "d.recorded_role = 'rep'",
  ];
  const add = sqlFilter(params, where);
  if (q.reps !== 'all') add('d.rep_id = ANY(?::text[])', [...q.reps]);
  if (q.status === 'pending') where.push(`x.deal_id IS NULL AND ${HELD_FOR_APPROVAL_SQL}`);
  else add('x.decision = ?', q.status);
  if (q.after !== undefined) {
    params.push(q.after[0], q.after[1]);
    where.push(`(d.occurred_at, d.activity_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  params.push(q.limit);
  return (await manager.query(
    `${DEAL_SELECT} WHERE ${where.join(' AND ')} ORDER BY d.occurred_at, d.activity_id LIMIT $${params.length}`,
    params,
  )) as DealRowView[];
}

/** A page of disputes by opening instant then id. */
export async function disputeRows(
  manager: EntityManager,
  tenantId: string,
  q: { reps: 'all' | Set<string>; status?: string; repId?: string; after?: [string, string]; limit: number },
): Promise<DisputeRow[]> {
  const params: unknown[] = [tenantId];
  const where = ['tenant_id = $1'];
  const add = sqlFilter(params, where);
  if (q.reps !== 'all') add('rep_id = ANY(?::text[])', [...q.reps]);
  if (q.status !== undefined) add('status = ?', q.status);
  if (q.repId !== undefined) add('rep_id = ?', q.repId);
  if (q.after !== undefined) {
    params.push(q.after[0], q.after[1]);
    where.push(`(opened_at, dispute_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
  }
  params.push(q.limit);
  return (await manager.query(
    `SELECT * FROM disputes WHERE ${where.join(' AND ')} ORDER BY opened_at, dispute_id LIMIT $${params.length}`,
    params,
  )) as DisputeRow[];
}
