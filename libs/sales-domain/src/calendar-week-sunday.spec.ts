import { periodContaining, periodOfKey, TenantCalendar } from './calendar';

describe('weeks starting on Sunday', () => {
  const sunday: TenantCalendar = { timezone: 'UTC', weekStartsOn: 7, fiscalYearStartMonth: 1 };

  it('starts the week on the Sunday before', () => {
    // Friday 27 November 2026: its Sunday-week runs 22-28 November; week 1 of 2026 began Sunday 4 January.
    expect(periodContaining('week', '2026-11-27T12:00:00Z', sunday)).toEqual({
      type: 'week',
      key: '2026-W47',
      start: '2026-11-22T00:00:00Z',
      end: '2026-11-29T00:00:00Z',
    });
  });

  it('moves a Sunday into the next week compared with Monday weeks', () => {
    const sundayInstant = '2026-11-29T12:00:00Z';
    expect(periodContaining('week', sundayInstant, sunday).key).toBe('2026-W48');
    expect(periodContaining('week', sundayInstant, { ...sunday, weekStartsOn: 1 }).key).toBe('2026-W48');
    expect(periodContaining('week', '2026-11-28T12:00:00Z', sunday).key).toBe('2026-W47');
  });

  it('numbers the year-boundary week by the year of its fourth day', () => {
    // The Sunday-week of 27 Dec 2026 - 2 Jan 2027 has its Wednesday on 30 Dec: the last week of 2026.
    expect(periodContaining('week', '2027-01-01T00:00:00Z', sunday).key).toBe('2026-W52');
    expect(periodOfKey('week', '2027-W01', sunday).start).toBe('2027-01-03T00:00:00Z');
  });
});
