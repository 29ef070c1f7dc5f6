import { KpiMetrics } from '@pacer/contracts';
import { sprintDays } from '../calendar/sprint-calendar';
import { buildBurnup, burnupMetrics } from './sprint-burnup';
import { zeroMetrics } from './sprint-metrics';

// Scenario: a 4-day sprint; Ana is a member throughout, Bo joins on day 3. Daily KPI snapshots are
// summed cumulatively per rep and for the team; Bo's activity before joining does not count.
describe('sprint burnup from daily snapshots', () => {
  const days = sprintDays('2026-11-23', 4, 'UTC');
  const daily: Record<string, Record<string, Partial<KpiMetrics>>> = {
    ana: { '2026-11-23': { calls: 3, revenueWon: '100.10' }, '2026-11-25': { calls: 2, revenueWon: '0.20' } },
    bo: { '2026-11-23': { calls: 50 }, '2026-11-25': { calls: 4 } },
  };

  it('accumulates additive target metrics per day, per rep and for the team', () => {
    const burnup = buildBurnup({
      metrics: burnupMetrics([{ calls: 10, winRate: 0.5 }, { revenueWon: 500 }]),
      days,
      repIds: ['ana', 'bo'],
      memberships: [
        { repId: 'ana', name: 'Ana', role: 'AE', from: '2026-01-01T00:00:00.000Z' },
        { repId: 'bo', name: 'Bo', role: 'AE', from: '2026-11-25T12:00:00.000Z' },
      ],
      daily: (repId, date) => {
        const m = daily[repId]?.[date];
        return m ? { ...zeroMetrics(), ...m } : undefined;
      },
      targets: () => true,
    });
    expect(burnup.metrics).toEqual(['calls', 'revenueWon']);
    expect(burnup.days.map((d) => [d.date, d.team, d.reps['ana'], d.reps['bo']])).toEqual([
      [
        '2026-11-23',
        { calls: 3, revenueWon: '100.10' },
        { calls: 3, revenueWon: '100.10' },
        { calls: 0, revenueWon: '0.00' },
      ],
      [
        '2026-11-24',
        { calls: 3, revenueWon: '100.10' },
        { calls: 3, revenueWon: '100.10' },
        { calls: 0, revenueWon: '0.00' },
      ],
      [
        '2026-11-25',
        { calls: 9, revenueWon: '100.30' },
        { calls: 5, revenueWon: '100.30' },
        { calls: 4, revenueWon: '0.00' },
      ],
      [
        '2026-11-26',
        { calls: 9, revenueWon: '100.30' },
        { calls: 5, revenueWon: '100.30' },
        { calls: 4, revenueWon: '0.00' },
      ],
    ]);
  });
});
