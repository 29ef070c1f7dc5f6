import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { anyCursorPart, encodeKeysetCursor, keysetPage } from '@pacer/http';
import { ledgerLinePage } from '../ledger/ledger-lines.repository';
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
  dealRows,
  disputeRows,
  periodStatementCounts,
  statementHeadRows,
  findStatementHead,
  loadPeriodRows,
  dealViewOf,
  toHead,
  view,
  disputeView,
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
    return keysetPage(
      rows,
      filter.limit,
      ({ changedAtText: _changed, ...view }) => view,
      (last) => [last.changedAtText, last.periodKey],
    );
  }

  /** A period's state; a period nobody closed (or another tenant's) is simply open with what the caller sees. */
  async period(tenantId: string, periodKey: string, reps: 'all' | Set<string>): Promise<PeriodView> {
    assertPeriodKey(periodKey);
    const [row] = await loadPeriodRows(this.dataSource.manager, tenantId, reps, { periodKey, limit: 1 });
    if (row !== undefined) {
      const { changedAtText: _changed, ...view } = row;
      return view;
    }
    const n = await periodStatementCounts(this.dataSource.manager, tenantId, periodKey, reps);
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
    const afterRepId =
      filter.cursor === undefined ? undefined : decodeCursor(filter.cursor, [anyCursorPart])[0];
    const teamReps =
      filter.teamId === undefined
        ? undefined
        : await loadTeamIntervals(this.dataSource.manager, tenantId, filter.teamId);
    const rows = await statementHeadRows(this.dataSource.manager, tenantId, {
      periodKey: filter.periodKey,
      reps: filter.reps,
      ...(filter.status !== undefined ? { status: filter.status } : {}),
      ...(afterRepId !== undefined ? { afterRepId } : {}),
      ...(teamReps !== undefined ? { onlyReps: [...new Set(teamReps.map((i) => i.repId))] } : {}),
      limit: filter.limit + 1,
    });
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
      const rows = await ledgerLinePage(this.dataSource.manager, tenantId, repId, periodKey, after, 1000);
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
    const after =
      filter.cursor === undefined ? undefined : decodeCursor(filter.cursor, [isTimestampText, anyCursorPart]);
    const rows = await dealRows(this.dataSource.manager, tenantId, {
      reps: filter.reps,
      status: filter.status,
      ...(after !== undefined ? { after: [after[0] as string, after[1] as string] as [string, string] } : {}),
      limit: filter.limit + 1,
    });
    return keysetPage(rows, filter.limit, dealViewOf, (last) => [last.occurred_key, last.activity_id]);
  }

  async disputes(
    tenantId: string,
    filter: { reps: 'all' | Set<string>; status?: string; repId?: string; limit: number; cursor?: string },
  ): Promise<Page<DisputeView>> {
    const after =
      filter.cursor === undefined ? undefined : decodeCursor(filter.cursor, [isInstantText, isUuid]);
    const rows = await disputeRows(this.dataSource.manager, tenantId, {
      reps: filter.reps,
      ...(filter.status !== undefined ? { status: filter.status } : {}),
      ...(filter.repId !== undefined ? { repId: filter.repId } : {}),
      ...(after !== undefined ? { after: [after[0] as string, after[1] as string] as [string, string] } : {}),
      limit: filter.limit + 1,
    });
    return keysetPage(rows, filter.limit, disputeView, (last) => [
      last.opened_at.toISOString(),
      last.dispute_id,
    ]);
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
