import { TenantSettings } from './tenant-settings.aggregate';

// Scenario: a tenant sets its calendar, repeats the PUT, then moves to Sunday weeks.
describe('tenant settings', () => {
  it('records the first PUT even with default values, then only changes', () => {
    const s = new TenantSettings();
    expect(s.current).toEqual({ timezone: 'UTC', weekStartsOn: 1, fiscalYearStartMonth: 1, dealsRequireApproval: false });
    s.update({ timezone: 'UTC', weekStartsOn: 1, fiscalYearStartMonth: 1, dealsRequireApproval: false });
    s.update({ timezone: 'UTC', weekStartsOn: 1, fiscalYearStartMonth: 1, dealsRequireApproval: false });
    s.update({ timezone: 'America/Chicago', weekStartsOn: 7, fiscalYearStartMonth: 2, dealsRequireApproval: false });
    expect(s.uncommittedEvents).toHaveLength(2);
    expect(s.current).toEqual({ timezone: 'America/Chicago', weekStartsOn: 7, fiscalYearStartMonth: 2, dealsRequireApproval: false });
  });

  it('validates the zone against the IANA database and the calendar numbers', () => {
    expect(() =>
      new TenantSettings().update({
        timezone: 'Europe/Atlantis',
        weekStartsOn: 0,
        fiscalYearStartMonth: 13,
        dealsRequireApproval: false,
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'validation-failed',
        errors: [
          { path: 'timezone', message: expect.stringContaining('IANA') },
          { path: 'weekStartsOn', message: expect.any(String) },
          { path: 'fiscalYearStartMonth', message: expect.any(String) },
        ],
      }),
    );
  });
});
