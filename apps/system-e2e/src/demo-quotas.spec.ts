import { Decimal } from 'decimal.js';
import { DateTime } from 'luxon';
import { buildScenario } from '@pacer/api-client';
import { referenceKpis } from './reference';

// Scenario: the demo organisation as `npm start` seeds it (3000 activities). Its quotas must spread
// the closers over the plan's tiers instead of every one far above the top tier (7.9 and 12.3 before).
describe('demo quotas', () => {
  it('put every closer with real revenue in a quarter between 40 % and 160 % attainment', () => {
    const scenario = buildScenario({ tenantId: 'demo', now: DateTime.fromISO('2026-12-06T22:00:00Z'), activityCount: 3000 });
    const closers = new Set(scenario.assignments.map((a) => a.repId));
    const attainments = [...referenceKpis(scenario, []).values()]
      .filter((s) => s.scope === 'rep' && s.periodType === 'quarter' && closers.has(s.scopeId))
      .filter((s) => new Decimal(String(s.metrics.revenueWon)).greaterThanOrEqualTo(20000))
      .map((s) => s.metrics.quotaAttainment as number);
    expect(attainments.length).toBeGreaterThanOrEqual(closers.size);
    for (const a of attainments) {
      expect(a).toBeGreaterThanOrEqual(0.4);
      expect(a).toBeLessThanOrEqual(1.6);
    }
    // Spread across the tiers (below 1.00, 1.00-1.50), not bunched.
    expect(attainments.some((a) => a < 1)).toBe(true);
    expect(attainments.some((a) => a >= 1)).toBe(true);
  });
});
