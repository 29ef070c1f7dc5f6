import { DateTime } from 'luxon';
import { buildScenario, Scenario } from '@pacer/api-client';
import { referenceCommissions, referenceKpis, snapshotKey } from './reference';

// The oracle of the system tests must itself be right: SPEC §6's worked example, and KPI basics.
function workedExample(tierMode: 'graduated' | 'retroactive'): Scenario {
  const base = buildScenario({ tenantId: 't1', now: DateTime.fromISO('2026-11-27T12:00:00Z'), activityCount: 0 });
  const deal = (n: number, amount: string) => ({
    activityId: `d${n}`,
    kind: 'deal_won',
    repId: 'h1',
    occurredAt: `2026-11-1${n}T15:00:00Z`,
    dealId: `D${n}`,
    opportunityId: `o${n}`,
    amount,
    currency: 'USD',
  });
  return {
    ...base,
    plans: base.plans.map((p) => ({ ...p, body: { ...p.body, tierMode } })),
    assignments: [{ repId: 'h1', planId: 'ae-graduated', effectiveFrom: '2026-01-01' }],
    quotas: [{ repId: 'h1', periodKey: 'FY2027-Q4', amount: '100000.00' }],
    activities: [deal(3, '50000.00'), deal(1, '60000.00'), deal(2, '50000.00')],
    duplicates: [],
    voids: [],
    cancellations: [],
  };
}

describe('the system-test reference', () => {
  it('reproduces the SPEC worked example in graduated mode', () => {
    expect(referenceCommissions(workedExample('graduated'))).toEqual(new Map([['h1|FY2027-Q4', '11000.00']]));
  });

  it('reproduces the SPEC worked example in retroactive mode', () => {
    expect(referenceCommissions(workedExample('retroactive'))).toEqual(new Map([['h1|FY2027-Q4', '17000.00']]));
  });

  it('drops a cancelled deal and counts revenue for rep, team and org', () => {
    const s = workedExample('graduated');
    s.cancellations = [{ activityId: 'c1', kind: 'deal_cancelled', repId: 'h1', occurredAt: '2026-11-20T15:00:00Z', dealId: 'D3' }];
    expect(referenceCommissions(s).get('h1|FY2027-Q4')).toBe('6800.00'); // 3,000 + 2,800 + the SPIFF: 110% attainment
    const kpis = referenceKpis(s, []);
    expect(kpis.get(snapshotKey('rep', 'h1', 'quarter', 'FY2027-Q4'))?.metrics).toMatchObject({
      dealsWon: 2,
      revenueWon: '110000.00',
      quota: '100000.00',
      quotaAttainment: 1.1,
      avgDealSize: '55000.00',
    });
    expect(kpis.get(snapshotKey('team', 'hunters', 'month', '2026-11'))?.metrics).toMatchObject({ dealsWon: 2, revenueWon: '110000.00' });
    expect(kpis.get(snapshotKey('org', 't1', 'year', 'FY2027'))?.metrics).toMatchObject({ dealsWon: 2, winRate: 1, quota: null, quotaAttainment: null }); // quarterly quotas make no yearly one
  });

  it('builds a seeded scenario the same way every time', () => {
    const a = buildScenario({ tenantId: 't', now: DateTime.fromISO('2026-11-27T12:00:00Z'), activityCount: 200 });
    const b = buildScenario({ tenantId: 't', now: DateTime.fromISO('2026-11-27T12:00:00Z'), activityCount: 200 });
    expect(a).toEqual(b);
    expect(new Set(a.activities.map((x) => x.kind)).size).toBe(9);
  });
});
