import { Activity, PacerEvent, planPeriodOfKey } from '@pacer/contracts';
import { isValidTimeZone, MembershipEvent, splitCredits, startOfLocalDate } from '@pacer/sales-domain';
import { CancelRecord } from './deal-cancellation';
import { FactKind, FactRow } from './kpi-fact';
import { moneyToCents } from './kpi-metrics.calculator';
import { OpportunityEvent, probabilityUnits } from './opportunity-forecast';
import { QuotaRecord } from './quota';
import { SprintRecord } from './sprint-record';
import { SettingsRecord } from './tenant-settings';

/** What one consumed event means to the KPI read models; `tenantId` decides the lock it needs. */
export type KpiInput =
  /** An activity: its counting rows (none for a stage change) and, for an opportunity, its forecast fields. */
  | { type: 'facts'; tenantId: string; rows: FactRow[]; opportunity?: OpportunityEvent }
  | { type: 'cancel'; tenantId: string; cancel: CancelRecord }
  | { type: 'settings'; tenantId: string; settings: SettingsRecord }
  | { type: 'membership'; tenantId: string; event: MembershipEvent }
  | { type: 'sprint'; tenantId: string; sprint: SprintRecord }
  | { type: 'quota'; tenantId: string; quota: QuotaRecord };

/** Thrown for an event that is valid by the contract but that no calendar can place (goes to the DLQ). */
export class KpiInputError extends Error {
  override readonly name = 'KpiInputError';
}

/** Milliseconds of an RFC 3339 instant (the contract has already checked its form). */
export function instantMs(instant: string): number {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new KpiInputError(`not an instant: ${instant}`);
  return ms;
}

const FACT_KIND_SET: ReadonlySet<string> = new Set<FactKind>([
  'call_logged',
  'email_sent',
  'meeting_scheduled',
  'meeting_held',
  'lead_created',
  'opportunity_created',
  'deal_won',
  'deal_lost',
]);

function isFactKind(kind: string): kind is FactKind {
  return FACT_KIND_SET.has(kind);
}

interface Delivery {
  recordedMs: number | null;
  voided: boolean;
  voidRecordedMs: number | null;
}

/** The fact rows of an activity: one per credited rep for a won deal, one otherwise. */
export function factRowsOf(activity: Activity, delivery: Delivery): FactRow[] {
  if (!isFactKind(activity.kind)) return [];
  const base: FactRow = {
    activityId: activity.activityId,
    repId: activity.repId,
    kind: activity.kind,
    occurredMs: instantMs(activity.occurredAt),
    ...delivery,
    connected: false,
    amountCents: null,
    creditCents: null,
    primary: true,
    dealId: null,
    opportunityId: null,
    openedMs: null,
    applied: null,
  };
  switch (activity.kind) {
    case 'call_logged':
      return [{ ...base, connected: activity.outcome === 'connected' }];
    case 'opportunity_created':
      return [{ ...base, amountCents: moneyToCents(activity.amount), opportunityId: activity.opportunityId }];
    case 'deal_lost':
      return [{ ...base, dealId: activity.dealId, opportunityId: activity.opportunityId }];
    case 'deal_won': {
      const deal: FactRow = {
        ...base,
        amountCents: moneyToCents(activity.amount),
        dealId: activity.dealId,
        opportunityId: activity.opportunityId,
        openedMs: activity.openedAt === undefined ? null : instantMs(activity.openedAt),
      };
      const credits = splitCredits(activity.amount, activity.repId, activity.credits);
      const rows = credits.map((c) => ({
        ...deal,
        repId: c.repId,
        creditCents: moneyToCents(c.credit),
        primary: c.repId === activity.repId,
      }));
      // The primary rep wins the deal (dealsWon, cycle) even when the credits go to others.
      if (!credits.some((c) => c.repId === activity.repId)) rows.push({ ...deal, creditCents: 0n, primary: true });
      return rows;
    }
    default:
      return [base];
  }
}

function activityInput(tenantId: string, activity: Activity, delivery: Delivery): KpiInput | undefined {
  if (activity.kind === 'deal_cancelled') {
    return { type: 'cancel', tenantId, cancel: { activityId: activity.activityId, dealId: activity.dealId, ...delivery } };
  }
  const rows = factRowsOf(activity, delivery);
  const opportunity = opportunityEventOf(activity, delivery);
  if (opportunity) return { type: 'facts', tenantId, rows, opportunity };
  return rows.length > 0 ? { type: 'facts', tenantId, rows } : undefined;
}

/** The forecast fields of an opportunity activity (SPEC §3), or undefined for other kinds. */
export function opportunityEventOf(activity: Activity, delivery: Delivery): OpportunityEvent | undefined {
  if (activity.kind !== 'opportunity_created' && activity.kind !== 'opportunity_stage_changed') return undefined;
  return {
    activityId: activity.activityId,
    opportunityId: activity.opportunityId,
    repId: activity.repId,
    created: activity.kind === 'opportunity_created',
    occurredMs: instantMs(activity.occurredAt),
    amountCents: activity.amount === undefined ? null : moneyToCents(activity.amount),
    closeDate: activity.expectedCloseDate ?? null,
    probabilityUnits: activity.probability === undefined ? null : probabilityUnits(activity.probability),
    ...delivery,
  };
}

/**
 * Reads a consumed event into a KPI input, or undefined for events that change no KPI (team names,
 * plan versions, sprint lifecycle). Throws KpiInputError for an event the
 * contract accepts but no calendar can use (an unknown time zone), so it is dead-lettered.
 */
export function toKpiInput(event: PacerEvent): KpiInput | undefined {
  const tenantId = event.tenantid;
  const recordedMs = instantMs(event.recordedtime);
  switch (event.type) {
    case 'pacer.activity.call_logged.v1':
    case 'pacer.activity.email_sent.v1':
    case 'pacer.activity.meeting_scheduled.v1':
    case 'pacer.activity.meeting_held.v1':
    case 'pacer.activity.lead_created.v1':
    case 'pacer.activity.opportunity_created.v1':
    case 'pacer.activity.opportunity_stage_changed.v1':
    case 'pacer.activity.deal_won.v1':
    case 'pacer.activity.deal_lost.v1':
    case 'pacer.activity.deal_cancelled.v1':
      return activityInput(tenantId, event.data, { recordedMs, voided: false, voidRecordedMs: null });
    case 'pacer.activity.voided.v1':
      return activityInput(tenantId, event.data.voidedActivity, { recordedMs: null, voided: true, voidRecordedMs: recordedMs });
    case 'pacer.roster.settings_updated.v1': {
      const { timezone, weekStartsOn, fiscalYearStartMonth } = event.data;
      if (!isValidTimeZone(timezone)) throw new KpiInputError(`unknown time zone: ${timezone}`);
      return { type: 'settings', tenantId, settings: { calendar: { timezone, weekStartsOn, fiscalYearStartMonth }, recordedMs, eventId: event.id } };
    }
    case 'pacer.roster.member_joined.v1':
    case 'pacer.roster.member_role_changed.v1':
      return {
        type: 'membership',
        tenantId,
        event: {
          eventId: event.id,
          teamId: event.data.teamId,
          repId: event.data.repId,
          member: true,
          atMs: instantMs(event.data.effectiveFrom),
          recordedMs,
          name: event.data.name,
          role: event.data.role,
        },
      };
    case 'pacer.roster.member_left.v1':
      return {
        type: 'membership',
        tenantId,
        event: { eventId: event.id, teamId: event.data.teamId, repId: event.data.repId, member: false, atMs: instantMs(event.data.effectiveTo), recordedMs },
      };
    case 'pacer.sprint.planned.v1': {
      const { sprintId, teamId, startDate, lengthDays } = event.data;
      // A date the calendar cannot read would stop every later batch of this tenant; reject it here.
      startOfLocalDate(startDate, 'UTC');
      return { type: 'sprint', tenantId, sprint: { sprintId, teamId, startDate, lengthDays, recordedMs, eventId: event.id } };
    }
    case 'pacer.plan.quota_set.v1': {
      const { repId, periodKey, amount } = event.data;
      if (planPeriodOfKey(periodKey) === undefined) throw new KpiInputError(`not a quota period key: ${periodKey}`);
      return { type: 'quota', tenantId, quota: { repId, periodKey, amountCents: moneyToCents(amount), recordedMs, eventId: event.id } };
    }
    default:
      return undefined;
  }
}
