import { EntityManager } from 'typeorm';
import { Dec } from '../calculation/decimal';
import type { LedgerBalance } from '../calculation/ledger-postings';
import type { BreakdownKind } from '../calculation/statement.types';
import { StatementKey, insertRows, statementKey } from './sql-rows';

// ledger_lines: the append-only commission ledger.

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

/** A statement's ledger lines after `afterSeq` in posting order, `limit` at a time. */
export async function ledgerLinePage(
  manager: EntityManager,
  tenantId: string,
  repId: string,
  periodKey: string,
  afterSeq: string,
  limit: number,
): Promise<{ seq: string; line: string }[]> {
  return (await manager.query(
    `SELECT seq::text AS seq, line FROM ledger_lines
      WHERE tenant_id = $1 AND rep_id = $2 AND period_key = $3 AND seq > $4::bigint ORDER BY seq LIMIT $5`,
    [tenantId, repId, periodKey, afterSeq, limit],
  )) as { seq: string; line: string }[];
}
