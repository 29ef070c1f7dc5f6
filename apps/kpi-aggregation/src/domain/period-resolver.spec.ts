import { periodsContaining, TenantCalendar } from '@pacer/sales-domain';
import { PeriodResolver } from './period-resolver';

describe('the memoised period resolver', () => {
  it('gives the same keys as the calendar for every instant, in zones with odd offsets and DST', () => {
    const calendars: TenantCalendar[] = [
      { timezone: 'Asia/Kathmandu', weekStartsOn: 7, fiscalYearStartMonth: 4 },
      { timezone: 'Australia/Lord_Howe', weekStartsOn: 1, fiscalYearStartMonth: 7 },
      { timezone: 'America/Santiago', weekStartsOn: 1, fiscalYearStartMonth: 1 },
      { timezone: 'America/St_Johns', weekStartsOn: 3, fiscalYearStartMonth: 2 },
    ];
    for (const calendar of calendars) {
      const resolver = new PeriodResolver(calendar);
      // Every 23 minutes (so every quarter-hour offset comes round) over 4 days around the 2026 DST changes.
      for (const start of [Date.parse('2026-04-03T00:00:00Z'), Date.parse('2026-09-04T00:00:00Z'), Date.parse('2026-11-01T00:00:00Z')]) {
        for (let ms = start; ms < start + 4 * 86_400_000; ms += 23 * 60_000) {
          const expected = periodsContaining(new Date(ms).toISOString(), calendar).map((p) => p.key);
          expect(resolver.keysAt(ms)).toEqual(expected);
        }
      }
    }
  });
});
