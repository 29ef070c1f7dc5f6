import { OpportunityActivity, opportunityStateOf } from './opportunity-state';

let seq = 0;
function row(kind: OpportunityActivity['kind'], occurredAt: string, fields: Partial<OpportunityActivity> = {}): OpportunityActivity {
  seq += 1;
  return {
    activityId: `a${String(seq).padStart(3, '0')}`,
    kind,
    opportunityId: kind === 'deal_cancelled' ? null : 'o1',
    dealId: null,
    occurredAt,
    occurredMs: Date.parse(occurredAt),
    toStage: null,
    amount: null,
    expectedCloseDate: null,
    probability: null,
    recorded: true,
    voided: false,
    ...fields,
  };
}

describe('an opportunity on the sprint board', () => {
  const created = row('opportunity_created', '2026-11-02T09:00:00Z', { amount: '10000.00', expectedCloseDate: '2026-12-15', probability: '0.2' });
  const proposal = row('opportunity_stage_changed', '2026-11-10T09:00:00Z', { toStage: 'proposal', probability: '0.5' });
  const older = row('opportunity_stage_changed', '2026-11-05T09:00:00Z', { toStage: 'discovery', amount: '8000.00', expectedCloseDate: '2027-01-31' });

  it('shows the latest value of each field by occurredAt, whatever order the activities came in', () => {
    const want = { opportunityId: 'o1', stage: 'proposal', status: 'open', amount: '8000.00', expectedCloseDate: '2027-01-31', probability: '0.5' };
    expect(opportunityStateOf('o1', [created, proposal, older], [])).toEqual(want);
    expect(opportunityStateOf('o1', [older, proposal, created], [])).toEqual(want);
  });

  it('is won until the win is cancelled or voided, lost on a loss, and a voided stage change falls back to the one before', () => {
    const won = row('deal_won', '2026-11-20T09:00:00Z', { dealId: 'd1', amount: '9000.00' });
    const cancel = row('deal_cancelled', '2026-11-22T09:00:00Z', { dealId: 'd1' });
    expect(opportunityStateOf('o1', [created, won], [])?.status).toBe('won');
    expect(opportunityStateOf('o1', [created, won], [cancel])?.status).toBe('open');
    expect(opportunityStateOf('o1', [created, won], [{ ...cancel, voided: true }])?.status).toBe('won');
    expect(opportunityStateOf('o1', [created, { ...won, voided: true }], [])?.status).toBe('open');
    expect(opportunityStateOf('o1', [created, row('deal_lost', '2026-11-21T09:00:00Z', { dealId: 'd2' })], [])?.status).toBe('lost');
    expect(opportunityStateOf('o1', [created, older, { ...proposal, voided: true }], [])).toMatchObject({ stage: 'discovery', probability: '0.2' });
  });

  it('is unknown when only voids (or nothing) were seen', () => {
    expect(opportunityStateOf('o1', [], [])).toBeUndefined();
    expect(opportunityStateOf('o1', [{ ...created, recorded: false, voided: true }], [])).toBeUndefined();
  });
});
