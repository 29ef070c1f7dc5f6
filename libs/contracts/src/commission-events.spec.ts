import { EVENT_EXAMPLES } from './event-examples';
import { eventTypesOf, type EventType } from './event-registry';
import { validateEventData } from './event-validator';
import { TOPICS } from './topics';

function check(type: EventType, patch: Record<string, unknown>) {
  return validateEventData(
    type,
    { ...EVENT_EXAMPLES[type], ...patch },
    { tenantId: 'acme', mode: 'producer' },
  );
}

const DELTAS = eventTypesOf(TOPICS.commissions);

describe('commission ledger deltas', () => {
  it('are the five delta types of SPEC §6', () => {
    expect(DELTAS).toEqual([
      'pacer.commission.earned.v1',
      'pacer.commission.adjusted.v1',
      'pacer.commission.spiff_awarded.v1',
      'pacer.commission.cap_applied.v1',
      'pacer.commission.clawed_back.v1',
    ]);
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
