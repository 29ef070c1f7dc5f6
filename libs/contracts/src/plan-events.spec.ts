import { EVENT_EXAMPLES } from './event-examples';
import { validateEventData } from './event-validator';
import { planBodyProblem, type PlanBody } from './plan-events';

const version = EVENT_EXAMPLES['pacer.plan.version_created.v1'];

// The plan of SPEC §6, verbatim.
const specPlan: PlanBody = {
  name: 'AE 2026',
  currency: 'USD',
  period: 'quarter',
  tiers: [
    { from: '0', rate: '0.05' },
    { from: '1.00', rate: '0.08' },
    { from: '1.50', rate: '0.10' },
  ],
  tierMode: 'graduated',
  cap: null,
  spiffs: [{ id: 'club', metric: 'quotaAttainment', threshold: '1.00', amount: '1000.00' }],
  clawbackDays: 90,
  effectiveFrom: '2026-01-01',
};

function check(
  data: unknown,
  type: 'pacer.plan.version_created.v1' | 'pacer.plan.quota_set.v1' = 'pacer.plan.version_created.v1',
) {
  return validateEventData(type, data, { tenantId: 'acme', mode: 'producer' });
}

describe('pacer.plan.version_created.v1', () => {
  it('carries the plan body of SPEC §6 with its id and version', () => {
    expect(check({ planId: 'plan-ae', version: 1, ...specPlan })).toEqual([]);
    expect(planBodyProblem(specPlan)).toBeUndefined();
  });

  it.each([
    [{ tiers: [{ from: '0.5', rate: '0.05' }] }, '/tiers/0/from', 'the first tier must start at 0'],
    [
      {
        tiers: [
          { from: '0', rate: '0.05' },
          { from: '1.0', rate: '0.08' },
          { from: '1.00', rate: '0.1' },
        ],
      },
      '/tiers/2/from',
      'tiers must be in strictly increasing order of from',
    ],
    [
      { spiffs: [specPlan.spiffs[0], { ...specPlan.spiffs[0], amount: '5.00' }] },
      '/spiffs/1/id',
      'must be unique within the plan',
    ],
  ])('rejects %j', (patch, path, message) => {
    expect(check({ ...version, ...patch })).toEqual([{ path, message }]);
  });

  it.each([
    [{ tiers: [] }, '/tiers'],
    [{ tierMode: 'stepped' }, '/tierMode'],
    [{ period: 'week' }, '/period'],
    [{ cap: 0 }, '/cap'],
    [{ clawbackDays: -1 }, '/clawbackDays'],
    [{ effectiveFrom: '2026-01-01T00:00:00Z' }, '/effectiveFrom'],
    [{ version: 0 }, '/version'],
    [{ spiffs: [{ ...specPlan.spiffs[0], metric: 'happiness' }] }, '/spiffs/0/metric'],
  ])('rejects %j', (patch, path) => {
    expect(check({ ...version, ...patch }).map((p) => p.path)).toEqual([path]);
  });

  it('accepts a money cap', () => {
    expect(check({ ...version, cap: '15000.00' })).toEqual([]);
  });
});

describe('pacer.plan.quota_set.v1', () => {
  it.each(['2026-11', 'FY2027-Q1', 'FY2027'])('accepts period key %s', (periodKey) => {
    expect(check({ repId: 'rep-ana', periodKey, amount: '100000.00' }, 'pacer.plan.quota_set.v1')).toEqual(
      [],
    );
  });

  it.each(['2026-W48', '2026-11-27', 'Q1-2027', 'FY27'])('rejects period key %s', (periodKey) => {
    expect(
      check({ repId: 'rep-ana', periodKey, amount: '100000.00' }, 'pacer.plan.quota_set.v1')[0].path,
    ).toBe('/periodKey');
  });
});
