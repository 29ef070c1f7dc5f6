import { Injectable } from '@nestjs/common';
import { PacerEvent, TOPICS } from '@pacer/contracts';
import { BatchContext, ConsumedMessage, ConsumerHandler } from '@pacer/messaging';
import { KafkaConsumer } from '@pacer/platform';
import { isValidTimeZone } from '@pacer/sales-domain';
import { creditsOfDeal } from '../calculation/deal-credits';
import { DirtyStatements } from '../ledger/dirty-statements';
import { Recalculator } from '../ledger/recalculator';
import { BatchFacts } from './batch-facts';
import { pendingApprovalMessage, writeFacts } from '../ledger/fact-writer';

/**
 * Consumes activities (deal_won, deal_cancelled, voids) and the roster (tenant calendar, team
 * membership). A message only checks and buffers its fact; after the batch the facts are written
 * with one statement per kind, and every statement they touch is recalculated and its deltas
 * published — all in the batch's transaction, together with the consumer offsets.
 */
@Injectable()
@KafkaConsumer({ topics: [TOPICS.activities, TOPICS.roster] })
export class CommissionInputConsumer implements ConsumerHandler<PacerEvent> {
  private readonly batches = new WeakMap<BatchContext, BatchFacts>();

  constructor(private readonly recalculator: Recalculator) {}

  async handle({ event }: ConsumedMessage<PacerEvent>, ctx: BatchContext): Promise<void> {
    let facts = this.batches.get(ctx);
    if (facts === undefined) this.batches.set(ctx, (facts = new BatchFacts()));
    const tenantId = event.tenantid;
    switch (event.type) {
      case 'pacer.activity.deal_won.v1': {
        const d = event.data;
        const recorded = recordedBy(event);
        for (const c of creditsOfDeal(d.amount, d.repId, d.credits)) {
          facts.wins.push({
            tenantId,
            activityId: d.activityId,
            repId: c.repId,
            dealId: d.dealId,
            wonEventId: event.id,
            occurredAt: d.occurredAt,
            primaryRepId: d.repId,
            amount: d.amount,
            share: c.share,
            credit: c.credit,
            currency: d.currency,
            ...recorded,
            recordedAt: event.recordedtime,
          });
        }
        return;
      }
      case 'pacer.activity.deal_cancelled.v1':
        facts.cancellations.push({
          tenantId,
          activityId: event.data.activityId,
          dealId: event.data.dealId,
          repId: event.data.repId,
          eventId: event.id,
          occurredAt: event.data.occurredAt,
        });
        return;
      case 'pacer.activity.voided.v1':
        // Only the two kinds commission keeps facts of; voids of other activities change nothing here.
        if (event.data.voidedKind === 'deal_won' || event.data.voidedKind === 'deal_cancelled') {
          facts.voids.push({ tenantId, activityId: event.data.activityId, eventId: event.id });
        }
        return;
      case 'pacer.roster.settings_updated.v1':
        if (!isValidTimeZone(event.data.timezone)) {
          throw new Error(`unknown time zone ${event.data.timezone}: the tenant calendar cannot be applied`);
        }
        facts.settings.push({
          tenantId,
          timezone: event.data.timezone,
          weekStartsOn: event.data.weekStartsOn,
          fiscalYearStartMonth: event.data.fiscalYearStartMonth,
          dealsRequireApproval: flag((event.data as Record<string, unknown>)['dealsRequireApproval']),
          time: event.time,
          eventId: event.id,
        });
        return;
      case 'pacer.roster.member_joined.v1':
      case 'pacer.roster.member_role_changed.v1':
        facts.memberships.push({
          tenantId,
          teamId: event.data.teamId,
          repId: event.data.repId,
          kind: event.type === 'pacer.roster.member_joined.v1' ? 'joined' : 'role_changed',
          role: event.data.role,
          at: event.data.effectiveFrom,
          recordedAt: event.recordedtime,
          eventId: event.id,
        });
        return;
      case 'pacer.roster.member_left.v1':
        facts.memberships.push({
          tenantId,
          teamId: event.data.teamId,
          repId: event.data.repId,
          kind: 'left',
          role: null,
          at: event.data.effectiveTo,
          recordedAt: event.recordedtime,
          eventId: event.id,
        });
        return;
      default:
        return;
    }
  }

  async afterBatch(ctx: BatchContext): Promise<void> {
    const facts = this.batches.get(ctx);
    if (facts === undefined) return;
    this.batches.delete(ctx);
    const dirty = new DirtyStatements();
    const pending = await writeFacts(ctx.manager, facts, dirty);
    await this.recalculator.recalculate(ctx.manager, dirty, (messages) => ctx.publish(messages));
    if (pending.length > 0) await ctx.publish(pending.map(pendingApprovalMessage));
  }
}

/** The recording extensions of an activity event (SPEC §6), read tolerantly: absent on older events. */
function recordedBy(event: PacerEvent): { recordedBy: string | null; recordedRole: string | null } {
  const ext = event as unknown as Record<string, unknown>;
  const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
  return { recordedBy: text(ext['recordedby']), recordedRole: text(ext['recordedrole']) };
}

function flag(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}
