import { TenantSettings } from './tenant-settings.aggregate';

// Scenario: a tenant whose settings were stored before dealsRequireApproval existed turns it on, repeats
// the PUT, then turns it off again.
describe('tenant settings: dealsRequireApproval', () => {
  const calendar = { timezone: 'Europe/Oslo', weekStartsOn: 1, fiscalYearStartMonth: 1 };

  it('reads an old event as false and records each change of the flag once', () => {
    const s = new TenantSettings();
    // An event stored before the field existed has no dealsRequireApproval.
    s.loadFromHistory([{ type: 'settings.updated', data: calendar } as never]);
    expect(s.current.dealsRequireApproval).toBe(false);
    s.update({ ...calendar, dealsRequireApproval: true });
    s.update({ ...calendar, dealsRequireApproval: true });
    s.update({ ...calendar, dealsRequireApproval: false });
    expect(s.uncommittedEvents.map((e) => e.data.dealsRequireApproval)).toEqual([true, false]);
  });
});
