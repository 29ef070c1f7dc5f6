import { ActivityKind } from '@pacer/contracts';

/** A valid minimal-plus example of every kind (optional fields included), as a client would send it. */
export function sampleActivity(
  kind: ActivityKind,
  activityId = `act-${kind}`,
  repId = 'rep-1',
): Record<string, unknown> {
  const base = { activityId, kind, repId, occurredAt: '2026-11-27T09:30:00+01:00' };
  switch (kind) {
    case 'call_logged':
      return { ...base, outcome: 'connected', durationSec: 240 };
    case 'email_sent':
      return base;
    case 'meeting_scheduled':
      return { ...base, meetingId: 'm-1', scheduledFor: '2026-12-01T15:00:00Z' };
    case 'meeting_held':
      return { ...base, meetingId: 'm-1' };
    case 'lead_created':
      return { ...base, leadId: 'l-1', source: 'webinar' };
    case 'opportunity_created':
      return { ...base, opportunityId: 'o-1', amount: '25000', currency: 'USD' };
    case 'opportunity_stage_changed':
      return { ...base, opportunityId: 'o-1', toStage: 'negotiation' };
    case 'deal_won':
      return {
        ...base,
        dealId: 'd-1',
        opportunityId: 'o-1',
        amount: '48000.5',
        currency: 'EUR',
        openedAt: '2026-10-01T08:00:00Z',
        credits: [
          { repId, share: '0.50' },
          { repId: 'rep-2', share: '0.5' },
        ],
        products: [{ productId: 'p-1', quantity: 2, amount: '24000' }],
      };
    case 'deal_lost':
      return { ...base, dealId: 'd-2', opportunityId: 'o-2', reason: 'budget' };
    case 'deal_cancelled':
      return { ...base, dealId: 'd-1', reason: 'churn before go-live' };
  }
}
