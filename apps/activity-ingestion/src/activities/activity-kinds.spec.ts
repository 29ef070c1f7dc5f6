import { ACTIVITY_KINDS, validateEventData, activityEventType } from '@pacer/contracts';
import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

describe('validateActivity: every kind of SPEC §3 is accepted and normalised', () => {
  it.each(ACTIVITY_KINDS)('%s', (kind) => {
    const result = validateActivity(sampleActivity(kind));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    // What is accepted is exactly what the published contract allows.
    expect(
      validateEventData(activityEventType(kind), result.activity, { tenantId: 't', mode: 'producer' }),
    ).toEqual([]);
    expect(result.activity.kind).toBe(kind);
  });

  it('writes money with two fraction digits and shares in their shortest form', () => {
    const result = validateActivity(sampleActivity('deal_won'));
    expect(result).toEqual({
      ok: true,
      activity: {
        activityId: 'act-deal_won',
        kind: 'deal_won',
        repId: 'rep-1',
        occurredAt: '2026-11-27T09:30:00+01:00',
        opportunityId: 'o-1',
        dealId: 'd-1',
        amount: '48000.50',
        currency: 'EUR',
        openedAt: '2026-10-01T08:00:00Z',
        credits: [
          { repId: 'rep-1', share: '0.5' },
          { repId: 'rep-2', share: '0.5' },
        ],
        products: [{ productId: 'p-1', quantity: 2, amount: '24000.00' }],
      },
    });
  });

  it('treats null on an optional field as absent', () => {
    const result = validateActivity({ ...sampleActivity('lead_created'), source: null });
    expect(result.ok && result.activity).toEqual({
      activityId: 'act-lead_created',
      kind: 'lead_created',
      repId: 'rep-1',
      occurredAt: '2026-11-27T09:30:00+01:00',
      leadId: 'l-1',
    });
  });
});
