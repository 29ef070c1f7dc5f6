import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource } from 'typeorm';
import { planPeriodOfKey } from '@pacer/contracts';
import { anyCursorPart, decodeKeysetCursor, keysetPage } from '@pacer/http';
import { CalendarError, parseInstant, periodOfKey } from '@pacer/sales-domain';
import { instantMillis } from '../calculation/deal-order';
import { Dec, money } from '../calculation/decimal';
import { windowAt } from '../calculation/rep-timeline';
import { computeStatement } from '../calculation/statement-calculator';
import type { BreakdownLine, ComputedStatement, DealFact } from '../calculation/statement.types';
import { loadCancellations } from '../ledger/deal-cancellations.repository';
import { loadWindowDeals, withCancellation } from '../ledger/deal-credits.repository';
import { repKey } from '../ledger/sql-rows';
import { loadCalendars } from '../ledger/tenant-calendars.repository';
import { loadRepContexts, RepContext, timelineOf } from '../ledger/rep-contexts';
import { isPeriodClosed } from '../ledger/closed-periods.repository';
import { exceptionRows } from '../ledger/deal-exceptions.repository';
import { loadStatementDocument, statementHeadsOfRep } from '../ledger/statements.repository';
import {
  statementDocumentText,
  statementIdOf,
  StatementStatus,
  StatementSummary,
  statementSummary,
} from '../ledger/statement-document';
import { EstimateDto } from './estimate.dto';

export interface StatementListItem {
  periodKey: string;
  period: { start: string; end: string };
  planId: string;
  planVersion: number;
  currency: string;
  total: string;
  status: StatementStatus;
  version: number;
  updatedAt: string;
}

export interface EstimateView {
  repId: string;
  periodKey: string;
  planId: string;
  planVersion: number;
  currency: string;
  occurredAt: string;
  credit: string;
  /** What the hypothetical deal would add to the period total (its line plus any SPIFF, retroactive and cap effects). */
  commission: string;
  dealLine: BreakdownLine | null;
  changes: { lineId: string; kind: string; before: string; after: string; delta: string }[];
  totalBefore: string;
  totalAfter: string;
  attainmentBefore: string | null;
  attainmentAfter: string | null;
  exception?: { reason: string; detail: string };
}

const ESTIMATE_DEAL = '~estimate';

/** Reads statements, exceptions and estimates; never changes state. */
@Injectable()
export class StatementsService {
  constructor(private readonly dataSource: DataSource) {}

  /** The statement document as JSON text, or undefined when the rep has no plan for that period. */
  async statementText(tenantId: string, repId: string, periodKey: string): Promise<string | undefined> {
    const row = await loadStatementDocument(this.dataSource.manager, { tenantId, repId, periodKey });
    if (row !== undefined) {
      // The stored summary is the calculation's; the head's workflow figures are the statement's own.
      const summary = {
        ...(JSON.parse(row.summary) as StatementSummary),
        total: money(row.total),
        statementId: statementIdOf(repId, periodKey),
        status: row.status,
        version: row.version,
        approvedBy: row.approved_by,
        closed: row.closed,
        bookedInLaterPeriods: money(row.booked_elsewhere),
      };
      return statementDocumentText(JSON.stringify(summary), row.lines, row.breakdown);
    }
    return this.emptyStatementText(tenantId, repId, periodKey);
  }

  /** A period with a plan but no deals yet still has a statement: all zero, with its quota and notes. */
  private async emptyStatementText(
    tenantId: string,
    repId: string,
    periodKey: string,
  ): Promise<string | undefined> {
    const range = await this.periodRange(tenantId, periodKey);
    if (range === undefined) return undefined;
    const ctx = (await loadRepContexts(this.dataSource.manager, [{ tenantId, repId }])).get(
      repKey(tenantId, repId),
    ) as RepContext;
    const window = timelineOf(ctx, range.toMs - 1).find((w) => w.key === periodKey);
    if (window === undefined || window.version === null) return undefined;
    const quota = ctx.quotas.get(periodKey) ?? null;
    const statement = computeStatement({
      repId,
      periodKey,
      window: { start: window.start, end: window.end, truncated: window.truncated },
      plan: window.version,
      quota,
      deals: [],
      timezone: ctx.calendar.timezone,
    });
    const summary = statementSummary({
      repId,
      periodKey,
      period: { start: window.start, end: window.end, truncated: window.truncated },
      plan: window.version,
      planRef: {
        planId: window.version.planId,
        planVersion: window.version.version,
        currency: window.version.body.currency,
      },
      quota,
      statement,
      notes: statement.notes,
    });
    const closed = await isPeriodClosed(this.dataSource.manager, tenantId, periodKey);
    const head = {
      ...summary,
      statementId: statementIdOf(repId, periodKey),
      status: 'draft',
      version: 0,
      approvedBy: null,
      closed,
      bookedInLaterPeriods: '0.00',
    };
    return statementDocumentText(JSON.stringify(head), '[]', JSON.stringify(statement.lines));
  }

  /** The window a month, fiscal quarter or fiscal year key names in the tenant calendar. */
  async periodRange(
    tenantId: string,
    periodKey: string,
  ): Promise<{ fromMs: number; toMs: number } | undefined> {
    const type = planPeriodOfKey(periodKey);
    if (type === undefined) return undefined;
    const calendar = (await loadCalendars(this.dataSource.manager, [tenantId])).get(tenantId);
    if (calendar === undefined) return undefined;
    try {
      const period = periodOfKey(type, periodKey, calendar);
      return { fromMs: parseInstant(period.start).toMillis(), toMs: parseInstant(period.end).toMillis() };
    } catch (e) {
      if (e instanceof CalendarError) return undefined;
      throw e;
    }
  }

  async list(tenantId: string, repId: string): Promise<StatementListItem[]> {
    const rows = await statementHeadsOfRep(this.dataSource.manager, tenantId, repId);
    return rows.map((r) => ({
      periodKey: r.period_key,
      period: { start: r.window_start.toISOString(), end: r.window_end.toISOString() },
      planId: r.plan_id,
      planVersion: r.plan_version,
      currency: r.currency,
      total: money(r.total),
      status: r.status,
      version: Math.max(r.version, 1),
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  /** What a hypothetical deal would pay the rep now: the period computed with and without it. */
  async estimate(tenantId: string, dto: EstimateDto, now: Date = new Date()): Promise<EstimateView> {
    const manager = this.dataSource.manager;
    const repId = dto.repId;
    const occurredAt = dto.occurredAt ?? now.toISOString();
    const at = instantMillis(occurredAt);
    const ctx = (await loadRepContexts(manager, [{ tenantId, repId }])).get(
      repKey(tenantId, repId),
    ) as RepContext;
    const window = windowAt(timelineOf(ctx, at), at);
    if (window === undefined || window.version === null) {
      throw new CommissionError(
        'no-plan',
        `Rep ${repId} has no plan in force at ${occurredAt}; nothing can be estimated.`,
      );
    }
    const version = window.version;
    const deals =
      (
        await loadWindowDeals(manager, [{ tenantId, repId, startMs: window.startMs, endMs: window.endMs }])
      ).get(0) ?? [];
    const live = deals.filter((d) => d.voidedBy === null && !d.held);
    const cancellations = await loadCancellations(
      manager,
      live.filter((d) => d.cancelled).map((d) => ({ tenantId, dealId: d.dealId })),
    );
    const facts = live.map((d) => withCancellation(d, cancellations.get(repKey(tenantId, d.dealId))));
    const credit = money(dto.amount);
    const hypothetical: DealFact = {
      activityId: ESTIMATE_DEAL,
      dealId: ESTIMATE_DEAL,
      wonEventId: ESTIMATE_DEAL,
      occurredAt,
      primaryRepId: repId,
      amount: credit,
      share: '1',
      credit,
      currency: dto.currency ?? version.body.currency,
    };
    const input = {
      repId,
      periodKey: window.key,
      window: { start: window.start, end: window.end, truncated: window.truncated },
      plan: version,
      quota: ctx.quotas.get(window.key) ?? null,
      timezone: ctx.calendar.timezone,
    };
    const before = computeStatement({ ...input, deals: facts });
    const after = computeStatement({ ...input, deals: [...facts, hypothetical] });
    const exception = after.exceptions.find((e) => e.activityId === ESTIMATE_DEAL);
    return {
      repId,
      periodKey: window.key,
      planId: version.planId,
      planVersion: version.version,
      currency: version.body.currency,
      occurredAt,
      credit,
      commission: money(new Dec(after.total).minus(before.total)),
      dealLine: after.lines.find((l) => l.dealId === ESTIMATE_DEAL && l.kind === 'deal') ?? null,
      changes: changedLines(before, after),
      totalBefore: before.total,
      totalAfter: after.total,
      attainmentBefore: before.attainment,
      attainmentAfter: after.attainment,
      ...(exception !== undefined
        ? { exception: { reason: exception.reason, detail: exception.detail } }
        : {}),
    };
  }

  async exceptions(
    tenantId: string,
    filter: {
      reps: 'all' | Set<string>;
      repId?: string;
      periodKey?: string;
      reason?: string;
      limit: number;
      cursor?: string;
    },
  ): Promise<{ items: unknown[]; nextCursor: string | null }> {
    const rows = await exceptionRows(this.dataSource.manager, tenantId, {
      reps: filter.reps,
      ...(filter.repId !== undefined ? { repId: filter.repId } : {}),
      ...(filter.periodKey !== undefined ? { periodKey: filter.periodKey } : {}),
      ...(filter.reason !== undefined ? { reason: filter.reason } : {}),
      ...(filter.cursor !== undefined ? { after: decodeCursor(filter.cursor) } : {}),
      limit: filter.limit + 1,
    });
    return keysetPage(
      rows,
      filter.limit,
      (r) => JSON.parse(r.body) as unknown,
      (last) => [last.at, last.rep_id, last.activity_id],
    );
  }
}

function changedLines(before: ComputedStatement, after: ComputedStatement): EstimateView['changes'] {
  const was = new Map(before.lines.map((l) => [l.lineId, l.amount]));
  const out: EstimateView['changes'] = [];
  for (const l of after.lines) {
    if (l.dealId === ESTIMATE_DEAL && l.kind === 'deal') continue;
    const prior = was.get(l.lineId) ?? '0.00';
    if (prior !== l.amount) {
      out.push({
        lineId: l.lineId,
        kind: l.kind,
        before: prior,
        after: l.amount,
        delta: money(new Dec(l.amount).minus(prior)),
      });
    }
  }
  return out;
}

// The first part goes to Postgres as a timestamptz: a forged one must be a 400, not a SQL error.
const isTimestamp = (v: string): boolean =>
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/.test(v);

function decodeCursor(cursor: string): [string, string, string] {
  const parts = decodeKeysetCursor(cursor, [isTimestamp, anyCursorPart, anyCursorPart]);
  if (parts === undefined)
    throw CommissionError.validation([{ path: 'cursor', message: 'is not a cursor this service issued' }]);
  return parts as [string, string, string];
}
