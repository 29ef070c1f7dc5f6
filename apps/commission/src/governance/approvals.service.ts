import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '@pacer/auth';
import { lockPeriodStates } from '../ledger/closed-periods.repository';
import { lockReps } from '../ledger/rep-ledgers.repository';
import { PayoutRow } from './payout-file';
import { statementApprovers } from './statement-approver';
import { PeriodStateView, StatementHeadView, assertPeriodKey } from './governance.views';
import { governanceEvent, publishGovernanceEvents, auditGovernance } from './governance-outbox';
import {
  countStatements,
  findStatementHead,
  loadPeriodState,
  markPeriodPaid,
  markStatementApproved,
  readPayoutPages,
  StatementHead,
  unapprovedStatements,
  view,
} from './governance.repository';
import { loadRepTeamIntervals } from '../ledger/team-membership-events.repository';

// Names of unapproved statements a refused payout lists (the count is always complete).
const MAX_NAMED = 1000;

/** SPEC §6: statement approval, the payout of a closed period and its payroll file. */
@Injectable()
export class ApprovalsService {
  constructor(private readonly dataSource: DataSource) {}

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
      const head = await findStatementHead(manager, tenantId, repId, periodKey);
      if (head === undefined) throw CommissionError.notFound(`A statement of rep ${repId} for ${periodKey}`);
      if (!hasRole(principal, 'admin')) {
        const intervals = await loadRepTeamIntervals(manager, tenantId, repId);
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
      await markStatementApproved(manager, tenantId, repId, periodKey, principal.subject, at);
      const approved = (await findStatementHead(manager, tenantId, repId, periodKey)) as StatementHead;
      await publishGovernanceEvents(manager, [
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
      await auditGovernance(manager, principal, {
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
      const state = await loadPeriodState(manager, tenantId, periodKey);
      if (!state.closed) {
        throw new CommissionError(
          'period-open',
          `Period ${periodKey} is open; close it (POST /v1/periods/${periodKey}/close) before paying it out.`,
        );
      }
      if (state.paidAt !== null) {
        const n = await countStatements(manager, tenantId, periodKey);
        return { changed: false, body: { ...state, payouts: n } };
      }
      const unapproved = await unapprovedStatements(manager, tenantId, periodKey);
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
      await markPeriodPaid(manager, { tenantId, periodKey, at, by: principal.subject });
      let payouts = 0;
      for await (const page of readPayoutPages(manager, tenantId, periodKey)) {
        payouts += page.length;
        await publishGovernanceEvents(
          manager,
          page.map((row) => governanceEvent('pacer.commission.payout.v1', tenantId, row)),
        );
      }
      await auditGovernance(manager, principal, {
        type: 'period.paid',
        subject: { periodKey },
        summary: { payouts },
        at,
      });
      return { changed: true, body: { ...(await loadPeriodState(manager, tenantId, periodKey)), payouts } };
    });
  }

  /** The payroll file's rows of a paid period, read a page of statements at a time. */
  async payoutFile(tenantId: string, periodKey: string): Promise<AsyncIterable<PayoutRow>> {
    assertPeriodKey(periodKey);
    const state = await loadPeriodState(this.dataSource.manager, tenantId, periodKey);
    if (state.paidAt === null) {
      throw new CommissionError(
        'period-not-paid',
        `Period ${periodKey} has not been paid out (POST /v1/periods/${periodKey}/payout); there is no payroll file yet.`,
      );
    }
    const pages = readPayoutPages(this.dataSource.manager, tenantId, periodKey);
    return (async function* () {
      for await (const page of pages) yield* page;
    })();
  }
}
