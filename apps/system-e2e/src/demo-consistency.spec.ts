import { DateTime } from 'luxon';
import { buildScenario } from '@pacer/api-client';
import { referenceKpis } from './reference';

// Scenario: the demo organisation as `npm start` seeds it. Its consistency view must show something
// true on first start: one rep steady near 90 %, one swinging between 150 % and 40 %.
describe('demo attainment histories', () => {
  it('give h1 six ended months near 90 % and h2 six alternating 150 % / 40 %', () => {
    const now = DateTime.fromISO('2026-12-06T22:00:00Z');
    const scenario = buildScenario({ tenantId: 'demo', now, activityCount: 3000 });
    const monthly = (repId: string): [string, unknown][] =>
      [...referenceKpis(scenario, []).values()]
        .filter((s) => s.scope === 'rep' && s.scopeId === repId && s.periodType === 'month' && s.metrics.quota !== null)
        .filter((s) => s.periodKey < '2026-11')
        .sort((a, b) => (a.periodKey < b.periodKey ? -1 : 1))
        .map((s) => [s.periodKey, s.metrics.quotaAttainment]);
    expect(monthly('h1')).toEqual([
      ['2026-05', 0.9],
      ['2026-06', 0.92],
      ['2026-07', 0.88],
      ['2026-08', 0.91],
      ['2026-09', 0.89],
      ['2026-10', 0.9],
    ]);
    expect(monthly('h2').map(([, a]) => a)).toEqual([1.5, 0.4, 1.5, 0.4, 1.5, 0.4]);
    // The opportunities carry forecast fields, so the forecast shows on first start too.
    expect(scenario.activities.some((a) => a.kind === 'opportunity_created' && a['expectedCloseDate'] !== undefined)).toBe(true);
    expect(scenario.activities.some((a) => a.kind === 'opportunity_stage_changed' && a['probability'] !== undefined)).toBe(true);
  });
});
