import Decimal from 'decimal.js';
import { behindPace, behindPaceNotification, PACED_METRICS } from './pace';

describe('behind pace at the midpoint (actual / target < 0.8 × 0.5)', () => {
  it('flags a target below 40 % done and not one at exactly 40 %', () => {
    const behind = behindPace({ calls: 50, emails: 10 }, { calls: 19, emails: 4 });
    expect(behind.map((b) => [b.metric, b.actual, b.target, b.ratio])).toEqual([['calls', '19', '50', '0.38']]);
  });

  it('counts a rep without any KPI snapshot as having done nothing', () => {
    expect(behindPace({ meetingsHeld: 3 }, undefined).map((b) => b.metric)).toEqual(['meetingsHeld']);
  });

  it('compares money exactly, as decimal strings', () => {
    expect(behindPace({ revenueWon: '10000.00' }, { revenueWon: '3999.99' })).toHaveLength(1);
    expect(behindPace({ revenueWon: '10000.00' }, { revenueWon: '4000.00' })).toHaveLength(0);
  });

  it('ignores zero targets, ratios and point-in-time metrics', () => {
    expect(behindPace({ calls: 0, winRate: 0.5, connectRate: 0.3, quota: 1000, forecastPipeline: '100.00' }, { winRate: 0 })).toEqual([]);
    expect(PACED_METRICS).not.toContain('winRate');
    expect(PACED_METRICS).toContain('revenueWon');
  });

  it('scales with the elapsed share when asked for another moment', () => {
    expect(behindPace({ calls: 100 }, { calls: 70 }, new Decimal(1))).toHaveLength(1);
    expect(behindPace({ calls: 100 }, { calls: 70 }, new Decimal('0.5'))).toHaveLength(0);
  });

  it('says who, what and how far behind in one line', () => {
    const [item] = behindPace({ revenueWon: '20000.00' }, { revenueWon: '5000.00' });
    const n = behindPaceNotification(item!, {
      tenantId: 't1',
      sprintId: 's1',
      team: { id: 'team-a', name: 'Hunters' },
      rep: { id: 'r1', name: 'Ada' },
      midpointAt: '2026-12-03T12:00:00.000Z',
      currency: 'USD',
    });
    expect(n.title).toBe("Ada is behind pace at the sprint's midpoint: revenueWon 5,000.00 USD of 20,000.00 USD (25 %)");
    expect(n.teams).toEqual([{ id: 'team-a', name: 'Hunters' }]);
  });
});
