import { EVENT_EXAMPLES } from './event-examples';
import { COMMISSION_DELTA_TYPES, isCommissionDelta } from './commission-events';
import { definitionOf, eventTypesOf, type EventType } from './event-registry';
import { validateEventData } from './event-validator';
import { TOPICS } from './topics';

function check(type: EventType, patch: Record<string, unknown>) {
  return validateEventData(
    type,
    { ...EVENT_EXAMPLES[type], ...patch },
    { tenantId: 'acme', mode: 'producer' },
  );
}

const DELTAS = eventTypesOf(TOPICS.commissions).filter(isCommissionDelta);

describe('commission ledger deltas', () => {
  it('are the seven delta types of SPEC §6 (governance adds prior-period and manual adjustments)', () => {
    expect(DELTAS).toEqual([
      'pacer.commission.earned.v1',
      'pacer.commission.adjusted.v1',
      'pacer.commission.spiff_awarded.v1',
      'pacer.commission.cap_applied.v1',
      'pacer.commission.clawed_back.v1',
      'pacer.commission.prior_period_adjusted.v1',
      'pacer.commission.manually_adjusted.v1',
    ]);
    expect(COMMISSION_DELTA_TYPES).toEqual(DELTAS);
  });

  it('leaves the governance events out of the delta sum, and says so in their schemas', () => {
    const others = eventTypesOf(TOPICS.commissions).filter((t) => !isCommissionDelta(t));
    expect(others).toHaveLength(9);
    for (const type of others) expect(definitionOf(type).schema.description).toContain('Not a ledger delta');
    expect(check('pacer.commission.payout.v1', {})).toEqual([]);
  });

  it('cites the closed period on a prior-period adjustment', () => {
    expect(check('pacer.commission.prior_period_adjusted.v1', { closedPeriodKey: undefined })[0].path).toBe(
      '/closedPeriodKey',
    );
  });

  it.each(DELTAS.map((t) => [t]))('%s carries a signed amount and its sources', (type) => {
    expect(check(type, { amount: '-1250.50' })).toEqual([]);
    expect(check(type, { amount: '12.345' })[0].path).toBe('/amount');
    expect(check(type, { sourceEventIds: [] })[0].path).toBe('/sourceEventIds');
    expect(check(type, { periodKey: '2026-W48' })[0].path).toBe('/periodKey');
    expect(check(type, { planVersion: 0 })[0].path).toBe('/planVersion');
    expect(check(type, { note: 'no quota for FY2027-Q1: first tier rate' })).toEqual([]);
  });

  it('need a deal for earned and clawed-back lines only', () => {
    expect(check('pacer.commission.earned.v1', { dealId: undefined })[0]).toEqual({
      path: '/dealId',
      message: 'is required',
    });
    expect(check('pacer.commission.clawed_back.v1', { dealId: undefined })[0].path).toBe('/dealId');
    expect(check('pacer.commission.spiff_awarded.v1', { dealId: 'deal-17' })).toEqual([]);
  });
});
