import { isCalendarDate, isCalendarDateInWindow } from './input-dates';

describe('calendar dates are real dates of the Gregorian calendar', () => {
  it.each(['2026-11-27', '2024-02-29', '2000-02-29', '1970-01-01'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each([
    ['30 February', '2026-02-30'],
    ['29 February of a common year', '2026-02-29'],
    ['29 February 1900', '1900-02-29'],
    ['month 13', '2026-13-01'],
    ['month 0', '2026-00-10'],
    ['day 0', '2026-11-00'],
    ['31 April', '2026-04-31'],
    ['year 0', '0000-01-01'],
    ['an instant', '2026-11-27T00:00:00Z'],
    ['null', null],
    ['a number', 20261127],
  ])('rejects %s', (_, value) => {
    expect(isCalendarDate(value)).toBe(false);
  });

  it('keeps dates from 1970 to ten years after receipt inside the window', () => {
    const receipt = Date.parse('2026-12-06T12:00:00Z');
    expect(isCalendarDateInWindow('1970-01-01', 'lookAhead', receipt)).toBe(true);
    expect(isCalendarDateInWindow('1969-12-31', 'lookAhead', receipt)).toBe(false);
    expect(isCalendarDateInWindow('2036-12-06', 'lookAhead', receipt)).toBe(true);
    expect(isCalendarDateInWindow('2036-12-07', 'lookAhead', receipt)).toBe(false);
    expect(isCalendarDateInWindow('0000-01-01', 'lookAhead', receipt)).toBe(false);
  });
});
