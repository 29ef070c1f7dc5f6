import { isInstant, isInstantInWindow } from './input-dates';

describe('occurredAt and openedAt lie in [1970-01-01T00:00:00Z, receipt + 7 days]', () => {
  const receipt = Date.parse('2026-12-06T12:00:00Z');

  it.each([
    '1970-01-01T00:00:00Z',
    '2026-12-13T12:00:00Z',
    '2026-12-13T13:00:00+01:00',
    '2026-12-06T11:59:59.999Z',
  ])('accepts %s', (value) => {
    expect(isInstantInWindow(value, 'occurred', receipt)).toBe(true);
  });

  it.each([
    ['year 9999', '9999-12-31T23:59:59Z'],
    ['a millisecond past the week', '2026-12-13T12:00:00.001Z'],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['1970 written with an offset that puts it in 1969', '1970-01-01T00:30:00+01:00'],
    ['an offset of +25:00', '2026-11-27T09:30:00+25:00'],
  ])('rejects %s', (_, value) => {
    expect(isInstantInWindow(value, 'occurred', receipt)).toBe(false);
  });

  it('lets look-ahead instants reach ten years after receipt, not more', () => {
    expect(isInstantInWindow('2036-12-06T12:00:00Z', 'lookAhead', receipt)).toBe(true);
    expect(isInstantInWindow('2036-12-06T12:00:01Z', 'lookAhead', receipt)).toBe(false);
  });

  it('reads offsets up to ±14:00 only', () => {
    expect(isInstant('2026-11-27T09:30:00+14:00')).toBe(true);
    expect(isInstant('2026-11-27T09:30:00-14:01')).toBe(false);
  });
});
