import { KpiKeyRef, CALENDAR_TYPES } from './kpi-key';
import { AppliedState, FactRow } from './kpi-fact';
import { MembershipInterval, teamsAt } from '@pacer/sales-domain';
import { PeriodResolver } from './period-resolver';
import { SprintSpan } from './sprint-record';
import { DealCancellation } from './deal-cancellation';
import { laterOf } from './redelivery';

/** Where an opportunity's deals get their opening from when they carry no `openedAt`. */
export interface OpportunityOpening {
  /** occurredAt of the earliest not-voided `opportunity_created`; null when all are voided. */
  openedMs: number | null;
  /** Newest recordedtime among those activities and their voids. */
  touchedMs: number | null;
}

/** Everything attribution reads besides the fact itself, for one tenant. */
export interface AttributionContext {
  tenantId: string;
  periods: PeriodResolver;
  intervalsOf(repId: string): readonly MembershipInterval[];
  sprintsOf(teamId: string): readonly SprintSpan[];
  cancellationOf(dealId: string): DealCancellation | undefined;
  openingOf(opportunityId: string): OpportunityOpening | undefined;
}


/**
 * Where a fact belongs and whether it counts, from the current state of everything else: its
 * periods in the tenant calendar, the teams its rep was in at occurredAt and their sprints holding
 * occurredAt; it counts unless voided or (a won deal) cancelled; a primary won deal's cycle uses its
 * own openedAt or else its opportunity's creation.
 */
export function attribute(row: FactRow, ctx: AttributionContext): AppliedState {
  const t = row.occurredMs;
  const { periods, teams, sprints } = placeAt(row.repId, t, ctx);

  let counted = !row.voided;
  let touched = laterOf(row.recordedMs, row.voidRecordedMs);
  let cycleMs: number | null = null;
  if (row.kind === 'deal_won') {
    const cancellation = row.dealId === null ? undefined : ctx.cancellationOf(row.dealId);
    if (cancellation) {
      if (cancellation.cancelled) counted = false;
      touched = laterOf(touched, cancellation.touchedMs);
    }
    if (row.primary) {
      let opened = row.openedMs;
      if (opened === null && row.opportunityId !== null) {
        const opening = ctx.openingOf(row.opportunityId);
        if (opening) {
          opened = opening.openedMs;
          touched = laterOf(touched, opening.touchedMs);
        }
      }
      if (counted && opened !== null) cycleMs = t - opened;
    }
  }
  return { counted, cycleMs, touchedMs: touched ?? 0, periods, teams, sprints };
}

/** The keys of a rep at an instant: its periods, the rep's teams then, and those teams' sprints holding it. */
export function placeAt(repId: string, t: number, ctx: AttributionContext): Pick<AppliedState, 'periods' | 'teams' | 'sprints'> {
  const periods = ctx.periods.keysAt(t);
  const teams = teamsAt(ctx.intervalsOf(repId), t);
  const sprints: [string, string][] = [];
  for (const team of teams) {
    for (const s of ctx.sprintsOf(team)) {
      if (s.startMs <= t && t < s.endMs) sprints.push([team, s.sprintId]);
    }
  }
  sprints.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return { periods, teams, sprints };
}

/** The KPI keys a fact with this applied state belongs to (counted or not). */
export function keysOf(tenantId: string, row: Pick<FactRow, 'repId'>, applied: AppliedState): KpiKeyRef[] {
  const keys: KpiKeyRef[] = [];
  CALENDAR_TYPES.forEach((periodType, i) => {
    const periodKey = applied.periods[i] as string;
    keys.push({ scope: 'rep', scopeId: row.repId, periodType, periodKey });
    keys.push({ scope: 'org', scopeId: tenantId, periodType, periodKey });
    for (const team of applied.teams) keys.push({ scope: 'team', scopeId: team, periodType, periodKey });
  });
  for (const [team, sprint] of applied.sprints) {
    keys.push({ scope: 'rep', scopeId: row.repId, periodType: 'sprint', periodKey: sprint });
    keys.push({ scope: 'team', scopeId: team, periodType: 'sprint', periodKey: sprint });
  }
  return keys;
}
