import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource, EntityManager } from 'typeorm';
import { hasRole, Principal, type Role as AuthRole } from '@pacer/auth';
import {
  eventKey,
  EventType,
  makeEvent,
  newEventId,
  PacerEvent,
  planPeriodOfKey,
  TOPICS,
} from '@pacer/contracts';
import { enqueueOutbox, OutboxMessage } from '@pacer/messaging';
import { anyCursorPart, decodeKeysetCursor, encodeKeysetCursor } from '@pacer/http';
import { AuditEntry, auditActor, recordAudit } from '@pacer/platform';
import { money } from '../calculation/decimal';
import { manualAdjustmentPosting } from '../calculation/manual-adjustment';
import { bookingPeriod } from '../calculation/prior-period';
import type { TimelineWindow } from '../calculation/rep-timeline';
import { deltaEvent, outboxMessage } from '../ledger/commission-delta.factory';
import { loadClosedPeriods, lockPeriodStates } from '../ledger/closed-periods.repository';
import { HELD_FOR_APPROVAL_SQL } from '../ledger/deal-credits.repository';
import { insertLedgerRows, MANUAL_ADJUSTMENT_KIND } from '../ledger/ledger-lines.repository';
import { lockReps } from '../ledger/rep-ledgers.repository';
import { repKey } from '../ledger/sql-rows';
import { applyLedgerChanges } from '../ledger/statements.repository';
import { DirtyStatements } from '../ledger/dirty-statements';
import { sqlFilter } from '../ledger/sql-filter';
import { ledgerLineView } from '../ledger/ledger-line.view';
import { Recalculator } from '../ledger/recalculator';
import { loadRepContexts, RepContext, timelineOf } from '../ledger/rep-contexts';
import { statementIdOf, StatementStatus } from '../ledger/statement-document';
import { intervalsOfRows, MembershipEventRow } from '../roster/membership-rows';
import { MembershipInterval } from '../roster/team-membership';
import { ManualAdjustmentDto, ResolveDisputeDto } from './governance.dto';
import { PayoutRow, payoutRowsOf, PayoutStatement } from './payout-file';
import { statementApprovers } from './statement-approver';

export interface PeriodStateView {
  periodKey: string;
  closed: boolean;
  closedAt: string | null;
  closedBy: string | null;
  paidAt: string | null;
  paidBy: string | null;
  /** Statements of the period in the tenant. */
  statements: number;
}

/** `GET /v1/periods/{periodKey}`: a period's governance state, read from closed_periods and the audit log. */
export interface PeriodView {
  periodKey: string;
  status: PeriodStatus;
  closedAt: string | null;
  closedBy: string | null;
  /** The last reopen, when there was one (the audit log keeps it: a reopen deletes the closed_periods row). */
  reopenedAt?: string;
  reopenedBy?: string;
  paidAt?: string;
  paidBy?: string;
  /** Statements of the period the caller may read (a manager: those of the reps of their teams). */
  statements: { total: number; draft: number; approved: number; paid: number };
}

export type PeriodStatus = 'open' | 'closed' | 'paid';

export interface PeriodsFilter {
  reps: 'all' | Set<string>;
  status?: PeriodStatus;
  cursor?: string;
  limit: number;
}

export interface StatementHeadView {
  statementId: string;
  repId: string;
  periodKey: string;
  status: StatementStatus;
  version: number;
  currency: string;
  total: string;
  approvedBy: string | null;
  approvedAt: string | null;
  closed: boolean;
}

export interface ManualAdjustmentView {
  adjustmentId: string;
  repId: string;
  /** The period the line is booked in: the one asked for, or the rep's open period when that is closed. */
  periodKey: string;
  requestedPeriodKey: string;
  lineId: string;
  amount: string;
  currency: string;
  reason: string;
  eventId: string;
  disputeId?: string;
}

export interface DisputeView {
  disputeId: string;
  repId: string;
  periodKey: string;
  lineId: string;
  comment: string;
  status: 'open' | 'resolved';
  openedBy: string;
  openedAt: string;
  resolution: string | null;
  adjustmentAmount: string | null;
  adjustment: ManualAdjustmentView | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// Names of unapproved statements a refused payout lists (the count is always complete).
const MAX_NAMED = 1000;
// Statements read per query while streaming a payroll file.
const PAYOUT_PAGE = 1000;

/** SPEC §6 governance: period close and reopen, approval, payout, manual adjustments and disputes. */
@Injectable()
export class GovernanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recalculator: Recalculator,
  ) {}

  async close(principal: Principal, periodKey: string): Promise<{ changed: boolean; body: PeriodStateView }> {
    assertPeriodKey(periodKey);
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      await lockPeriodStates(manager, [tenantId], 'exclusive');
      const state = await this.periodState(manager, tenantId, periodKey);
      if (state.closed) return { changed: false, body: state };
      const at = new Date();
      await manager.query(
        `INSERT INTO closed_periods (tenant_id, period_key, closed_at, closed_by) VALUES ($1, $2, $3, $4)`,
        [tenantId, periodKey, at.toISOString(), principal.subject],
      );
      const heads = await this.heads(manager, tenantId, periodKey);
      await this.publish(
        manager,
        heads.map((h) =>
          governanceEvent('pacer.commission.period_closed.v1', tenantId, {
            ...periodEventData(h),
            by: principal.subject,
          }),
        ),
      );
      await this.audit(manager, principal, {
        type: 'period.closed',
        subject: { periodKey },
        summary: { statements: heads.length },
        at,
      });
      return { changed: true, body: await this.periodState(manager, tenantId, periodKey) };
    });
  }

  /**
   * Opens a closed period again. Prior-period adjustments already booked stay where they are (they
   * were published; the later periods' totals include them); the reopened statements are
   * recalculated against their own lines plus those adjustments, so only what changes from now on
   * is posted to them (README "Reopening a period").
   */
  async reopen(
    principal: Principal,
    periodKey: string,
  ): Promise<{ changed: boolean; body: PeriodStateView }> {
    assertPeriodKey(periodKey);
    const tenantId = principal.tenantId;
    const outcome = await this.dataSource.transaction(async (manager) => {
      await lockPeriodStates(manager, [tenantId], 'exclusive');
      const state = await this.periodState(manager, tenantId, periodKey);
      if (!state.closed) return { changed: false, body: state, reps: [] as string[] };
      if (state.paidAt !== null) {
        throw new CommissionError(
          'period-paid',
          `Period ${periodKey} was paid out on ${state.paidAt}; a paid period is not reopened. Post corrections as manual adjustments in an open period.`,
        );
      }
      await manager.query(`DELETE FROM closed_periods WHERE tenant_id = $1 AND period_key = $2`, [
        tenantId,
        periodKey,
      ]);
      const heads = await this.heads(manager, tenantId, periodKey);
      await this.publish(
        manager,
        heads.map((h) =>
          governanceEvent('pacer.commission.period_reopened.v1', tenantId, {
            ...periodEventData(h),
            by: principal.subject,
          }),
        ),
      );
      await this.audit(manager, principal, {
        type: 'period.reopened',
        subject: { periodKey },
        summary: { statements: heads.length, closedAt: state.closedAt, closedBy: state.closedBy },
      });
      return {
        changed: true,
        body: await this.periodState(manager, tenantId, periodKey),
        reps: heads.map((h) => h.repId),
      };
    });
    if (outcome.reps.length > 0) {
      // Refreshes the reopened statements' summaries and breakdowns (their money is already right:
      // nothing is posted). In its own transaction: a recalculation locks the reps before the
      // tenant's period lock, and taking them while holding that lock exclusively could deadlock
      // with a consumer batch. Should it fail, the next change to each rep refreshes it anyway.
      await this.dataSource.transaction(async (manager) => {
        const dirty = new DirtyStatements();
        for (const repId of outcome.reps) dirty.touchRep(tenantId, repId);
        await this.recalculate(manager, dirty);
      });
    }
    return { changed: outcome.changed, body: outcome.body };
  }

  async approve(
    principal: Principal,
    repId: string,
    periodKey: string,
    expectedVersion?: number,
  ): Promise<{ changed: boolean; body: StatementHeadView }> {
    assertPeriodKey(periodKey);
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      await lockReps(manager, [{ tenantId, repId }]);
      const head = await this.head(manager, tenantId, repId, periodKey);
      if (head === undefined) throw CommissionError.notFound(`A statement of rep ${repId} for ${periodKey}`);
      if (!hasRole(principal, 'admin')) {
        const intervals = await this.repTeamIntervals(manager, tenantId, repId);
        const approvers = statementApprovers(intervals, repId, head.windowEndMs);
        if (!approvers.has(principal.repId ?? principal.subject)) {
          throw new CommissionError(
            'forbidden',
            `Only an admin or the manager of rep ${repId}'s team at the end of ${periodKey} approves this statement.`,
          );
        }
      }
      if (head.status === 'paid') {
        throw new CommissionError('statement-paid', `The statement of ${repId} for ${periodKey} is paid.`);
      }
      if (expectedVersion !== undefined && expectedVersion !== head.version) {
        throw new CommissionError(
          'statement-changed',
          `The statement is at version ${head.version}, not ${expectedVersion}: review it again before approving.`,
          { currentVersion: head.version },
        );
      }
      if (head.status === 'approved') return { changed: false, body: view(head) };
      const at = new Date();
      await manager.query(
        `UPDATE statements SET status = 'approved', approved_version = version, approved_by = $4, approved_at = $5
          WHERE tenant_id = $1 AND rep_id = $2 AND period_key = $3`,
        [tenantId, repId, periodKey, principal.subject, at.toISOString()],
      );
      const approved = (await this.head(manager, tenantId, repId, periodKey)) as StatementHead;
      await this.publish(manager, [
        governanceEvent('pacer.commission.statement_approved.v1', tenantId, {
          repId,
          periodKey,
          statementId: approved.statementId,
          statementVersion: approved.version,
          currency: approved.currency,
          total: approved.total,
          approvedBy: principal.subject,
        }),
      ]);
      await this.audit(manager, principal, {
        type: 'statement.approved',
        subject: { repId, periodKey },
        summary: { version: approved.version, total: approved.total, currency: approved.currency },
        at,
      });
      return { changed: true, body: view(approved) };
    });
  }

  async payout(
    principal: Principal,
    periodKey: string,
  ): Promise<{ changed: boolean; body: PeriodStateView & { payouts: number } }> {
    assertPeriodKey(periodKey);
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      await lockPeriodStates(manager, [tenantId], 'exclusive');
      const state = await this.periodState(manager, tenantId, periodKey);
      if (!state.closed) {
        throw new CommissionError(
          'period-open',
          `Period ${periodKey} is open; close it (POST /v1/periods/${periodKey}/close) before paying it out.`,
        );
      }
      if (state.paidAt !== null) {
        const [{ n }] = (await manager.query(
          `SELECT count(*)::int AS n FROM statements WHERE tenant_id = $1 AND period_key = $2`,
          [tenantId, periodKey],
        )) as [{ n: number }];
        return { changed: false, body: { ...state, payouts: n } };
      }
      const unapproved = (await manager.query(
        `SELECT rep_id, status, version FROM statements
          WHERE tenant_id = $1 AND period_key = $2 AND status <> 'approved' ORDER BY rep_id`,
        [tenantId, periodKey],
      )) as { rep_id: string; status: StatementStatus; version: number }[];
      if (unapproved.length > 0) {
        const named = unapproved.slice(0, MAX_NAMED);
        throw new CommissionError(
          'statements-unapproved',
          `${unapproved.length} statement(s) of ${periodKey} are not approved: ${named
            .slice(0, 20)
            .map((u) => u.rep_id)
            .join(', ')}${unapproved.length > 20 ? ', …' : ''}.`,
          {
            unapprovedCount: unapproved.length,
            unapproved: named.map((u) => ({ repId: u.rep_id, status: u.status, version: u.version })),
          },
        );
      }
      const at = new Date();
      await manager.query(
        `UPDATE statements SET status = 'paid' WHERE tenant_id = $1 AND period_key = $2 AND status = 'approved'`,
        [tenantId, periodKey],
      );
      await manager.query(
        `UPDATE closed_periods SET paid_at = $3, paid_by = $4 WHERE tenant_id = $1 AND period_key = $2`,
        [tenantId, periodKey, at.toISOString(), principal.subject],
      );
      let payouts = 0;
      for await (const page of this.payoutPages(manager, tenantId, periodKey)) {
        payouts += page.length;
        await this.publish(
          manager,
          page.map((row) => governanceEvent('pacer.commission.payout.v1', tenantId, row)),
        );
      }
      await this.audit(manager, principal, {
        type: 'period.paid',
        subject: { periodKey },
        summary: { payouts },
        at,
      });
      return { changed: true, body: { ...(await this.periodState(manager, tenantId, periodKey)), payouts } };
    });
  }

  /** The payroll file's rows of a paid period, read a page of statements at a time. */
  async payoutFile(tenantId: string, periodKey: string): Promise<AsyncIterable<PayoutRow>> {
    assertPeriodKey(periodKey);
    const state = await this.periodState(this.dataSource.manager, tenantId, periodKey);
    if (state.paidAt === null) {
      throw new CommissionError(
        'period-not-paid',
        `Period ${periodKey} has not been paid out (POST /v1/periods/${periodKey}/payout); there is no payroll file yet.`,
      );
    }
    const pages = this.payoutPages(this.dataSource.manager, tenantId, periodKey);
    return (async function* () {
      for await (const page of pages) yield* page;
    })();
  }

  private async *payoutPages(
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

  async adjust(principal: Principal, dto: ManualAdjustmentDto): Promise<ManualAdjustmentView> {
    assertPeriodKey(dto.periodKey, 'periodKey');
    return this.dataSource.transaction(async (manager) => {
      const result = await this.postManual(manager, principal, {
        repId: dto.repId,
        periodKey: dto.periodKey,
        amount: dto.amount,
        reason: dto.reason,
      });
      await this.audit(manager, principal, {
        type: 'adjustment.posted',
        subject: { repId: dto.repId, periodKey: result.periodKey },
        summary: {
          amount: result.amount,
          currency: result.currency,
          reason: dto.reason,
          lineId: result.lineId,
        },
      });
      return result;
    });
  }

  /**
   * Posts a manual_adjustment line: in the period asked for, or — when it is closed, whose statements
   * never change — in the rep's open period containing now, the note naming the closed period.
   */
  private async postManual(
    manager: EntityManager,
    principal: Principal,
    input: {
      repId: string;
      periodKey: string;
      amount: string;
      reason: string;
      disputeId?: string;
      sources?: string[];
    },
  ): Promise<ManualAdjustmentView> {
    const tenantId = principal.tenantId;
    const { repId } = input;
    await lockReps(manager, [{ tenantId, repId }]);
    await lockPeriodStates(manager, [tenantId], 'shared');
    const closed = (await loadClosedPeriods(manager, [tenantId])).get(tenantId) ?? new Set<string>();
    const ctx = (await loadRepContexts(manager, [{ tenantId, repId }])).get(
      repKey(tenantId, repId),
    ) as RepContext;
    const now = Date.now();
    const windows = timelineOf(ctx, now + 3 * 366 * 86_400_000);
    const asked = windows.find((w) => w.key === input.periodKey);
    if (asked === undefined || asked.version === null) {
      throw new CommissionError(
        'no-plan-period',
        `Rep ${repId} has no plan period ${input.periodKey}; adjustments are posted to a period of the rep's plan calendar.`,
      );
    }
    const target: TimelineWindow | undefined = closed.has(asked.key)
      ? bookingPeriod(windows, closed, now, asked.endMs)
      : asked;
    if (target === undefined || target.version === null) {
      throw new CommissionError(
        'no-open-period',
        `Period ${input.periodKey} is closed and rep ${repId} has no open period with a plan to book the adjustment in.`,
      );
    }
    const dirty = new DirtyStatements();
    dirty.ensurePeriod(tenantId, repId, target.key);
    await this.recalculate(manager, dirty);

    const adjustmentId = newEventId();
    const version = target.version;
    const currency = version.body.currency;
    const posting = manualAdjustmentPosting({
      adjustmentId,
      amount: input.amount,
      currency,
      reason: input.reason,
      adjustedBy: principal.subject,
      ...(input.disputeId !== undefined ? { disputeId: input.disputeId } : {}),
      ...(input.sources !== undefined ? { sources: input.sources } : {}),
      ...(target.key !== asked.key ? { closedPeriodKey: asked.key, bookedIn: target.key } : {}),
    });
    const { lineId, amount } = posting;
    const postedAt = new Date(now).toISOString();
    const event = deltaEvent(posting, {
      tenantId,
      repId,
      periodKey: target.key,
      planId: version.planId,
      planVersion: version.version,
      postedAt,
    });
    const row = {
      tenantId,
      repId,
      periodKey: target.key,
      lineId,
      baseLineId: lineId,
      baseKind: MANUAL_ADJUSTMENT_KIND,
      eventType: posting.type,
      dealId: null,
      amount,
      currency,
      eventId: event.id,
      line: ledgerLineView(posting, {
        planId: version.planId,
        planVersion: version.version,
        eventId: event.id,
        postedAt,
      }),
    } as const;
    await insertLedgerRows(manager, [row]);
    await applyLedgerChanges(manager, [row]);
    await enqueueOutbox(manager, [outboxMessage(event)]);
    return {
      adjustmentId,
      repId,
      periodKey: target.key,
      requestedPeriodKey: asked.key,
      lineId,
      amount,
      currency,
      reason: input.reason,
      eventId: event.id,
      ...(input.disputeId !== undefined ? { disputeId: input.disputeId } : {}),
    };
  }

  async openDispute(
    principal: Principal,
    repId: string,
    periodKey: string,
    lineId: string,
    comment: string,
  ): Promise<DisputeView> {
    const tenantId = principal.tenantId;
    if (principal.repId !== repId) {
      throw new CommissionError('forbidden', 'A rep disputes lines of their own statements only.');
    }
    return this.dataSource.transaction(async (manager) => {
      const [line] = (await manager.query(
        `SELECT 1 FROM ledger_lines WHERE tenant_id = $1 AND rep_id = $2 AND period_key = $3 AND line_id = $4`,
        [tenantId, repId, periodKey, lineId],
      )) as unknown[];
      if (line === undefined)
        throw CommissionError.notFound(`Line ${lineId} of the statement of ${repId} for ${periodKey}`);
      const disputeId = newEventId();
      const event = governanceEvent('pacer.commission.dispute_opened.v1', tenantId, {
        disputeId,
        repId,
        periodKey,
        lineId,
        comment,
      });
      await manager.query(
        `INSERT INTO disputes (dispute_id, tenant_id, rep_id, period_key, line_id, comment, opened_by, opened_at, opened_event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [disputeId, tenantId, repId, periodKey, lineId, comment, principal.subject, event.time, event.id],
      );
      await this.publish(manager, [event]);
      await this.audit(manager, principal, {
        type: 'dispute.opened',
        subject: { disputeId, repId, periodKey, lineId },
        summary: { comment },
      });
      return (await this.dispute(manager, tenantId, disputeId)) as DisputeView;
    });
  }

  async resolveDispute(
    principal: Principal,
    disputeId: string,
    dto: ResolveDisputeDto,
  ): Promise<DisputeView> {
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `SELECT rep_id, period_key, status, opened_event_id FROM disputes WHERE tenant_id = $1 AND dispute_id = $2 FOR UPDATE`,
        [tenantId, disputeId],
      )) as { rep_id: string; period_key: string; status: string; opened_event_id: string }[];
      const found = rows[0];
      if (found === undefined) throw CommissionError.notFound(`Dispute ${disputeId}`);
      if (found.status === 'resolved') {
        throw new CommissionError('dispute-resolved', `Dispute ${disputeId} is already resolved.`);
      }
      const adjustment =
        dto.adjustment === undefined
          ? null
          : await this.postManual(manager, principal, {
              repId: found.rep_id,
              periodKey: found.period_key,
              amount: dto.adjustment.amount,
              reason: dto.resolution,
              disputeId,
              sources: [found.opened_event_id],
            });
      const event = governanceEvent('pacer.commission.dispute_resolved.v1', tenantId, {
        disputeId,
        repId: found.rep_id,
        periodKey: found.period_key,
        resolution: dto.resolution,
        ...(adjustment !== null ? { adjustmentAmount: adjustment.amount } : {}),
      });
      await manager.query(
        `UPDATE disputes SET status = 'resolved', resolution = $3, adjustment_amount = $4, resolved_by = $5,
                resolved_at = $6, resolved_event_id = $7, adjustment = $8
          WHERE tenant_id = $1 AND dispute_id = $2`,
        [
          tenantId,
          disputeId,
          dto.resolution,
          adjustment?.amount ?? null,
          principal.subject,
          event.time,
          event.id,
          adjustment === null ? null : JSON.stringify(adjustment),
        ],
      );
      await this.publish(manager, [event]);
      await this.audit(manager, principal, {
        type: 'dispute.resolved',
        subject: { disputeId, repId: found.rep_id, periodKey: found.period_key },
        summary: { resolution: dto.resolution, adjustment: adjustment?.amount ?? null },
      });
      return (await this.dispute(manager, tenantId, disputeId)) as DisputeView;
    });
  }

  /**
   * Approves or rejects a deal waiting for approval (an admin, or the manager of the deal's rep's team
   * now). Approved, it pays in its own period if that is open, else as a prior-period adjustment.
   */
  async decideDeal(
    principal: Principal,
    dealId: string,
    decision: 'approved' | 'rejected',
    reason: string | undefined,
  ): Promise<{ changed: boolean; body: DealView }> {
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      const records = (await manager.query(
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
      const primary = records.find((r) => r.rep_id === r.primary_rep_id) ?? records[0];
      if (primary === undefined) throw CommissionError.notFound(`Deal ${dealId}`);
      await lockReps(
        manager,
        [...new Set(records.map((r) => r.rep_id))].map((repId) => ({ tenantId, repId })),
      );
      if (!hasRole(principal, 'admin')) {
        const intervals = await this.repTeamIntervals(manager, tenantId, primary.primary_rep_id);
        const approvers = statementApprovers(intervals, primary.primary_rep_id, Date.now() + 1);
        if (!approvers.has(principal.repId ?? principal.subject)) {
          throw new CommissionError(
            'forbidden',
            `Only an admin or the manager of rep ${primary.primary_rep_id}'s team decides on deal ${dealId}.`,
          );
        }
      }
      const existing = await this.dealView(manager, tenantId, dealId);
      if (existing?.status === decision) return { changed: false, body: existing };
      if (existing !== undefined && (existing.status === 'approved' || existing.status === 'rejected')) {
        throw new CommissionError('deal-decided', `Deal ${dealId} was already ${existing.status}.`);
      }
      if (!records.some((r) => r.needs_approval)) {
        throw new CommissionError('deal-not-pending', `Deal ${dealId} does not wait for approval.`);
      }
      const event =
        decision === 'approved'
          ? governanceEvent('pacer.commission.deal_approved.v1', tenantId, {
              dealId,
              repId: primary.primary_rep_id,
              decidedBy: principal.subject,
              ...(reason !== undefined ? { reason } : {}),
            })
          : governanceEvent('pacer.commission.deal_rejected.v1', tenantId, {
              dealId,
              repId: primary.primary_rep_id,
              decidedBy: principal.subject,
              ...(reason !== undefined ? { reason } : {}),
            });
      await manager.query(
        `INSERT INTO deal_decisions (tenant_id, deal_id, decision, decided_by, reason, decided_at, event_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [tenantId, dealId, decision, principal.subject, reason ?? null, event.time, event.id],
      );
      await this.publish(manager, [event]);
      if (decision === 'approved') {
        const dirty = new DirtyStatements();
        for (const r of records) {
          dirty.touchInstant(tenantId, r.rep_id, Date.parse(r.occurred_text));
          dirty.addCause(event.id, tenantId, r.rep_id);
        }
        await this.recalculate(manager, dirty);
      }
      await this.audit(manager, principal, {
        type: decision === 'approved' ? 'deal.approved' : 'deal.rejected',
        subject: { dealId, repId: primary.primary_rep_id },
        summary: reason !== undefined ? { reason } : {},
      });
      return { changed: true, body: (await this.dealView(manager, tenantId, dealId)) as DealView };
    });
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

  private async dealView(
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

  async dispute(
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
      teamReps = await this.teamIntervals(this.dataSource.manager, tenantId, filter.teamId);
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

  /** The managers of `teamId` now and the team's members over time (for a manager's statements list). */
  async managesTeam(tenantId: string, managerId: string, teamId: string): Promise<boolean> {
    const intervals = await this.teamIntervals(this.dataSource.manager, tenantId, teamId);
    const now = Date.now();
    return intervals.some(
      (i) =>
        i.repId === managerId && i.role === 'MANAGER' && i.fromMs <= now && (i.toMs === null || i.toMs > now),
    );
  }

  async statementHead(
    tenantId: string,
    repId: string,
    periodKey: string,
  ): Promise<StatementHeadView | undefined> {
    const head = await this.head(this.dataSource.manager, tenantId, repId, periodKey);
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

  /** A period's state; a period nobody closed (or another tenant's) is simply open with what the caller sees. */
  async period(tenantId: string, periodKey: string, reps: 'all' | Set<string>): Promise<PeriodView> {
    assertPeriodKey(periodKey);
    const [row] = await this.periodRows(tenantId, reps, { periodKey, limit: 1 });
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
   * The tenant's periods that have ever been closed, the latest state change first (close, or the
   * last reopen of a period open again), then by key. Keyset-paged on that order.
   */
  async periods(tenantId: string, filter: PeriodsFilter): Promise<Page<PeriodView>> {
    const after =
      filter.cursor === undefined
        ? undefined
        : decodeCursor(filter.cursor, [isTimestampText, isPeriodKeyText]);
    const rows = await this.periodRows(tenantId, filter.reps, {
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

  private async periodRows(
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
    const rows = (await this.dataSource.query(
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

  private async periodState(
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

  private async heads(manager: EntityManager, tenantId: string, periodKey: string): Promise<StatementHead[]> {
    const rows = (await manager.query(
      `${HEAD_SELECT} WHERE s.tenant_id = $1 AND s.period_key = $2 ORDER BY s.rep_id`,
      [tenantId, periodKey],
    )) as HeadRow[];
    return rows.map(toHead);
  }

  private async head(
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

  /** Membership intervals of every team the rep was ever in. */
  private async repTeamIntervals(
    manager: EntityManager,
    tenantId: string,
    repId: string,
  ): Promise<MembershipInterval[]> {
    const rows = (await manager.query(
      `SELECT team_id, rep_id, kind, role, at, recorded_at, event_id FROM team_membership_events
        WHERE tenant_id = $1 AND team_id IN (SELECT team_id FROM team_membership_events WHERE tenant_id = $1 AND rep_id = $2)`,
      [tenantId, repId],
    )) as MembershipEventRow[];
    return intervalsOfRows(rows);
  }

  private async teamIntervals(
    manager: EntityManager,
    tenantId: string,
    teamId: string,
  ): Promise<MembershipInterval[]> {
    const rows = (await manager.query(
      `SELECT team_id, rep_id, kind, role, at, recorded_at, event_id FROM team_membership_events WHERE tenant_id = $1 AND team_id = $2`,
      [tenantId, teamId],
    )) as MembershipEventRow[];
    return intervalsOfRows(rows);
  }

  private recalculate(manager: EntityManager, dirty: DirtyStatements): Promise<unknown> {
    return this.recalculator.recalculate(manager, dirty, (messages) => enqueueOutbox(manager, messages));
  }

  private async publish(manager: EntityManager, events: readonly PacerEvent[]): Promise<void> {
    const messages: OutboxMessage[] = events.map((e) => ({
      topic: TOPICS.commissions,
      key: eventKey(e),
      value: e,
    }));
    for (let i = 0; i < messages.length; i += 1000) await enqueueOutbox(manager, messages.slice(i, i + 1000));
  }

  private audit(manager: EntityManager, principal: Principal, entry: AuditEntry): Promise<void> {
    return recordAudit(manager, auditActor(principal, GOVERNANCE_ROLES), entry);
  }
}

const GOVERNANCE_ROLES: readonly AuthRole[] = ['admin', 'manager', 'rep'];

const DEAL_SELECT = `SELECT d.deal_id, d.rep_id, d.activity_id, d.amount::text AS amount, d.currency, d.occurred_text,
       d.occurred_at, d.occurred_at::text AS occurred_key, d.won_event_id, d.recorded_by, x.decision, x.decided_by, x.decided_at, x.reason,
       ${HELD_FOR_APPROVAL_SQL} AS needs_approval
  FROM deal_credits d LEFT JOIN deal_decisions x ON x.tenant_id = d.tenant_id AND x.deal_id = d.deal_id`;

export interface DealView {
  dealId: string;
  repId: string;
  activityId: string;
  amount: string;
  currency: string;
  occurredAt: string;
  activityEventId: string;
  recordedBy: string | null;
  /** `not_required`: the deal never needed approval (only when read by id). */
  status: 'pending' | 'approved' | 'rejected' | 'not_required';
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

interface DealRowView {
  deal_id: string;
  rep_id: string;
  activity_id: string;
  amount: string;
  currency: string;
  occurred_text: string;
  occurred_at: Date;
  /** occurred_at at full precision, for the keyset cursor. */
  occurred_key: string;
  won_event_id: string;
  recorded_by: string | null;
  decision: 'approved' | 'rejected' | null;
  decided_by: string | null;
  decided_at: Date | null;
  reason: string | null;
  needs_approval: boolean;
}

function dealViewOf(r: DealRowView): DealView {
  return {
    dealId: r.deal_id,
    repId: r.rep_id,
    activityId: r.activity_id,
    amount: money(r.amount),
    currency: r.currency,
    occurredAt: r.occurred_text,
    activityEventId: r.won_event_id,
    recordedBy: r.recorded_by,
    status: r.decision ?? 'pending',
    decidedBy: r.decided_by,
    decidedAt: r.decided_at?.toISOString() ?? null,
    reason: r.reason,
  };
}

const HEAD_SELECT = `SELECT s.rep_id, s.period_key, s.status, s.version, s.currency, s.total::text AS total,
       s.approved_by, s.approved_at, s.window_start, s.window_end,
       EXISTS (SELECT 1 FROM closed_periods c WHERE c.tenant_id = s.tenant_id AND c.period_key = s.period_key) AS closed
  FROM statements s`;

interface HeadRow {
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

interface StatementHead extends StatementHeadView {
  windowStartMs: number;
  windowEndMs: number;
}

function toHead(r: HeadRow): StatementHead {
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

function view(h: StatementHead): StatementHeadView {
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

function periodEventData(h: StatementHead): {
  repId: string;
  periodKey: string;
  statementId: string;
  statementVersion: number;
  currency: string;
  total: string;
} {
  return {
    repId: h.repId,
    periodKey: h.periodKey,
    statementId: h.statementId,
    statementVersion: h.version,
    currency: h.currency,
    total: h.total,
  };
}

interface DisputeRow {
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

function disputeView(r: DisputeRow): DisputeView {
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

function governanceEvent<T extends EventType>(
  type: T,
  tenantId: string,
  data: PacerEvent<T>['data'],
): PacerEvent<T> {
  const time = new Date().toISOString();
  return makeEvent(type, { id: newEventId(), tenantId, time, recordedTime: time, data } as Parameters<
    typeof makeEvent<T>
  >[1]);
}

export function assertPeriodKey(periodKey: string, path = 'periodKey'): void {
  if (planPeriodOfKey(periodKey) === undefined) {
    throw CommissionError.validation([
      {
        path,
        message:
          'is not a plan period key (a month "2026-11", a fiscal quarter "FY2027-Q1" or a fiscal year "FY2027")',
      },
    ]);
  }
}

interface PeriodRow {
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

function periodViewOf(r: PeriodRow): PeriodView & { changedAtText: string } {
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

const STATUS_COUNTS = `count(*)::int AS total,
  count(*) FILTER (WHERE s.status = 'draft')::int AS draft,
  count(*) FILTER (WHERE s.status = 'approved')::int AS approved,
  count(*) FILTER (WHERE s.status = 'paid')::int AS paid`;
const emptyCounts = (): PeriodView['statements'] => ({ total: 0, draft: 0, approved: 0, paid: 0 });
const isPeriodKeyText = (v: string): boolean => planPeriodOfKey(v) !== undefined;

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (v: string): boolean => UUID_TEXT.test(v);
// Postgres's own text of a timestamptz (`2026-01-15 10:00:00.123456+00`).
const isTimestampText = (v: string): boolean =>
  /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/.test(v);
const isInstantText = (v: string): boolean => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v));

/** A cursor this service issued, one part per check (a forged one is a 400, never a SQL error). */
function decodeCursor(cursor: string, checks: readonly ((v: string) => boolean)[]): string[] {
  const parts = decodeKeysetCursor(cursor, checks);
  if (parts === undefined)
    throw CommissionError.validation([{ path: 'cursor', message: 'is not a cursor this service issued' }]);
  return parts;
}
