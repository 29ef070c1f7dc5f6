import { DateTime } from 'luxon';
import { addDays, formatDateTime, formatPeriodRange, nowInstant, todayIn } from './dates';

const plain = (s: string) => s.replace(/\s/g, ' ');

describe('dates in the tenant zone', () => {
  it('shows an instant in the tenant zone, not the reader\'s', () => {
    // 03:30 UTC on the 27th is still the 26th in New York.
    expect(plain(formatDateTime('2026-11-27T03:30:00Z', 'America/New_York', 'en'))).toBe('Nov 26, 2026, 10:30 PM');
  });

  it('shows a period window by the days it covers (end exclusive)', () => {
    expect(plain(formatPeriodRange('2026-11-22T00:00:00-05:00', '2026-11-29T00:00:00-05:00', 'America/New_York', 'en'))).toBe('Nov 22 – Nov 28, 2026');
    expect(plain(formatPeriodRange('2026-12-27T00:00:00-05:00', '2027-01-03T00:00:00-05:00', 'America/New_York', 'en'))).toBe('Dec 27, 2026 – Jan 2, 2027');
  });

  it('takes today and now in the tenant zone', () => {
    const now = DateTime.fromISO('2026-11-27T03:30:00Z');
    expect(todayIn('America/New_York', now)).toBe('2026-11-26');
    expect(nowInstant('America/New_York', now)).toBe('2026-11-26T22:30:00-05:00');
  });

  it('adds calendar days across a DST change', () => {
    expect(addDays('2026-11-01', 7)).toBe('2026-11-08');
  });
});
