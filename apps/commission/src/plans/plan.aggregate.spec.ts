import type { PlanVersionCreatedData } from '@pacer/contracts';
import { AE_2026 } from '../../test/calculation-fixtures';
import { PlanAggregate, RepPlanAggregate } from './plan.aggregate';

describe('plan and rep-plan aggregates', () => {
  it('versions a plan only when its body changes, and replays to the same state', () => {
    const plan = new PlanAggregate('ae');
    const v1 = plan.createVersion(AE_2026);
    expect(v1).toMatchObject({ planId: 'ae', version: 1, tierMode: 'graduated' });
    expect(plan.createVersion(AE_2026)).toBeUndefined();
    const v2 = plan.createVersion({ ...AE_2026, cap: '20000.00' });
    expect(v2?.version).toBe(2);
    const replayed = new PlanAggregate('ae').loadFromHistory([
      { type: 'pacer.plan.version_created.v1', data: v1 as PlanVersionCreatedData },
    ]);
    expect(replayed.loadedVersion).toBe(1);
    expect(replayed.latest).toEqual(v1);
  });

  it('records an assignment per date and a quota per period, ignoring repeats', () => {
    const rep = new RepPlanAggregate('r1').loadFromHistory([
      { type: 'pacer.plan.assigned.v1', data: { repId: 'r1', planId: 'ae', effectiveFrom: '2026-01-01' } },
      { type: 'pacer.plan.quota_set.v1', data: { repId: 'r1', periodKey: 'FY2026-Q1', amount: '100000.00' } },
    ]);
    expect(rep.assign('ae', '2026-01-01')).toBeUndefined();
    expect(rep.assign('ae', '2026-04-01')).toEqual({
      repId: 'r1',
      planId: 'ae',
      effectiveFrom: '2026-04-01',
    });
    expect(rep.setQuota('FY2026-Q1', '100000.00')).toBeUndefined();
    expect(rep.setQuota('FY2026-Q1', '120000.00')).toEqual({
      repId: 'r1',
      periodKey: 'FY2026-Q1',
      amount: '120000.00',
    });
    expect(rep.loadedVersion).toBe(2);
  });
});
