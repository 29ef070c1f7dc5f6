import { isWithin } from '@pacer/sales-domain';
import { sprintDays, sprintWindowOf } from './sprint-calendar';

// Scenario: a Berlin team's sprint spans the spring DST change (29 March 2026, 02:00 → 03:00), and a
// New York team's the autumn one (1 November 2026, 02:00 → 01:00). A sprint is whole local days.
describe('sprint window boundaries across a DST change', () => {
  it('spans local midnight to local midnight, one hour short in spring', () => {
    const w = sprintWindowOf('s', '2026-03-23', 7, 'Europe/Berlin');
    expect(w).toMatchObject({ start: '2026-03-23T00:00:00+01:00', end: '2026-03-30T00:00:00+02:00' });
    expect((Date.parse(w.end) - Date.parse(w.start)) / 3_600_000).toBe(7 * 24 - 1);
    // the last local minute counts, local midnight after the sprint does not
    expect(isWithin('2026-03-29T21:59:59Z', w)).toBe(true);
    expect(isWithin('2026-03-29T22:00:00Z', w)).toBe(false);
    // the first local minute counts, the minute before does not (23:00 UTC the day before)
    expect(isWithin('2026-03-22T23:00:00Z', w)).toBe(true);
    expect(isWithin('2026-03-22T22:59:59Z', w)).toBe(false);
  });

  it('gives 23- and 25-hour days on the change days, keyed by local date', () => {
    const spring = sprintDays('2026-03-23', 7, 'Europe/Berlin');
    expect(spring.map((d) => d.date)).toEqual([
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-28',
      '2026-03-29',
    ]);
    expect(spring[6]).toEqual({
      date: '2026-03-29',
      start: '2026-03-29T00:00:00+01:00',
      end: '2026-03-30T00:00:00+02:00',
    });
    const autumn = sprintDays('2026-10-29', 7, 'America/New_York');
    const nov1 = autumn.find((d) => d.date === '2026-11-01')!;
    expect((Date.parse(nov1.end) - Date.parse(nov1.start)) / 3_600_000).toBe(25);
    const w = sprintWindowOf('s', '2026-10-29', 7, 'America/New_York');
    expect(w).toMatchObject({ start: '2026-10-29T00:00:00-04:00', end: '2026-11-05T00:00:00-05:00' });
    // 00:30 local on 5 November is already the next sprint; 23:30 on the 4th is still this one
    expect(isWithin('2026-11-05T05:30:00Z', w)).toBe(false);
    expect(isWithin('2026-11-05T04:30:00Z', w)).toBe(true);
  });

  it('places the same dates at other instants for a tenant in another zone', () => {
    const utc = sprintWindowOf('s', '2026-03-23', 7, 'UTC');
    const tokyo = sprintWindowOf('s', '2026-03-23', 7, 'Asia/Tokyo');
    expect(utc.start).toBe('2026-03-23T00:00:00Z');
    expect(tokyo.start).toBe('2026-03-23T00:00:00+09:00');
    expect(Date.parse(utc.start) - Date.parse(tokyo.start)).toBe(9 * 3_600_000);
  });
});
