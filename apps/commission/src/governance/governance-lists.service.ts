import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { anyCursorPart, encodeKeysetCursor } from '@pacer/http';
import { HELD_FOR_APPROVAL_SQL } from '../ledger/deal-credits.repository';
import { sqlFilter } from '../ledger/sql-filter';
import { MembershipInterval } from '../roster/team-membership';
import {
  PeriodView,
  PeriodsFilter,
  StatementHeadView,
  DisputeView,
  Page,
  DealView,
  assertPeriodKey,
  decodeCursor,
  isPeriodKeyText,
  isUuid,
  isTimestampText,
  isInstantText,
} from './governance.views';
import {
  findStatementHead,
  loadPeriodRows,
  DEAL_SELECT,
  DealRowView,
  dealViewOf,
  HEAD_SELECT,
  HeadRow,
  toHead,
  view,
  DisputeRow,
  disputeView,
  STATUS_COUNTS,
  emptyCounts,
} from './governance.repository';
import { loadTeamIntervals } from '../ledger/team-membership-events.repository';

/** The governance read side: periods, statements of a period, deals and disputes, keyset-paged. */
@Injectable()
export class GovernanceLists {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The tenant's periods that have ever been closed, the latest state change first (close, or the
   * last reopen of a period open again), then by key. Keyset-paged on that order.
   */
  async periods(tenantId: string, filter: PeriodsFilter): Promise<Page<PeriodView>> {
    const after =
      filter.cursor === undefined
        ? undefined
        : decodeCursor(filter.cursor, [isTimestampText, isPeriodKeyText]);
    const rows = await loadPeriodRows(this.dataSource.manager, tenantId, filter.reps, {
      limit: filter.limit + 1,
      ...(filter.status !== undefined ? { status: filter.status } : {}),
      ...(after !== undefined ? { after: [after[0] as string, after[1] as string] } : {}),
    });
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(({ changedAtText: _changed, ...view }) => view),
      nextCursor:
        rows.length > filter.limit && last !== undefined
          ? encodeKeysetCursor([last.changedAtText, last.periodKey])
          : null,
    };
  }

  /** A period's state; a period nobody closed (or another tenant's) is simply open with what the caller sees. */
  async period(tenantId: string, periodKey: string, reps: 'all' | Set<string>): Promise<PeriodView> {
    assertPeriodKey(periodKey);
    const [row] = await loadPeriodRows(this.dataSource.manager, tenantId, reps, { periodKey, limit: 1 });
    if (row !== undefined) {
      const { changedAtText: _changed, ...view } = row;
      return view;
    }
    const params: unknown[] = [tenantId, periodKey];
    const repFilter = reps === 'all' ? '' : ' AND rep_id = ANY($3::text[])';
    if (reps !== 'all') params.push([...reps]);
    const [n] = (await this.dataSource.query(
      `SELECT ${STATUS_COUNTS} FROM statements s WHERE tenant_id = $1 AND period_key = $2${repFilter}`,
      params,
    )) as PeriodView['statements'][];
    return { periodKey, status: 'open', closedAt: null, closedBy: null, statements: n ?? emptyCounts() };
  }

  /**
   * Statements of a period: every rep's for admins; for a team, the reps who were its members at
   * some time during the period.
   */
  async statements(
    tenantId: string,
    filter: {
      periodKey: string;
      reps: 'all' | Set<string>;
      teamId?: string;
      status?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<Page<StatementHeadView>> {
    const params: unknown[] = [tenantId, filter.periodKey];
    const where = ['s.tenant_id = $1', 's.period_key = $2'];
    const add = sqlFilter(params, where);
    if (filter.reps !== 'all') add('s.rep_id = ANY(?::text[])', [...filter.reps]);
    if (filter.status !== undefined) add('s.status = ?', filter.status);
    if (filter.cursor !== undefined) add('s.rep_id > ?', decodeCursor(filter.cursor, [anyCursorPart])[0]);
    let teamReps: MembershipInterval[] | undefined;
    if (filter.teamId !== undefined) {
      teamReps = await loadTeamIntervals(this.dataSource.manager, tenantId, filter.teamId);
      add('s.rep_id = ANY(?::text[])', [...new Set(teamReps.map((i) => i.repId))]);
    }
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(
      `${HEAD_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.rep_id LIMIT $${params.length}`,
      params,
    )) as HeadRow[];
    const heads = rows
      .map(toHead)
      .filter(
        (h) =>
          teamReps === undefined ||
          teamReps.some(
            (i) =>
              i.repId === h.repId &&
              i.fromMs < h.windowEndMs &&
              (i.toMs === null || i.toMs > h.windowStartMs),
          ),
      );
    const page = rows.slice(0, filter.limit).map((r) => r.rep_id);
    const items = heads.filter((h) => page.includes(h.repId)).map(view);
    const last = page[page.length - 1];
    return {
      items,
      nextCursor: rows.length > filter.limit && last !== undefined ? encodeKeysetCursor([last]) : null,
    };
  }

  async statementHead(
    tenantId: string,
    repId: string,
    periodKey: string,
  ): Promise<StatementHeadView | undefined> {
    const head = await findStatementHead(this.dataSource.manager, tenantId, repId, periodKey);
    return head && view(head);
  }

  /** A statement's ledger lines in posting order, read in pages (a statement may have 10,000 lines). */
  async *statementLines(
    tenantId: string,
    repId: string,
    periodKey: string,
  ): AsyncGenerator<Record<string, unknown>> {
    let after = '0';
    for (;;) {
      const rows = (await this.dataSource.query(
        `SELECT seq::text AS seq, line FROM ledger_lines
          WHERE tenant_id = $1 AND rep_id = $2 AND period_key = $3 AND seq > $4::bigint ORDER BY seq LIMIT 1000`,
        [tenantId, repId, periodKey, after],
      )) as { seq: string; line: string }[];
      for (const r of rows) yield JSON.parse(r.line) as Record<string, unknown>;
      if (rows.length < 1000) return;
      after = rows[rows.length - 1]?.seq as string;
    }
  }

  /** Deals that wait for approval (or were decided), oldest first. */
  async deals(
    tenantId: string,
    filter: {
      reps: 'all' | Set<string>;
      status: 'pending' | 'approved' | 'rejected';
      limit: number;
      cursor?: string;
    },
  ): Promise<Page<DealView>> {
    const params: unknown[] = [tenantId];
    const where = [
      'd.tenant_id = $1',
      'd.rep_id = d.primary_rep_id',
      'd.voided_by IS NULL',
      "d.recorded_role = 'rep'",
    ];
    const add = sqlFilter(params, where);
    if (filter.reps !== 'all') add('d.rep_id = ANY(?::text[])', [...filter.reps]);
    if (filter.status === 'pending') where.push(`x.deal_id IS NULL AND ${HELD_FOR_APPROVAL_SQL}`);
    else add('x.decision = ?', filter.status);
    if (filter.cursor !== undefined) {
      const [at, activity] = decodeCursor(filter.cursor, [isTimestampText, anyCursorPart]);
      params.push(at, activity);
      where.push(`(d.occurred_at, d.activity_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(
      `${DEAL_SELECT} WHERE ${where.join(' AND ')} ORDER BY d.occurred_at, d.activity_id LIMIT $${params.length}`,
      params,
    )) as DealRowView[];
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(dealViewOf),
      nextCursor:
        rows.length > filter.limit && last !== undefined
          ? encodeKeysetCursor([last.occurred_key, last.activity_id])
          : null,
    };
  }

  async disputes(
    tenantId: string,
    filter: { reps: 'all' | Set<string>; status?: string; repId?: string; limit: number; cursor?: string },
  ): Promise<Page<DisputeView>> {
    const params: unknown[] = [tenantId];
    const where = ['tenant_id = $1'];
    const add = sqlFilter(params, where);
    if (filter.reps !== 'all') add('rep_id = ANY(?::text[])', [...filter.reps]);
    if (filter.status !== undefined) add('status = ?', filter.status);
    if (filter.repId !== undefined) add('rep_id = ?', filter.repId);
    if (filter.cursor !== undefined) {
      const [at, id] = decodeCursor(filter.cursor, [isInstantText, isUuid]);
      params.push(at, id);
      where.push(`(opened_at, dispute_id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit + 1);
    const rows = (await this.dataSource.query(
      `SELECT * FROM disputes WHERE ${where.join(' AND ')} ORDER BY opened_at, dispute_id LIMIT $${params.length}`,
      params,
    )) as DisputeRow[];
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(disputeView),
      nextCursor:
        rows.length > filter.limit && last !== undefined
          ? encodeKeysetCursor([last.opened_at.toISOString(), last.dispute_id])
          : null,
    };
  }

  /** The managers of `teamId` now and the team's members over time (for a manager's statements list). */
  async managesTeam(tenantId: string, managerId: string, teamId: string): Promise<boolean> {
    const intervals = await loadTeamIntervals(this.dataSource.manager, tenantId, teamId);
    const now = Date.now();
    return intervals.some(
      (i) =>
        i.repId === managerId && i.role === 'MANAGER' && i.fromMs <= now && (i.toMs === null || i.toMs > now),
    );
  }
}
