import { periodContaining, periodOfKey, periodsContaining, sprintWindow, TenantCalendar } from './calendar';

// America/Santiago springs forward at local midnight: on Sunday 2026-09-06 the clock goes from
// 23:59:59 (-04:00) straight to 01:00 (-03:00), so that day has no 00:00 and starts at 01:00.
describe('a DST gap at local midnight', () => {
  const santiago: TenantCalendar = { timezone: 'America/Santiago', weekStartsOn: 1, fiscalYearStartMonth: 9 };

  it('ends the gap day at the next local midnight, where the next day starts', () => {
    const gapDay = periodOfKey('day', '2026-09-06', santiago);
    const nextDay = periodOfKey('day', '2026-09-07', santiago);
    expect(gapDay).toMatchObject({ start: '2026-09-06T01:00:00-03:00', end: '2026-09-07T00:00:00-03:00' });
    expect(gapDay.end).toBe(nextDay.start);
    expect(Date.parse(gapDay.end) - Date.parse(gapDay.start)).toBe(23 * 3600_000);
  });

  it('starts and ends weeks, months, quarters and years that touch the gap at local midnight', () => {
    const periods = periodsContaining('2026-09-06T15:00:00Z', santiago);
    expect(periods.map((p) => [p.type, p.key, p.start, p.end])).toEqual([
      ['day', '2026-09-06', '2026-09-06T01:00:00-03:00', '2026-09-07T00:00:00-03:00'],
      ['week', '2026-W36', '2026-08-31T00:00:00-04:00', '2026-09-07T00:00:00-03:00'],
      ['month', '2026-09', '2026-09-01T00:00:00-04:00', '2026-10-01T00:00:00-03:00'],
      ['quarter', 'FY2027-Q1', '2026-09-01T00:00:00-04:00', '2026-12-01T00:00:00-03:00'],
      ['year', 'FY2027', '2026-09-01T00:00:00-04:00', '2027-09-01T00:00:00-04:00'],
    ]);
  });

  it('ends a sprint starting on the gap day at local midnight of its last day + 1', () => {
    expect(sprintWindow('s-1', '2026-09-06', 7, 'America/Santiago')).toEqual({
      type: 'sprint',
      key: 's-1',
      start: '2026-09-06T01:00:00-03:00',
      end: '2026-09-13T00:00:00-03:00',
    });
  });

  it('keeps the instant just after the gap day in the next day only', () => {
    const justAfter = '2026-09-07T03:30:00Z'; // 00:30 local on the 7th
    expect(periodContaining('day', justAfter, santiago).key).toBe('2026-09-07');
    const gapDay = periodOfKey('day', '2026-09-06', santiago);
    expect(Date.parse(justAfter) >= Date.parse(gapDay.end)).toBe(true);
  });
});
