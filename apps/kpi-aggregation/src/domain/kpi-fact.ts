import { emptyTally, KpiTally } from './kpi-tally';
import { mergeRedelivery, redeliveryChanged } from './redelivery';

/** Activity kinds that count in some metric; stage changes count nowhere and cancellations are kept apart. */
export const FACT_KINDS = [
  'call_logged',
  'email_sent',
  'meeting_scheduled',
  'meeting_held',
  'lead_created',
  'opportunity_created',
  'deal_won',
  'deal_lost',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Period keys of the five calendar period types, in the order day, week, month, quarter, year. */
export type CalendarKeys = readonly [day: string, week: string, month: string, quarter: string, year: string];

/**
 * Where a fact is counted right now and with what: the KPI keys it belongs to (whether or not it
 * counts), whether it counts, its sales cycle and the newest recordedtime of the events it reflects.
 * Stored with the fact so a later change (void, cancellation, late membership, new settings) can take
 * back exactly what was added — the reason the aggregates never depend on arrival order.
 */
export interface AppliedState {
  counted: boolean;
  /** occurredAt − openedAt of a counted primary deal row whose opening is known, in ms. */
  cycleMs: number | null;
  touchedMs: number;
  periods: CalendarKeys;
  /** Teams the rep belonged to at occurredAt, sorted. */
  teams: string[];
  /** `[teamId, sprintId]` of those teams' sprints containing occurredAt, sorted. */
  sprints: [string, string][];
}

/**
 * One row per activity and credited rep: a won deal split among several reps has one row per
 * credit (plus one for the primary rep if the credits leave them out), every other activity one row
 * for its rep. The activity's own fields never change; deliveries, voids and the applied state do.
 */
export interface FactRow {
  activityId: string;
  repId: string;
  kind: FactKind;
  occurredMs: number;
  /** Newest recordedtime of the activity's own deliveries; null while only its void has been seen. */
  recordedMs: number | null;
  voided: boolean;
  voidRecordedMs: number | null;
  connected: boolean;
  /** Opportunity amount (pipeline) or deal amount, in cents. */
  amountCents: bigint | null;
  /** This rep's credit of a won deal, in cents. */
  creditCents: bigint | null;
  /** Counts the activity itself (the deal for dealsWon and the cycle); false on co-seller credit rows. */
  primary: boolean;
  dealId: string | null;
  opportunityId: string | null;
  openedMs: number | null;
  applied: AppliedState | null;
}

export function factRowId(row: Pick<FactRow, 'activityId' | 'repId'>): string {
  return `${row.activityId}\u0000${row.repId}`;
}

/**
 * Folds another delivery of a fact (the activity again, or its void) into what is stored. The result
 * depends only on the set of deliveries, not their order: newest recordedtimes, voided once voided.
 */
export function mergeFact(stored: FactRow | undefined, incoming: FactRow): FactRow {
  if (!stored) return { ...incoming, applied: null };
  return mergeRedelivery(stored, incoming);
}

/** Whether a merge changed anything that attribution reads. */
export function deliveryChanged(before: FactRow | undefined, after: FactRow): boolean {
  return redeliveryChanged(before, after);
}

/** What a fact adds to every key it belongs to while it counts. */
export function contributionOf(row: FactRow, cycleMs: number | null): KpiTally {
  const t = emptyTally();
  switch (row.kind) {
    case 'call_logged':
      t.calls = 1;
      t.connects = row.connected ? 1 : 0;
      break;
    case 'email_sent':
      t.emails = 1;
      break;
    case 'meeting_scheduled':
      t.meetingsScheduled = 1;
      break;
    case 'meeting_held':
      t.meetingsHeld = 1;
      break;
    case 'lead_created':
      t.leadsCreated = 1;
      break;
    case 'opportunity_created':
      t.opportunitiesCreated = 1;
      t.pipelineCents = row.amountCents ?? 0n;
      break;
    case 'deal_won':
      t.revenueCents = row.creditCents ?? 0n;
      if (row.primary) {
        t.dealsWon = 1;
        if (cycleMs !== null) {
          t.cycleMsSum = BigInt(cycleMs);
          t.cycleCount = 1;
        }
      }
      break;
    case 'deal_lost':
      t.dealsLost = 1;
      break;
  }
  return t;
}

export function appliedEquals(a: AppliedState | null, b: AppliedState | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.counted === b.counted &&
    a.cycleMs === b.cycleMs &&
    a.touchedMs === b.touchedMs &&
    a.periods.every((p, i) => p === b.periods[i]) &&
    a.teams.length === b.teams.length &&
    a.teams.every((t, i) => t === b.teams[i]) &&
    a.sprints.length === b.sprints.length &&
    a.sprints.every(([team, sprint], i) => team === b.sprints[i]?.[0] && sprint === b.sprints[i]?.[1])
  );
}
