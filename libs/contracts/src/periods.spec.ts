import { isPeriodKeyOf, planPeriodOfKey, type PeriodType } from './periods';

describe('period keys (SPEC §5)', () => {
  it.each([
    ['day', '2026-11-27', true],
    ['day', '2026-13-01', false],
    ['day', '2026-11-27T00:00:00Z', false],
    ['week', '2026-W48', true],
    ['week', '2026-W01', true],
    ['week', '2026-W54', false],
    ['week', '2026-48', false],
    ['month', '2026-11', true],
    ['month', '2026-1', false],
    ['quarter', 'FY2027-Q1', true],
    ['quarter', 'FY2027-Q5', false],
    ['quarter', '2027-Q1', false],
    ['year', 'FY2027', true],
    ['year', '2027', false],
    ['sprint', 'spr-48', true],
    ['sprint', '', false],
  ] as [PeriodType, string, boolean][])('%s %j → %s', (type, key, valid) => {
    expect(isPeriodKeyOf(type, key)).toBe(valid);
  });

  it('tells a plan period from its key', () => {
    expect(planPeriodOfKey('2026-11')).toBe('month');
    expect(planPeriodOfKey('FY2027-Q1')).toBe('quarter');
    expect(planPeriodOfKey('FY2027')).toBe('year');
    expect(planPeriodOfKey('2026-W48')).toBeUndefined();
    expect(planPeriodOfKey('2026-11-27')).toBeUndefined();
  });
});
