import { EntityManager } from 'typeorm';
import type { TenantCalendar } from '@pacer/sales-domain';
import { AssignmentFact, buildTimeline, TimelineWindow } from '../calculation/rep-timeline';
import type { PlanVersion } from '../calculation/statement.types';
import { loadAssignments, loadPlanVersions, loadQuotas } from './plan-read-model.repository';
import { RepRef, repKey } from './sql-rows';
import { loadCalendars } from './tenant-calendars.repository';

// The read side's view of a rep's plans (calendar, assignments, versions, quotas), loaded through the
// repositories: the recalculator, the statements' estimates and the manual adjustments all start here.

/** Everything a recalculation needs to know about one rep, loaded once per batch. */
export interface RepContext {
  ref: RepRef;
  calendar: TenantCalendar;
  assignments: AssignmentFact[];
  versions: Map<string, PlanVersion[]>;
  quotas: Map<string, { amount: string; eventId: string }>;
}

/** Loads calendars, assignments, plan versions and quotas of the reps. */
export async function loadRepContexts(
  manager: EntityManager,
  reps: readonly RepRef[],
): Promise<Map<string, RepContext>> {
  const calendars = await loadCalendars(manager, [...new Set(reps.map((r) => r.tenantId))]);
  const assignments = await loadAssignments(manager, reps);
  const plans = new Map<string, { tenantId: string; planId: string }>();
  for (const ref of reps) {
    for (const a of assignments.get(repKey(ref.tenantId, ref.repId)) ?? []) {
      plans.set(repKey(ref.tenantId, a.planId), { tenantId: ref.tenantId, planId: a.planId });
    }
  }
  const versions = await loadPlanVersions(manager, [...plans.values()]);
  const quotas = await loadQuotas(manager, reps);
  const out = new Map<string, RepContext>();
  for (const ref of reps) {
    const own = assignments.get(repKey(ref.tenantId, ref.repId)) ?? [];
    const repVersions = new Map<string, PlanVersion[]>();
    for (const a of own) repVersions.set(a.planId, versions.get(repKey(ref.tenantId, a.planId)) ?? []);
    out.set(repKey(ref.tenantId, ref.repId), {
      ref,
      calendar: calendars.get(ref.tenantId) as TenantCalendar,
      assignments: own,
      versions: repVersions,
      quotas: quotas.get(repKey(ref.tenantId, ref.repId)) ?? new Map(),
    });
  }
  return out;
}

export function timelineOf(ctx: RepContext, untilMs: number): TimelineWindow[] {
  return buildTimeline(ctx.assignments, ctx.versions, ctx.calendar, untilMs);
}
