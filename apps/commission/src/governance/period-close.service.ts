import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource } from 'typeorm';
import { Principal } from '@pacer/auth';
import { lockPeriodStates } from '../ledger/closed-periods.repository';
import { DirtyStatements } from '../ledger/dirty-statements';
import { Recalculator } from '../ledger/recalculator';
import { PeriodStateView, assertPeriodKey } from './governance.views';
import {
  governanceEvent,
  periodEventData,
  publishGovernanceEvents,
  auditGovernance,
  recalculateIn,
} from './governance-outbox';
import {
  deleteClosedPeriod,
  insertClosedPeriod,
  loadPeriodState,
  statementHeadsOfPeriod,
} from './governance.repository';

/** SPEC §6: closing a period and opening it again. */
@Injectable()
export class PeriodCloseService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recalculator: Recalculator,
  ) {}

  async close(principal: Principal, periodKey: string): Promise<{ changed: boolean; body: PeriodStateView }> {
    assertPeriodKey(periodKey);
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      await lockPeriodStates(manager, [tenantId], 'exclusive');
      const state = await loadPeriodState(manager, tenantId, periodKey);
      if (state.closed) return { changed: false, body: state };
      const at = new Date();
      await insertClosedPeriod(manager, { tenantId, periodKey, at, by: principal.subject });
      const heads = await statementHeadsOfPeriod(manager, tenantId, periodKey);
      await publishGovernanceEvents(
        manager,
        heads.map((h) =>
          governanceEvent('pacer.commission.period_closed.v1', tenantId, {
            ...periodEventData(h),
            by: principal.subject,
          }),
        ),
      );
      await auditGovernance(manager, principal, {
        type: 'period.closed',
        subject: { periodKey },
        summary: { statements: heads.length },
        at,
      });
      return { changed: true, body: await loadPeriodState(manager, tenantId, periodKey) };
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
      const state = await loadPeriodState(manager, tenantId, periodKey);
      if (!state.closed) return { changed: false, body: state, reps: [] as string[] };
      if (state.paidAt !== null) {
        throw new CommissionError(
          'period-paid',
          `Period ${periodKey} was paid out on ${state.paidAt}; a paid period is not reopened. Post corrections as manual adjustments in an open period.`,
        );
      }
      await deleteClosedPeriod(manager, tenantId, periodKey);
      const heads = await statementHeadsOfPeriod(manager, tenantId, periodKey);
      await publishGovernanceEvents(
        manager,
        heads.map((h) =>
          governanceEvent('pacer.commission.period_reopened.v1', tenantId, {
            ...periodEventData(h),
            by: principal.subject,
          }),
        ),
      );
      await auditGovernance(manager, principal, {
        type: 'period.reopened',
        subject: { periodKey },
        summary: { statements: heads.length, closedAt: state.closedAt, closedBy: state.closedBy },
      });
      return {
        changed: true,
        body: await loadPeriodState(manager, tenantId, periodKey),
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
        await recalculateIn(this.recalculator, manager, dirty);
      });
    }
    return { changed: outcome.changed, body: outcome.body };
  }
}
