import type { KpiScope } from './kpi-metrics';
import type { PeriodType } from './periods';

// Keys join segments with ':' (SPEC §2). An id that itself contains ':' would make two different keys
// collide, and on the compacted KPI topic a collision silently deletes a snapshot. So each segment
// escapes '%' and ':' the way URIs do; ids without them (all ids in practice) are written unchanged.
function segment(value: string): string {
  return value.replace(/%/g, '%25').replace(/:/g, '%3A');
}

function join(...segments: string[]): string {
  return segments.map(segment).join(':');
}

/** `pacer.activities.v1` key: `{tenantId}:{repId}`, so one rep's activities stay in order. */
export function activityKey(tenantId: string, repId: string): string {
  return join(tenantId, repId);
}

/** `pacer.roster.v1` key for team and membership events: `{tenantId}:{teamId}`. */
export function rosterTeamKey(tenantId: string, teamId: string): string {
  return join(tenantId, teamId);
}

/** `pacer.roster.v1` key for tenant settings: `{tenantId}:settings`. */
export function rosterSettingsKey(tenantId: string): string {
  return `${segment(tenantId)}:settings`;
}

/** `pacer.sprints.v1` key: `{tenantId}:{sprintId}`. */
export function sprintKey(tenantId: string, sprintId: string): string {
  return join(tenantId, sprintId);
}

/** `pacer.plans.v1` key for a rep's plan assignments and quotas: `{tenantId}:{repId}`. */
export function planRepKey(tenantId: string, repId: string): string {
  return join(tenantId, repId);
}

/** `pacer.plans.v1` key for a plan's versions: `{tenantId}:plan:{planId}`. */
export function planKey(tenantId: string, planId: string): string {
  return `${segment(tenantId)}:plan:${segment(planId)}`;
}

/** `pacer.commissions.v1` key: `{tenantId}:{repId}`. */
export function commissionKey(tenantId: string, repId: string): string {
  return join(tenantId, repId);
}

/** `pacer.kpi.v1` key: `{tenantId}:{scope}:{scopeId}:{periodType}:{periodKey}`, one per compacted snapshot. */
export function kpiKey(
  tenantId: string,
  scope: KpiScope,
  scopeId: string,
  periodType: PeriodType,
  periodKey: string,
): string {
  return join(tenantId, scope, scopeId, periodType, periodKey);
}
