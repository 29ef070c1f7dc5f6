import { ActivityKind } from '@pacer/contracts';
import { sampleActivity } from '../../test/activity-samples';
import { validateActivity } from './activity.validator';

function without(kind: ActivityKind, field: string): Record<string, unknown> {
  const { [field]: _, ...rest } = sampleActivity(kind);
  return rest;
}

describe("validateActivity: each kind's own fields", () => {
  it.each([
    ['call_logged', 'outcome'],
    ['call_logged', 'durationSec'],
    ['meeting_scheduled', 'meetingId'],
    ['meeting_scheduled', 'scheduledFor'],
    ['meeting_held', 'meetingId'],
    ['lead_created', 'leadId'],
    ['opportunity_created', 'opportunityId'],
    ['opportunity_created', 'amount'],
    ['opportunity_created', 'currency'],
    ['opportunity_stage_changed', 'opportunityId'],
    ['opportunity_stage_changed', 'toStage'],
    ['deal_won', 'dealId'],
    ['deal_won', 'opportunityId'],
    ['deal_won', 'amount'],
    ['deal_won', 'currency'],
    ['deal_lost', 'dealId'],
    ['deal_lost', 'opportunityId'],
    ['deal_cancelled', 'dealId'],
  ] as [ActivityKind, string][])('%s requires %s', (kind, field) => {
    expect(validateActivity(without(kind, field))).toMatchObject({ ok: false, errors: [{ path: field }] });
  });

  it.each([
    ['lead_created', 'source'],
    ['deal_won', 'openedAt'],
    ['deal_won', 'credits'],
    ['deal_won', 'products'],
    ['deal_lost', 'reason'],
    ['deal_cancelled', 'reason'],
  ] as [ActivityKind, string][])('%s may omit %s', (kind, field) => {
    expect(validateActivity(without(kind, field)).ok).toBe(true);
  });

  it('knows the three call outcomes', () => {
    for (const outcome of ['connected', 'voicemail', 'no_answer']) {
      expect(validateActivity({ ...sampleActivity('call_logged'), outcome }).ok).toBe(true);
    }
    expect(validateActivity({ ...sampleActivity('call_logged'), outcome: 'busy' })).toMatchObject({
      ok: false,
      errors: [{ path: 'outcome' }],
    });
  });

  it('takes durationSec as a whole number of seconds ≥ 0, and says so first when it is not a number', () => {
    expect(validateActivity({ ...sampleActivity('call_logged'), durationSec: 0 }).ok).toBe(true);
    for (const durationSec of [-1, 1.5, '60', null]) {
      expect(validateActivity({ ...sampleActivity('call_logged'), durationSec })).toMatchObject({
        ok: false,
        errors: [{ path: 'durationSec' }],
      });
    }
    expect(validateActivity({ ...sampleActivity('call_logged'), durationSec: '60' })).toMatchObject({
      errors: [{ path: 'durationSec', message: 'durationSec must be an integer number' }],
    });
  });

  it('bounds free text and requires a non-empty stage', () => {
    expect(validateActivity({ ...sampleActivity('opportunity_stage_changed'), toStage: '' })).toMatchObject({
      ok: false,
      errors: [{ path: 'toStage' }],
    });
    expect(validateActivity({ ...sampleActivity('deal_lost'), reason: 'x'.repeat(2001) })).toMatchObject({
      ok: false,
      errors: [{ path: 'reason' }],
    });
    expect(validateActivity({ ...sampleActivity('lead_created'), source: 5 })).toMatchObject({
      ok: false,
      errors: [{ path: 'source', message: expect.stringMatching(/^source must be a string/) }],
    });
  });

  it('checks product lines', () => {
    const deal = sampleActivity('deal_won');
    expect(validateActivity({ ...deal, products: [{ productId: 'p', quantity: 0 }] })).toMatchObject({
      ok: false,
      errors: [{ path: 'products.0.quantity' }],
    });
    expect(validateActivity({ ...deal, products: [{ quantity: 1 }] })).toMatchObject({
      ok: false,
      errors: [{ path: 'products.0.productId' }],
    });
    expect(validateActivity({ ...deal, products: [] }).ok).toBe(true);
  });
});
