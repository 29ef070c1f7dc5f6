import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource } from 'typeorm';
import { hasRole, Principal } from '@pacer/auth';
import { lockReps } from '../ledger/rep-ledgers.repository';
import { DirtyStatements } from '../ledger/dirty-statements';
import { Recalculator } from '../ledger/recalculator';
import { statementApprovers } from './statement-approver';
import { DealView } from './governance.views';
import {
  governanceEvent,
  publishGovernanceEvents,
  auditGovernance,
  recalculateIn,
} from './governance-outbox';
import { dealCreditRecords, insertDealDecision, loadDealView } from './governance.repository';
import { loadRepTeamIntervals } from '../ledger/team-membership-events.repository';

/** SPEC §6: approving or rejecting deals held for approval. */
@Injectable()
export class DealApprovalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recalculator: Recalculator,
  ) {}

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
      const records = await dealCreditRecords(manager, tenantId, dealId);
      const primary = records.find((r) => r.rep_id === r.primary_rep_id) ?? records[0];
      if (primary === undefined) throw CommissionError.notFound(`Deal ${dealId}`);
      await lockReps(
        manager,
        [...new Set(records.map((r) => r.rep_id))].map((repId) => ({ tenantId, repId })),
      );
      if (!hasRole(principal, 'admin')) {
        const intervals = await loadRepTeamIntervals(manager, tenantId, primary.primary_rep_id);
        const approvers = statementApprovers(intervals, primary.primary_rep_id, Date.now() + 1);
        if (!approvers.has(principal.repId ?? principal.subject)) {
          throw new CommissionError(
            'forbidden',
            `Only an admin or the manager of rep ${primary.primary_rep_id}'s team decides on deal ${dealId}.`,
          );
        }
      }
      const existing = await loadDealView(manager, tenantId, dealId);
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
      await insertDealDecision(manager, tenantId, dealId, decision, principal.subject, reason, event);
      await publishGovernanceEvents(manager, [event]);
      if (decision === 'approved') {
        const dirty = new DirtyStatements();
        for (const r of records) {
          dirty.touchInstant(tenantId, r.rep_id, Date.parse(r.occurred_text));
          dirty.addCause(event.id, tenantId, r.rep_id);
        }
        await recalculateIn(this.recalculator, manager, dirty);
      }
      await auditGovernance(manager, principal, {
        type: decision === 'approved' ? 'deal.approved' : 'deal.rejected',
        subject: { dealId, repId: primary.primary_rep_id },
        summary: reason !== undefined ? { reason } : {},
      });
      return { changed: true, body: (await loadDealView(manager, tenantId, dealId)) as DealView };
    });
  }
}
