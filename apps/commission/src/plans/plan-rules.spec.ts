import type { PlanBody } from '@pacer/contracts';
import { AE_2026 } from '../../test/calculation-fixtures';
import { planRuleProblems } from './plan-rules';

describe('plan validation beyond shape', () => {
  it('accepts the SPEC example plan', () => {
    expect(planRuleProblems(AE_2026)).toEqual([]);
  });

  it('names every broken rule with a dotted path', () => {
    const bad = {
      ...AE_2026,
      currency: 'XYZ',
      effectiveFrom: '2026-02-30',
      tiers: [
        { from: '0', rate: '0.05' },
        { from: '1.50', rate: '1.2' },
        { from: '1.00', rate: '0.10' },
      ],
      spiffs: [
        { id: 'a', metric: 'calls', threshold: '100', amount: '50.00' },
        { id: 'b', metric: 'pipelineValue', threshold: '1', amount: '50.00' },
      ],
    } as unknown as PlanBody;
    expect(planRuleProblems(bad)).toEqual([
      { path: 'currency', message: 'XYZ is not an ISO 4217 currency code' },
      { path: 'effectiveFrom', message: '2026-02-30 is not a calendar date' },
      { path: 'tiers.1.rate', message: 'must be between 0 and 1' },
      {
        path: 'spiffs.0.metric',
        message:
          "SPIFFs on calls are not supported: commission computes quotaAttainment, revenueWon, dealsWon from the rep's credited deals",
      },
      { path: 'spiffs.1.metric', message: expect.stringContaining('pipelineValue is not a KPI metric') },
      { path: 'tiers.2.from', message: 'tiers must be in strictly increasing order of from' },
    ]);
  });

  it('requires the first tier to start at 0 and SPIFF ids to be unique', () => {
    expect(planRuleProblems({ ...AE_2026, tiers: [{ from: '0.1', rate: '0.05' }] })).toEqual([
      { path: 'tiers.0.from', message: 'the first tier must start at 0' },
    ]);
    const twice = { id: 'x', metric: 'dealsWon' as const, threshold: '3', amount: '100.00' };
    expect(planRuleProblems({ ...AE_2026, spiffs: [twice, twice] })).toEqual([
      { path: 'spiffs.1.id', message: 'must be unique within the plan' },
    ]);
  });
});
