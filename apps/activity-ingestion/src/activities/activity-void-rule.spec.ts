import { voidRefusal } from './activity-void-rule';

// SPEC §6: a rep voids only what it recorded; what ingest recorded is voided by ingest or an admin.
describe('who may void an activity', () => {
  const ana = { role: 'rep' as const, repId: 'ana' };
  const crm = { role: 'ingest' as const };
  const admin = { role: 'admin' as const };
  const forAna = { repId: 'ana' };
  const byAna = { sub: 'user-ana', role: 'rep' };
  const byCrm = { sub: 'hubspot', role: 'ingest' };
  const byAdmin = { sub: 'user-admin', role: 'admin' };

  it('lets a rep void what it recorded, and nothing recorded by ingest, an admin or another rep', () => {
    expect(voidRefusal(ana, forAna, byAna)).toBeUndefined();
    expect(voidRefusal(ana, forAna, byCrm)).toMatch(/voided by ingest or an admin/);
    expect(voidRefusal(ana, forAna, byAdmin)).toMatch(/only activities it recorded/);
    expect(voidRefusal(ana, { repId: 'bo' }, { sub: 'user-bo', role: 'rep' })).toMatch(
      /only activities it recorded/,
    );
  });

  it('lets ingest void what ingest recorded only', () => {
    expect(voidRefusal(crm, forAna, byCrm)).toBeUndefined();
    expect(voidRefusal(crm, forAna, { sub: 'salesforce', role: 'ingest' })).toBeUndefined();
    expect(voidRefusal(crm, forAna, byAna)).toMatch(/recorded with the rep role/);
    expect(voidRefusal(crm, forAna, byAdmin)).toMatch(/recorded with the admin role/);
  });

  it('lets an admin void anything', () => {
    for (const recorder of [byAna, byCrm, byAdmin, undefined])
      expect(voidRefusal(admin, forAna, recorder)).toBeUndefined();
  });

  it('falls back to the older rule for activities recorded before the recorder was kept', () => {
    expect(voidRefusal(ana, forAna, undefined)).toBeUndefined();
    expect(voidRefusal(ana, { repId: 'bo' }, undefined)).toBeDefined();
    expect(voidRefusal(crm, forAna, undefined)).toBeUndefined();
  });

  it('refuses roles that do not record activities', () => {
    expect(voidRefusal({ role: 'manager', repId: 'ana' }, forAna, byAna)).toBeDefined();
  });
});
