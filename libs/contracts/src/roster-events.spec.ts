import { EVENT_EXAMPLES } from './event-examples';
import type { EventType } from './event-registry';
import { validateEventData } from './event-validator';
import { DEFAULT_TENANT_SETTINGS } from './roster-events';

function check(type: EventType, patch: Record<string, unknown>) {
  return validateEventData(
    type,
    { ...EVENT_EXAMPLES[type], ...patch },
    { tenantId: 'acme', mode: 'producer' },
  );
}

describe('roster events', () => {
  it('accept the SPEC §4 defaults as settings', () => {
    expect(check('pacer.roster.settings_updated.v1', { ...DEFAULT_TENANT_SETTINGS })).toEqual([]);
  });

  it.each([
    ['pacer.roster.settings_updated.v1', { weekStartsOn: 0 }, '/weekStartsOn'],
    ['pacer.roster.settings_updated.v1', { weekStartsOn: 8 }, '/weekStartsOn'],
    ['pacer.roster.settings_updated.v1', { fiscalYearStartMonth: 13 }, '/fiscalYearStartMonth'],
    ['pacer.roster.settings_updated.v1', { timezone: 'Europe Berlin' }, '/timezone'],
    ['pacer.roster.team_created.v1', { salesModel: 'hybrid' }, '/salesModel'],
    ['pacer.roster.team_renamed.v1', { name: '' }, '/name'],
    ['pacer.roster.member_joined.v1', { role: 'VP' }, '/role'],
    ['pacer.roster.member_role_changed.v1', { effectiveFrom: '2026-07-01' }, '/effectiveFrom'],
    ['pacer.roster.member_left.v1', { effectiveTo: null }, '/effectiveTo'],
  ] as [EventType, Record<string, unknown>, string][])('%s rejects %j', (type, patch, path) => {
    expect(check(type, patch).map((p) => p.path)).toEqual([path]);
  });

  it.each(['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'America/Port-au-Prince'])(
    'accepts time zone %s',
    (timezone) => {
      expect(check('pacer.roster.settings_updated.v1', { timezone })).toEqual([]);
    },
  );
});
