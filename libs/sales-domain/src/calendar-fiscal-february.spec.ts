import { periodContaining, periodOfKey, TenantCalendar } from './calendar';

describe('a fiscal year starting in February', () => {
  const calendar: TenantCalendar = { timezone: 'UTC', weekStartsOn: 1, fiscalYearStartMonth: 2 };

  it('puts January in Q4 of the fiscal year that ends that January', () => {
    expect(periodContaining('quarter', '2027-01-31T23:59:59Z', calendar).key).toBe('FY2027-Q4');
    expect(periodContaining('year', '2027-01-31T23:59:59Z', calendar).key).toBe('FY2027');
  });

  it('starts FY2028 on 1 February 2027', () => {
    expect(periodContaining('quarter', '2027-02-01T00:00:00Z', calendar)).toEqual({
      type: 'quarter',
      key: 'FY2028-Q1',
      start: '2027-02-01T00:00:00Z',
      end: '2027-05-01T00:00:00Z',
    });
    expect(periodOfKey('year', 'FY2028', calendar)).toMatchObject({ start: '2027-02-01T00:00:00Z', end: '2028-02-01T00:00:00Z' });
  });
});
