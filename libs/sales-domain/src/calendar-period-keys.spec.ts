import { DEFAULT_CALENDAR, periodContaining, periodOfKey, periodsContaining, TenantCalendar } from './calendar';

// The SPEC §5 example keys: 2026-11-27 in a tenant whose fiscal year starts in November.
describe('period keys of every type', () => {
  const calendar: TenantCalendar = { timezone: 'America/New_York', weekStartsOn: 1, fiscalYearStartMonth: 11 };

  it('names the day, ISO week, month, fiscal quarter and fiscal year of an instant', () => {
    const keys = periodsContaining('2026-11-27T15:00:00Z', calendar).map((p) => `${p.type}:${p.key}`);
    expect(keys).toEqual(['day:2026-11-27', 'week:2026-W48', 'month:2026-11', 'quarter:FY2027-Q1', 'year:FY2027']);
  });

  it('gives windows in the tenant zone with its offset', () => {
    expect(periodContaining('day', '2026-11-27T15:00:00Z', calendar)).toEqual({
      type: 'day',
      key: '2026-11-27',
      start: '2026-11-27T00:00:00-05:00',
      end: '2026-11-28T00:00:00-05:00',
    });
    expect(periodContaining('quarter', '2026-11-27T15:00:00Z', calendar)).toMatchObject({
      start: '2026-11-01T00:00:00-04:00',
      end: '2027-02-01T00:00:00-05:00',
    });
  });

  it('round-trips every key back to its window', () => {
    for (const p of periodsContaining('2026-11-27T15:00:00Z', calendar)) {
      expect(periodOfKey(p.type as 'day', p.key, calendar)).toEqual(p);
    }
  });

  it('names a calendar fiscal year by its own year', () => {
    expect(periodContaining('quarter', '2026-05-10T12:00:00Z', DEFAULT_CALENDAR).key).toBe('FY2026-Q2');
    expect(periodContaining('year', '2026-12-31T23:59:59Z', DEFAULT_CALENDAR).key).toBe('FY2026');
  });

  it('rejects keys that name nothing', () => {
    expect(() => periodOfKey('day', '2026-02-30', DEFAULT_CALENDAR)).toThrow('is not a day');
    // 2026 starts on a Thursday and has an ISO week 53; 2025 does not.
    expect(periodOfKey('week', '2026-W53', DEFAULT_CALENDAR).start).toBe('2026-12-28T00:00:00Z');
    expect(() => periodOfKey('week', '2025-W53', DEFAULT_CALENDAR)).toThrow();
    expect(() => periodOfKey('month', 'FY2026', DEFAULT_CALENDAR)).toThrow();
    expect(() => periodOfKey('day', '2026-01-01', { ...DEFAULT_CALENDAR, timezone: 'Mars/Olympus' })).toThrow('unknown time zone');
  });
});
