import { Injectable } from '@nestjs/common';
import { CommissionError } from '../commission.error';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '@pacer/auth';
import { newEventId } from '@pacer/contracts';
import { enqueueOutbox } from '@pacer/messaging';
import { manualAdjustmentPosting } from '../calculation/manual-adjustment';
import { bookingPeriod } from '../calculation/prior-period';
import type { TimelineWindow } from '../calculation/rep-timeline';
import { deltaEvent, outboxMessage } from '../ledger/commission-delta.factory';
import { loadClosedPeriods, lockPeriodStates } from '../ledger/closed-periods.repository';
import { insertLedgerRows, MANUAL_ADJUSTMENT_KIND } from '../ledger/ledger-lines.repository';
import { lockReps } from '../ledger/rep-ledgers.repository';
import { repKey } from '../ledger/sql-rows';
import { applyLedgerChanges } from '../ledger/statements.repository';
import { DirtyStatements } from '../ledger/dirty-statements';
import { ledgerLineView } from '../ledger/ledger-line.view';
import { Recalculator } from '../ledger/recalculator';
import { loadRepContexts, RepContext, timelineOf } from '../ledger/rep-contexts';
import { ManualAdjustmentDto, ResolveDisputeDto } from './governance.dto';
import { ManualAdjustmentView, DisputeView, assertPeriodKey } from './governance.views';
import {
  governanceEvent,
  publishGovernanceEvents,
  auditGovernance,
  recalculateIn,
} from './governance-outbox';
import {
  insertDispute,
  ledgerLineExists,
  loadDispute,
  lockDispute,
  markDisputeResolved,
} from './governance.repository';

/** SPEC §6: manual adjustments and the disputes they may resolve. */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly recalculator: Recalculator,
  ) {}

  async adjust(principal: Principal, dto: ManualAdjustmentDto): Promise<ManualAdjustmentView> {
    assertPeriodKey(dto.periodKey, 'periodKey');
    return this.dataSource.transaction(async (manager) => {
      const result = await this.postManual(manager, principal, {
        repId: dto.repId,
        periodKey: dto.periodKey,
        amount: dto.amount,
        reason: dto.reason,
      });
      await auditGovernance(manager, principal, {
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
    await recalculateIn(this.recalculator, manager, dirty);

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
      const lineFound = await ledgerLineExists(manager, tenantId, repId, periodKey, lineId);
      if (!lineFound)
        throw CommissionError.notFound(`Line ${lineId} of the statement of ${repId} for ${periodKey}`);
      const disputeId = newEventId();
      const event = governanceEvent('pacer.commission.dispute_opened.v1', tenantId, {
        disputeId,
        repId,
        periodKey,
        lineId,
        comment,
      });
      await insertDispute(
        manager,
        { disputeId, tenantId, repId, periodKey, lineId, comment, openedBy: principal.subject },
        event,
      );
      await publishGovernanceEvents(manager, [event]);
      await auditGovernance(manager, principal, {
        type: 'dispute.opened',
        subject: { disputeId, repId, periodKey, lineId },
        summary: { comment },
      });
      return (await loadDispute(manager, tenantId, disputeId)) as DisputeView;
    });
  }

  async resolveDispute(
    principal: Principal,
    disputeId: string,
    dto: ResolveDisputeDto,
  ): Promise<DisputeView> {
    const tenantId = principal.tenantId;
    return this.dataSource.transaction(async (manager) => {
      const found = await lockDispute(manager, tenantId, disputeId);
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
      await markDisputeResolved(manager, tenantId, disputeId, {
        resolution: dto.resolution,
        adjustment,
        resolvedBy: principal.subject,
        event,
      });
      await publishGovernanceEvents(manager, [event]);
      await auditGovernance(manager, principal, {
        type: 'dispute.resolved',
        subject: { disputeId, repId: found.rep_id, periodKey: found.period_key },
        summary: { resolution: dto.resolution, adjustment: adjustment?.amount ?? null },
      });
      return (await loadDispute(manager, tenantId, disputeId)) as DisputeView;
    });
  }
}
