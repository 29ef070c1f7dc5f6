import { KpiMetrics } from '@pacer/contracts';
import { sprintDays } from '../calendar/sprint-calendar';
import { buildBurnup } from './sprint-burnup';
import { zeroMetrics } from './sprint-metrics';

// Scenario: Ana targets calls, Bo targets only revenue, the manager Max targets nothing. All three
// make calls. The team's calls series counts Ana alone, like the team line it is drawn against;
// each rep's own series still shows that rep's calls.
describe('sprint burnup team series follows the team line', () => {
  const days = sprintDays('2026-11-23', 2, 'UTC');
  const calls: Record<string, number[]> = { ana: [3, 2], bo: [4, 1], max: [10, 10] };
  const targets: Record<string, string[]> = { ana: ['calls'], bo: ['revenueWon'], max: [] };

  it('sums only the reps that target the metric', () => {
    const burnup = buildBurnup({
      metrics: ['calls', 'revenueWon'],
      days,
      repIds: ['ana', 'bo', 'max'],
      memberships: ['ana', 'bo', 'max'].map((repId) => ({
        repId,
        name: repId,
        role: repId === 'max' ? ('MANAGER' as const) : ('AE' as const),
        from: '2026-01-01T00:00:00.000Z',
      })),
      daily: (repId, date): KpiMetrics => ({
        ...zeroMetrics(),
        calls: calls[repId]?.[date === days[0]?.date ? 0 : 1] ?? 0,
      }),
      targets: (repId, metric) => targets[repId]?.includes(metric) ?? false,
    });
    expect(burnup.days.map((d) => d.team)).toEqual([
      { calls: 3, revenueWon: '0.00' },
      { calls: 5, revenueWon: '0.00' },
    ]);
    expect(burnup.days.map((d) => [d.reps['bo']?.calls, d.reps['max']?.calls])).toEqual([
      [4, 10],
      [5, 20],
    ]);
  });
});
