import { periodContaining, periodOfKey, sprintWindow, TenantCalendar } from './calendar';

describe('DST transitions and local midnight', () => {
  const berlin: TenantCalendar = { timezone: 'Europe/Berlin', weekStartsOn: 1, fiscalYearStartMonth: 1 };

  it('puts activities one minute either side of local midnight on different days', () => {
    // 23:59 and 00:01 Berlin time on the night of 26/27 November (UTC+1).
    expect(periodContaining('day', '2026-11-26T22:59:00Z', berlin).key).toBe('2026-11-26');
    expect(periodContaining('day', '2026-11-26T23:01:00Z', berlin).key).toBe('2026-11-27');
    expect(periodContaining('month', '2026-11-30T23:01:00Z', berlin).key).toBe('2026-12');
  });

  it('makes the spring-forward day 23 hours long', () => {
    const day = periodOfKey('day', '2026-03-29', berlin);
    expect(day).toMatchObject({ start: '2026-03-29T00:00:00+01:00', end: '2026-03-30T00:00:00+02:00' });
    expect(Date.parse(day.end) - Date.parse(day.start)).toBe(23 * 3600_000);
  });

  it('keeps a sprint across the autumn change ending at local midnight', () => {
    const sprint = sprintWindow('s-1', '2026-10-19', 14, 'Europe/Berlin');
    expect(sprint).toEqual({ type: 'sprint', key: 's-1', start: '2026-10-19T00:00:00+02:00', end: '2026-11-02T00:00:00+01:00' });
    expect(Date.parse(sprint.end) - Date.parse(sprint.start)).toBe((14 * 24 + 1) * 3600_000);
  });

  it('reads an instant given with any offset in the tenant zone', () => {
    expect(periodContaining('day', '2026-11-27T00:30:00+01:00', { ...berlin, timezone: 'America/Los_Angeles' }).key).toBe('2026-11-26');
  });
});
