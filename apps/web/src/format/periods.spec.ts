import { DateTime } from 'luxon';
import { currentPeriodKey, formatPeriodKey, recentPeriods } from './periods';

const demo = { timezone: 'America/New_York', weekStartsOn: 7, fiscalYearStartMonth: 2 };

describe('tenant periods', () => {
  const now = DateTime.fromISO('2026-11-27T03:30:00Z'); // Thursday 26 November in New York

  it('names the current period in the tenant calendar', () => {
    expect(currentPeriodKey('day', demo, now)).toBe('2026-11-26');
    expect(currentPeriodKey('week', demo, now)).toBe('2026-W47');
    expect(currentPeriodKey('month', demo, now)).toBe('2026-11');
    expect(currentPeriodKey('quarter', demo, now)).toBe('FY2027-Q4');
  });

  it('lists recent periods oldest first', () => {
    expect(recentPeriods('month', 3, demo, now).map((p) => p.key)).toEqual(['2026-09', '2026-10', '2026-11']);
  });

  it('names periods as people say them', () => {
    expect(formatPeriodKey('2026-11', 'en')).toBe('November 2026');
    expect(formatPeriodKey('2026-W47', 'en')).toBe('W47 2026');
    expect(formatPeriodKey('FY2027-Q4', 'en')).toBe('FY2027 Q4');
  });
});
