// Stream ids carry the tenant, because team and sprint ids are chosen by clients and two tenants may
// both have a team "alpha". Segments are URI-encoded so an id containing "/" cannot collide.
const seg = encodeURIComponent;

export const STREAM_TYPES = { settings: 'tenant-settings', team: 'team', sprint: 'sprint' } as const;

export function settingsStreamId(tenantId: string): string {
  return `settings/${seg(tenantId)}`;
}

export function teamStreamId(tenantId: string, teamId: string): string {
  return `team/${seg(tenantId)}/${seg(teamId)}`;
}

export function sprintStreamId(tenantId: string, sprintId: string): string {
  return `sprint/${seg(tenantId)}/${seg(sprintId)}`;
}
