import { Injectable } from '@nestjs/common';
import { Activity, PacerEvent, TOPICS } from '@pacer/contracts';
import { BatchContext, ConsumedMessage, ConsumerHandler } from '@pacer/messaging';
import { KafkaConsumer } from '@pacer/platform';
import { OpportunityActivity } from '../domain/opportunity/opportunity-state';
import { OpportunityActivitiesRepository } from './opportunity-activities.repository';

/** The opportunity facts of an activity, or undefined for kinds a board does not show. */
export function opportunityActivityOf(activity: Activity, delivery: { recorded: boolean; voided: boolean }): OpportunityActivity | undefined {
  const base = {
    activityId: activity.activityId,
    occurredAt: activity.occurredAt,
    occurredMs: Date.parse(activity.occurredAt),
    toStage: null,
    amount: null,
    expectedCloseDate: null,
    probability: null,
    ...delivery,
  };
  switch (activity.kind) {
    case 'opportunity_created':
    case 'opportunity_stage_changed':
      return {
        ...base,
        kind: activity.kind,
        opportunityId: activity.opportunityId,
        dealId: null,
        toStage: activity.kind === 'opportunity_stage_changed' ? activity.toStage : null,
        amount: activity.amount ?? null,
        expectedCloseDate: activity.expectedCloseDate ?? null,
        probability: activity.probability ?? null,
      };
    case 'deal_won':
    case 'deal_lost':
      return { ...base, kind: activity.kind, opportunityId: activity.opportunityId, dealId: activity.dealId };
    case 'deal_cancelled':
      return { ...base, kind: activity.kind, opportunityId: null, dealId: activity.dealId };
    default:
      return undefined;
  }
}

/**
 * Deal state for sprint items linked to opportunities (issue 17): the opportunity activities and
 * their voids, in the batch's transaction (offsets with them), in a group of its own so the KPI
 * snapshot consumer's lag never holds boards' deal state back or the other way round.
 */
@Injectable()
@KafkaConsumer({ topics: [TOPICS.activities], groupSuffix: 'opportunities' })
export class OpportunityActivityConsumer implements ConsumerHandler<PacerEvent> {
  constructor(private readonly activities: OpportunityActivitiesRepository) {}

  async handle(message: ConsumedMessage<PacerEvent>, ctx: BatchContext): Promise<void> {
    const event = message.event;
    let row: OpportunityActivity | undefined;
    if (event.type === 'pacer.activity.voided.v1') row = opportunityActivityOf(event.data.voidedActivity, { recorded: false, voided: true });
    else if (event.type.startsWith('pacer.activity.')) row = opportunityActivityOf(event.data as Activity, { recorded: true, voided: false });
    if (row) await this.activities.merge(ctx.manager, event.tenantid, row);
  }
}
