import { CrmMappings } from './crm.types';
import { DealContext, DealObservation, DealState, observeDeal } from './deal-state';
import { hubspotDefaultOutcome } from './hubspot.mapper';

const T0 = Date.parse('2026-11-26T09:00:00Z');
const T1 = Date.parse('2026-12-02T14:00:00Z');
const T2 = Date.parse('2026-12-03T10:00:00Z');

function ctx(users: Record<string, string> = { '31337': 'rep-ada' }, stages: CrmMappings['stages'] = new Map()): DealContext {
  return {
    vendor: 'hubspot',
    idPrefix: 'hs:62515:deal:1246965',
    dealId: '1246965',
    mappings: { users: new Map(Object.entries(users)), stages },
    defaultCurrency: 'USD',
    defaultOutcome: hubspotDefaultOutcome,
  };
}

function run(observations: DealObservation[], context = ctx(), start?: DealState) {
  let state = start;
  const all = [];
  for (const o of observations) {
    const r = observeDeal(state, o, context);
    state = r.state;
    all.push(r.outcome);
  }
  return { state: state as DealState, outcomes: all };
}

describe('a HubSpot deal from its property changes', () => {
  // HubSpot sends one event per property of one save, all at the same occurredAt; the intake merges them.
  const created: DealObservation[] = [
    { at: T0, createdAt: T0, owner: '31337', amount: '48000.00', stage: 'appointmentscheduled', closeDate: '2026-12-31' },
  ];

  it('records opportunity_created with the forecast fields and the first stage', () => {
    const { outcomes } = run(created);
    expect(outcomes[0]?.activities).toEqual([
      {
        activityId: 'hs:62515:deal:1246965:created',
        kind: 'opportunity_created',
        repId: 'rep-ada',
        occurredAt: '2026-11-26T09:00:00.000Z',
        opportunityId: '1246965',
        amount: '48000.00',
        currency: 'USD',
        expectedCloseDate: '2026-12-31',
      },
      {
        activityId: `hs:62515:deal:1246965:changed:${T0}`,
        kind: 'opportunity_stage_changed',
        repId: 'rep-ada',
        occurredAt: '2026-11-26T09:00:00.000Z',
        opportunityId: '1246965',
        toStage: 'appointmentscheduled',
        amount: '48000.00',
        expectedCloseDate: '2026-12-31',
      },
    ]);
  });

  it('records a later amount, close date or probability as a forecast update on the current stage', () => {
    const { outcomes } = run([...created, { at: T1, probability: '0.4', amount: '50000.00' }]);
    expect(outcomes[1]?.activities).toEqual([
      expect.objectContaining({ activityId: `hs:62515:deal:1246965:changed:${T1}`, toStage: 'appointmentscheduled', amount: '50000.00', probability: '0.4' }),
    ]);
  });

  it('does not replay a redelivered change once something newer is known (its content would differ)', () => {
    const { state } = run([...created, { at: T1, amount: '50000.00' }]);
    expect(observeDeal(state, created[0] as DealObservation, ctx()).outcome.activities).toEqual([]);
  });

  it('wins with the remembered owner, amount and currency; a redelivery implies the same activityId again', () => {
    const { state } = run(created);
    const won = observeDeal(state, { at: T1, stage: 'closedwon' }, ctx());
    expect(won.outcome.activities).toEqual([
      {
        activityId: `hs:62515:deal:1246965:won:${T1}`,
        kind: 'deal_won',
        repId: 'rep-ada',
        occurredAt: '2026-12-02T14:00:00.000Z',
        dealId: '1246965',
        opportunityId: '1246965',
        amount: '48000.00',
        currency: 'USD',
        openedAt: '2026-11-26T09:00:00.000Z',
      },
    ]);
    const again = observeDeal(won.state, { at: T1, stage: 'closedwon' }, ctx());
    expect(again.outcome.activities.map((a) => a.activityId)).toEqual([`hs:62515:deal:1246965:won:${T1}`]);
  });

  it('takes a won deal back with deal_cancelled when it is moved to an open stage later', () => {
    const { state } = run([...created, { at: T1, stage: 'closedwon' }]);
    const reopened = observeDeal(state, { at: T2, stage: 'contractsent' }, ctx());
    expect(reopened.outcome.activities.map((a) => a.kind)).toEqual(['deal_cancelled', 'opportunity_stage_changed']);
  });

  it('ignores a change older than what it knows (the current state wins)', () => {
    const { state } = run([...created, { at: T1, stage: 'closedwon' }]);
    const late = observeDeal(state, { at: T0 + 1, stage: 'qualifiedtobuy' }, ctx());
    expect(late.outcome.activities).toEqual([]);
    expect(late.state.facts.stage?.value).toBe('closedwon');
  });

  it('keeps a win of an unmapped owner pending and records it, with the opportunity, once the owner is mapped', () => {
    const unmapped = ctx({});
    const { state, outcomes } = run([...created, { at: T1, stage: 'closedwon' }], unmapped);
    expect(outcomes.at(-1)?.problem).toMatchObject({ reason: 'unmapped-user', crmUserId: '31337' });
    expect(outcomes.flatMap((o) => o.activities)).toEqual([]);
    const retried = observeDeal(state, {}, ctx());
    expect(retried.outcome.problem).toBeUndefined();
    expect(retried.outcome.activities.map((a) => a.kind)).toEqual([
      'opportunity_created',
      'opportunity_stage_changed',
      'deal_won',
    ]);
    expect(retried.state.pending).toEqual([]);
  });

  it('says a deal won without an amount is an exception, and wins it when the amount arrives', () => {
    const noAmount = run([{ at: T0, owner: '31337' }, { at: T1, stage: 'closedwon' }]);
    expect(noAmount.outcomes.at(-1)?.problem).toMatchObject({ reason: 'missing-amount' });
    const later = observeDeal(noAmount.state, { at: T2, amount: '900' }, ctx());
    expect(later.outcome.activities.map((a) => a.kind)).toEqual(['opportunity_created', 'deal_won']);
  });

  it('reads won and lost from the stage mapping of a custom pipeline', () => {
    const stages = new Map([['18743267', { pacerStage: 'Signed', outcome: 'won' as const }]]);
    const { outcomes } = run([...created, { at: T1, stage: '18743267' }], ctx(undefined, stages));
    expect(outcomes.at(-1)?.activities.map((a) => a.kind)).toEqual(['deal_won']);
  });
});
