import { EntityManager } from 'typeorm';
import { DEFAULT_TENANT_SETTINGS, PlanBody } from '@pacer/contracts';
import type { TenantCalendar } from '@pacer/sales-domain';
import { Dec, money } from '../calculation/decimal';
import type { LedgerBalance } from '../calculation/ledger-postings';
import type { AssignmentFact } from '../calculation/rep-timeline';
import type { BreakdownKind, DealFact, PlanVersion, QuotaFact } from '../calculation/statement.types';

// SQL for the commission read models. Every function takes the caller's EntityManager, so a batch or
// an API call reads and writes inside its own transaction.

export interface RepRef {
  tenantId: string;
  repId: string;
}

function columns<T>(rows: readonly T[], ...pick: ((row: T) => unknown)[]): unknown[][] {
  return pick.map((f) => rows.map(f));
}

// Postgres takes at most 65,535 parameters per statement.
const MAX_PARAMETERS = 60_000;

/**
 * Inserts rows as a multi-row VALUES list with one parameter per cell. Large text (JSON documents)
 * then travels as plain parameters, where an unnest of arrays would have the driver escape every
 * quote of every document into an array literal.
 */
async function insertRows(
  manager: EntityManager,
  head: string,
  casts: readonly string[],
  rows: readonly unknown[][],
  tail = '',
): Promise<void> {
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / casts.length));
  for (let start = 0; start < rows.length; start += perChunk) {
    const chunk = rows.slice(start, start + perChunk);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const cells = casts.map((cast, i) => {
        params.push(row[i]);
        return `$${params.length}${cast}`;
      });
      return `(${cells.join(', ')})`;
    });
    await manager.query(`${head} VALUES ${tuples.join(', ')} ${tail}`, params);
  }
}

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

export async function loadCalendars(
  manager: EntityManager,
  tenantIds: readonly string[],
): Promise<Map<string, TenantCalendar>> {
  const rows = (await manager.query(
    `SELECT tenant_id, timezone, week_starts_on, fiscal_year_start_month FROM tenant_calendars WHERE tenant_id = ANY($1::text[])`,
    [[...tenantIds]],
  )) as { tenant_id: string; timezone: string; week_starts_on: number; fiscal_year_start_month: number }[];
  const out = new Map<string, TenantCalendar>();
  for (const t of tenantIds) out.set(t, { ...DEFAULT_TENANT_SETTINGS });
  for (const r of rows) {
    out.set(r.tenant_id, {
      timezone: r.timezone,
      weekStartsOn: r.week_starts_on,
      fiscalYearStartMonth: r.fiscal_year_start_month,
    });
  }
  return out;
}

export function repKey(tenantId: string, repId: string): string {
  return JSON.stringify([tenantId, repId]);
}

export async function loadAssignments(
  manager: EntityManager,
  reps: readonly RepRef[],
): Promise<Map<string, AssignmentFact[]>> {
  const [tenants, repIds] = columns(
    reps,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  const rows = (await manager.query(
    `SELECT a.tenant_id, a.rep_id, a.effective_from::text AS effective_from, a.plan_id, a.event_id
       FROM plan_assignments a JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON a.tenant_id = x.t AND a.rep_id = x.r
      ORDER BY a.effective_from`,
    [tenants, repIds],
  )) as { tenant_id: string; rep_id: string; effective_from: string; plan_id: string; event_id: string }[];
  const out = new Map<string, AssignmentFact[]>();
  for (const r of rows) {
    const key = repKey(r.tenant_id, r.rep_id);
    out.set(key, [
      ...(out.get(key) ?? []),
      { planId: r.plan_id, effectiveFrom: r.effective_from, eventId: r.event_id },
    ]);
  }
  return out;
}

/** Every version of the given plans, keyed by tenant and plan. */
export async function loadPlanVersions(
  manager: EntityManager,
  plans: readonly { tenantId: string; planId: string }[],
): Promise<Map<string, PlanVersion[]>> {
  const out = new Map<string, PlanVersion[]>();
  if (plans.length === 0) return out;
  const [tenants, planIds] = columns(
    plans,
    (p) => p.tenantId,
    (p) => p.planId,
  );
  const rows = (await manager.query(
    `SELECT v.tenant_id, v.plan_id, v.version, v.body, v.event_id
       FROM plan_versions v JOIN unnest($1::text[], $2::text[]) AS x(t, p) ON v.tenant_id = x.t AND v.plan_id = x.p
      ORDER BY v.version`,
    [tenants, planIds],
  )) as { tenant_id: string; plan_id: string; version: number; body: PlanBody; event_id: string }[];
  for (const r of rows) {
    const key = repKey(r.tenant_id, r.plan_id);
    out.set(key, [
      ...(out.get(key) ?? []),
      { planId: r.plan_id, version: r.version, eventId: r.event_id, body: r.body },
    ]);
  }
  return out;
}

export async function loadQuotas(
  manager: EntityManager,
  reps: readonly RepRef[],
): Promise<Map<string, Map<string, QuotaFact>>> {
  const [tenants, repIds] = columns(
    reps,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  const rows = (await manager.query(
    `SELECT q.tenant_id, q.rep_id, q.period_key, q.amount::text AS amount, q.event_id
       FROM quotas q JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON q.tenant_id = x.t AND q.rep_id = x.r`,
    [tenants, repIds],
  )) as { tenant_id: string; rep_id: string; period_key: string; amount: string; event_id: string }[];
  const out = new Map<string, Map<string, QuotaFact>>();
  for (const r of rows) {
    const key = repKey(r.tenant_id, r.rep_id);
    let byPeriod = out.get(key);
    if (byPeriod === undefined) out.set(key, (byPeriod = new Map()));
    byPeriod.set(r.period_key, { amount: money(r.amount), eventId: r.event_id });
  }
  return out;
}

/** A stored deal credit, voided or not. */
export interface DealRow extends Omit<DealFact, 'cancellation'> {
  tenantId: string;
  repId: string;
  voidedBy: string | null;
  /** A non-voided cancellation exists (load it with `loadCancellations`). */
  cancelled: boolean;
  /** Waits for approval (or was rejected): pays nothing. */
  held: boolean;
}

interface DealDbRow {
  idx?: number;
  tenant_id: string;
  activity_id: string;
  rep_id: string;
  deal_id: string;
  won_event_id: string;
  occurred_text: string;
  primary_rep_id: string;
  amount: string;
  share: string;
  credit: string;
  currency: string;
  voided_by: string | null;
  cancelled: boolean;
  held: boolean;
}

/**
 * Whether the deal credit `d` waits for approval (SPEC §6 dealsRequireApproval): recorded by a rep
 * while the tenant's setting in force at its recording said so, and not approved (a rejected deal
 * waits forever). Deals without recording extensions (older events) never wait.
 */
export const HELD_FOR_APPROVAL_SQL = `(d.recorded_role = 'rep'
  AND coalesce((SELECT s.required FROM deal_approval_settings s
                 WHERE s.tenant_id = d.tenant_id AND s.effective_at <= d.recorded_at
                 ORDER BY s.effective_at DESC, s.event_id DESC LIMIT 1), false)
  AND NOT EXISTS (SELECT 1 FROM deal_decisions x
                   WHERE x.tenant_id = d.tenant_id AND x.deal_id = d.deal_id AND x.decision = 'approved'))`;

const DEAL_COLUMNS = `d.tenant_id, d.activity_id, d.rep_id, d.deal_id, d.won_event_id, d.occurred_text, d.primary_rep_id,
  d.amount::text AS amount, d.share, d.credit::text AS credit, d.currency, d.voided_by, d.cancelled,
  CASE WHEN d.recorded_role IS NULL THEN false ELSE ${HELD_FOR_APPROVAL_SQL} END AS held`;

function toDeal(r: DealDbRow): DealRow {
  return {
    tenantId: r.tenant_id,
    repId: r.rep_id,
    activityId: r.activity_id,
    dealId: r.deal_id,
    wonEventId: r.won_event_id,
    occurredAt: r.occurred_text,
    primaryRepId: r.primary_rep_id,
    amount: r.amount,
    share: r.share,
    credit: money(r.credit),
    currency: r.currency,
    voidedBy: r.voided_by,
    cancelled: r.cancelled,
    held: r.held,
  };
}

/** Every stored deal credit of the reps. */
export async function loadRepDeals(manager: EntityManager, reps: readonly RepRef[]): Promise<DealRow[]> {
  if (reps.length === 0) return [];
  const [tenants, repIds] = columns(
    reps,
    (r) => r.tenantId,
    (r) => r.repId,
  );
  const rows = (await manager.query(
    `SELECT ${DEAL_COLUMNS} FROM deal_credits d JOIN unnest($1::text[], $2::text[]) AS x(t, r) ON d.tenant_id = x.t AND d.rep_id = x.r`,
    [tenants, repIds],
  )) as DealDbRow[];
  return rows.map(toDeal);
}

export interface WindowRef extends RepRef {
  startMs: number;
  endMs: number;
}

/** The deal credits in each window, by the window's index in `windows`. */
export async function loadWindowDeals(
  manager: EntityManager,
  windows: readonly WindowRef[],
): Promise<Map<number, DealRow[]>> {
  const out = new Map<number, DealRow[]>();
  if (windows.length === 0) return out;
  const rows = (await manager.query(
    `SELECT x.idx, ${DEAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::int[]) AS x(t, r, s, e, idx)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.rep_id = x.r AND d.occurred_at >= x.s AND d.occurred_at < x.e`,
    [
      windows.map((w) => w.tenantId),
      windows.map((w) => w.repId),
      windows.map((w) => new Date(w.startMs).toISOString()),
      windows.map((w) => new Date(w.endMs).toISOString()),
      windows.map((_, i) => i),
    ],
  )) as (DealDbRow & { idx: number })[];
  for (const r of rows) out.set(r.idx, [...(out.get(r.idx) ?? []), toDeal(r)]);
  return out;
}

/** The deal credits of each rep won at exactly the given instants. */
export async function loadDealsAt(
  manager: EntityManager,
  at: readonly { ref: RepRef; ms: readonly number[] }[],
): Promise<DealRow[]> {
  const flat = at.flatMap(({ ref, ms }) => ms.map((m) => ({ ...ref, at: new Date(m).toISOString() })));
  if (flat.length === 0) return [];
  const rows = (await manager.query(
    `SELECT ${DEAL_COLUMNS}
       FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(t, r, at)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.rep_id = x.r AND d.occurred_at >= x.at AND d.occurred_at < x.at + interval '1 millisecond'`,
    [flat.map((f) => f.tenantId), flat.map((f) => f.repId), flat.map((f) => f.at)],
  )) as DealDbRow[];
  return rows.map(toDeal);
}

/** The earliest non-voided cancellation of each deal, keyed by tenant and deal id. */
export async function loadCancellations(
  manager: EntityManager,
  deals: readonly { tenantId: string; dealId: string }[],
): Promise<Map<string, { activityId: string; eventId: string; occurredAt: string }>> {
  const out = new Map<string, { activityId: string; eventId: string; occurredAt: string }>();
  if (deals.length === 0) return out;
  const unique = [...new Map(deals.map((d) => [repKey(d.tenantId, d.dealId), d])).values()];
  const rows = (await manager.query(
    `SELECT DISTINCT ON (c.tenant_id, c.deal_id) c.tenant_id, c.deal_id, c.activity_id, c.event_id, c.occurred_text
       FROM deal_cancellations c JOIN unnest($1::text[], $2::text[]) AS x(t, d) ON c.tenant_id = x.t AND c.deal_id = x.d
      WHERE c.voided_by IS NULL
      ORDER BY c.tenant_id, c.deal_id, c.occurred_at, c.activity_id`,
    [unique.map((d) => d.tenantId), unique.map((d) => d.dealId)],
  )) as {
    tenant_id: string;
    deal_id: string;
    activity_id: string;
    event_id: string;
    occurred_text: string;
  }[];
  for (const r of rows) {
    out.set(repKey(r.tenant_id, r.deal_id), {
      activityId: r.activity_id,
      eventId: r.event_id,
      occurredAt: r.occurred_text,
    });
  }
  return out;
}

export interface StatementKey extends RepRef {
  periodKey: string;
}

export function statementKey(tenantId: string, repId: string, periodKey: string): string {
  return JSON.stringify([tenantId, repId, periodKey]);
}

/**
 * What the ledger holds per line of each statement: every line, or with `bases` only those lines
 * (an extended period touches a few lines of a long statement).
 */
export async function loadBalances(
  manager: EntityManager,
  keys: readonly StatementKey[],
  bases?: readonly (readonly string[])[],
): Promise<Map<string, Map<string, LedgerBalance>>> {
  const out = new Map<string, Map<string, LedgerBalance>>();
  if (keys.length === 0) return out;
  // A period's calculation is held by its own lines (not the prior-period or manual lines booked in
  // it, which belong to no calculation of it) plus the prior-period lines booked elsewhere for it
  // while it was closed.
  const select = (
    join: string,
  ): string => `SELECT l.tenant_id, l.rep_id, l.period_key, l.base_line_id, l.base_kind, l.currency,
            sum(l.amount)::text AS total, count(*)::int AS n, min(l.deal_id) AS deal_id,
            (array_agg(l.line ORDER BY l.seq) FILTER (WHERE l.base_kind IN ('spiff', 'cap')))[1] AS first_line
       FROM (SELECT l.seq, l.tenant_id, l.rep_id, l.period_key, l.base_line_id, l.base_kind, l.currency, l.amount, l.deal_id, l.line
               FROM ledger_lines l ${join.replace('$KEY', 'l.period_key')}
              WHERE l.closed_period_key IS NULL AND l.base_kind <> '${MANUAL_ADJUSTMENT_KIND}'
             UNION ALL
             SELECT l.seq, l.tenant_id, l.rep_id, l.closed_period_key, l.base_line_id, l.base_kind, l.currency, l.amount, l.deal_id, l.line
               FROM ledger_lines l ${join.replace('$KEY', 'l.closed_period_key')}) l
      GROUP BY 1, 2, 3, 4, 5, 6`;
  const rows = (
    bases === undefined
      ? await manager.query(
          select(`JOIN unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, p)
             ON l.tenant_id = x.t AND l.rep_id = x.r AND $KEY = x.p`),
          [keys.map((k) => k.tenantId), keys.map((k) => k.repId), keys.map((k) => k.periodKey)],
        )
      : await manager.query(
          select(`JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(t, r, p, b)
             ON l.tenant_id = x.t AND l.rep_id = x.r AND $KEY = x.p AND l.base_line_id = x.b`),
          [
            keys.flatMap((k, i) => (bases[i] ?? []).map(() => k.tenantId)),
            keys.flatMap((k, i) => (bases[i] ?? []).map(() => k.repId)),
            keys.flatMap((k, i) => (bases[i] ?? []).map(() => k.periodKey)),
            keys.flatMap((_, i) => bases[i] ?? []),
          ],
        )
  ) as {
    tenant_id: string;
    rep_id: string;
    period_key: string;
    base_line_id: string;
    base_kind: BreakdownKind;
    currency: string;
    total: string;
    n: number;
    deal_id: string | null;
    first_line: string | null;
  }[];
  for (const r of rows) {
    const key = statementKey(r.tenant_id, r.rep_id, r.period_key);
    let lines = out.get(key);
    if (lines === undefined) out.set(key, (lines = new Map()));
    let balance = lines.get(r.base_line_id);
    if (balance === undefined) {
      const first =
        r.first_line === null ? {} : (JSON.parse(r.first_line) as Record<string, string | undefined>);
      balance = {
        baseLineId: r.base_line_id,
        kind: r.base_kind,
        postings: 0,
        byCurrency: new Map(),
        ...(r.deal_id !== null ? { dealId: r.deal_id } : {}),
        ...(first['spiffId'] !== undefined
          ? { spiffId: first['spiffId'], metric: first['metric'], threshold: first['threshold'] }
          : {}),
        ...(first['cap'] !== undefined ? { cap: first['cap'] } : {}),
      };
      lines.set(r.base_line_id, balance);
    }
    balance.postings += r.n;
    (balance.byCurrency as Map<string, Dec>).set(r.currency, new Dec(r.total));
  }
  return out;
}

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

/** The base kind of manual adjustment lines, which no calculation holds. */
export const MANUAL_ADJUSTMENT_KIND = 'manual_adjustment';

export interface LedgerRow extends StatementKey {
  lineId: string;
  baseLineId: string;
  baseKind: BreakdownKind | typeof MANUAL_ADJUSTMENT_KIND;
  /** A prior-period adjustment: the closed period whose calculation the line corrects. */
  closedPeriodKey?: string;
  eventType: string;
  dealId: string | null;
  amount: string;
  currency: string;
  eventId: string;
  line: object;
}

export async function insertLedgerRows(manager: EntityManager, rows: readonly LedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(
    manager,
    `INSERT INTO ledger_lines (tenant_id, rep_id, period_key, line_id, base_line_id, base_kind, event_type, deal_id, amount, currency, event_id, line, closed_period_key)`,
    ['', '', '', '', '', '', '', '', '::numeric', '', '::uuid', '', ''],
    rows.map((r) => [
      r.tenantId,
      r.repId,
      r.periodKey,
      r.lineId,
      r.baseLineId,
      r.baseKind,
      r.eventType,
      r.dealId,
      r.amount,
      r.currency,
      r.eventId,
      JSON.stringify(r.line),
      r.closedPeriodKey ?? null,
    ]),
  );
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

/**
 * Serialises period close, reopen and payout (exclusive) with recalculations (shared) per tenant, so
 * a recalculation never decides with a period's state that changes before it commits.
 */
export async function lockPeriodStates(
  manager: EntityManager,
  tenantIds: readonly string[],
  mode: 'shared' | 'exclusive',
): Promise<void> {
  const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
  for (const tenantId of [...new Set(tenantIds)].sort()) {
    await manager.query(`SELECT ${fn}(hashtextextended('pacer.commission.periods:' || $1, 0))`, [tenantId]);
  }
}

/** The period keys closed in each tenant. */
export async function loadClosedPeriods(
  manager: EntityManager,
  tenantIds: readonly string[],
): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const t of tenantIds) out.set(t, new Set());
  if (tenantIds.length === 0) return out;
  const rows = (await manager.query(
    `SELECT tenant_id, period_key FROM closed_periods WHERE tenant_id = ANY($1::text[])`,
    [[...tenantIds]],
  )) as { tenant_id: string; period_key: string }[];
  for (const r of rows) out.get(r.tenant_id)?.add(r.period_key);
  return out;
}

export interface StatementLineRow extends StatementKey {
  section: 0 | 1;
  position: number;
  body: string;
}

/** Replaces all breakdown lines of `whole` statements and the tail of `tails`, then writes `rows`. */
export async function writeStatementLines(
  manager: EntityManager,
  whole: readonly StatementKey[],
  tails: readonly StatementKey[],
  rows: readonly StatementLineRow[],
): Promise<void> {
  for (const [keys, section] of [
    [whole, null],
    [tails, 1],
  ] as const) {
    if (keys.length === 0) continue;
    await manager.query(
      `DELETE FROM statement_lines s USING unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, p)
        WHERE s.tenant_id = x.t AND s.rep_id = x.r AND s.period_key = x.p ${section === null ? '' : 'AND s.section = 1'}`,
      [keys.map((k) => k.tenantId), keys.map((k) => k.repId), keys.map((k) => k.periodKey)],
    );
  }
  if (rows.length === 0) return;
  await insertRows(
    manager,
    `INSERT INTO statement_lines (tenant_id, rep_id, period_key, section, position, body)`,
    ['', '', '', '::smallint', '::int', ''],
    rows.map((r) => [r.tenantId, r.repId, r.periodKey, r.section, r.position, r.body]),
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

/** Stored deal credits by (tenant, rep, activity). */
export async function loadDealsByActivity(
  manager: EntityManager,
  refs: readonly { tenantId: string; repId: string; activityId: string }[],
): Promise<DealRow[]> {
  if (refs.length === 0) return [];
  const rows = (await manager.query(
    `SELECT ${DEAL_COLUMNS} FROM unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, a)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.activity_id = x.a AND d.rep_id = x.r`,
    [refs.map((r) => r.tenantId), refs.map((r) => r.repId), refs.map((r) => r.activityId)],
  )) as DealDbRow[];
  return rows.map(toDeal);
}

/**
 * The indexes of the items whose window holds another record of their deal id: a deal id won twice
 * in a period makes one record an exception, which only a whole computation decides.
 */
export async function windowsWithOtherRecords(
  manager: EntityManager,
  items: readonly (WindowRef & { dealId: string; activityId: string })[],
): Promise<Set<number>> {
  if (items.length === 0) return new Set();
  const rows = (await manager.query(
    `SELECT DISTINCT x.idx FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::int[])
         AS x(t, r, d, a, s, e, idx)
       JOIN deal_credits d ON d.tenant_id = x.t AND d.rep_id = x.r AND d.deal_id = x.d AND d.activity_id <> x.a
      WHERE d.occurred_at >= x.s AND d.occurred_at < x.e`,
    [
      items.map((i) => i.tenantId),
      items.map((i) => i.repId),
      items.map((i) => i.dealId),
      items.map((i) => i.activityId),
      items.map((i) => new Date(i.startMs).toISOString()),
      items.map((i) => new Date(i.endMs).toISOString()),
      items.map((_, i) => i),
    ],
  )) as { idx: number }[];
  return new Set(rows.map((r) => r.idx));
}

export interface ExceptionRow extends RepRef {
  activityId: string;
  dealId: string;
  occurredAt: string;
  periodKey: string | null;
  reason: string;
  body: object;
}

/**
 * Replaces exceptions: every exception of `wholeReps`, those in the given windows, and those of the
 * given deals (outside every period); then writes `rows`.
 */
export async function replaceExceptions(
  manager: EntityManager,
  windows: readonly WindowRef[],
  wholeReps: readonly RepRef[],
  deals: readonly { tenantId: string; repId: string; activityId: string }[],
  rows: readonly ExceptionRow[],
): Promise<void> {
  if (wholeReps.length > 0) {
    await manager.query(
      `DELETE FROM deal_exceptions e USING unnest($1::text[], $2::text[]) AS x(t, r) WHERE e.tenant_id = x.t AND e.rep_id = x.r`,
      [wholeReps.map((r) => r.tenantId), wholeReps.map((r) => r.repId)],
    );
  }
  if (deals.length > 0) {
    await manager.query(
      `DELETE FROM deal_exceptions e USING unnest($1::text[], $2::text[], $3::text[]) AS x(t, r, a)
        WHERE e.tenant_id = x.t AND e.rep_id = x.r AND e.activity_id = x.a`,
      [deals.map((d) => d.tenantId), deals.map((d) => d.repId), deals.map((d) => d.activityId)],
    );
  }
  if (windows.length > 0) {
    await manager.query(
      `DELETE FROM deal_exceptions e USING unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) AS x(t, r, s, en)
        WHERE e.tenant_id = x.t AND e.rep_id = x.r AND e.occurred_at >= x.s AND e.occurred_at < x.en`,
      [
        windows.map((w) => w.tenantId),
        windows.map((w) => w.repId),
        windows.map((w) => new Date(w.startMs).toISOString()),
        windows.map((w) => new Date(w.endMs).toISOString()),
      ],
    );
  }
  if (rows.length === 0) return;
  await insertRows(
    manager,
    `INSERT INTO deal_exceptions (tenant_id, rep_id, activity_id, deal_id, occurred_at, period_key, reason, body)`,
    ['', '', '', '', '::timestamptz', '', '', ''],
    rows.map((r) => [
      r.tenantId,
      r.repId,
      r.activityId,
      r.dealId,
      r.occurredAt,
      r.periodKey,
      r.reason,
      JSON.stringify(r.body),
    ]),
    `ON CONFLICT (tenant_id, rep_id, activity_id) DO UPDATE SET
       deal_id = EXCLUDED.deal_id, occurred_at = EXCLUDED.occurred_at, period_key = EXCLUDED.period_key,
       reason = EXCLUDED.reason, body = EXCLUDED.body`,
  );
}
