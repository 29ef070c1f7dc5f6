import { Activity, ActivityKind, activityEventType, DealCredit, makeEvent, PacerEvent, Role } from '@pacer/contracts';

type ActivityEvent = PacerEvent<`pacer.activity.${ActivityKind}.v1`>;

/** Optional forecast fields of an opportunity activity (SPEC §3). */
export interface ForecastFields {
  expectedCloseDate?: string;
  probability?: string;
}

function forecastOf(f: ForecastFields): ForecastFields {
  return {
    ...(f.expectedCloseDate === undefined ? {} : { expectedCloseDate: f.expectedCloseDate }),
    ...(f.probability === undefined ? {} : { probability: f.probability }),
  };
}

export interface ActivityOptions {
  activityId?: string;
  /** recordedtime of the event; by default every event is recorded 1 s after the previous one. */
  recordedAt?: string;
}

/**
 * Builds contract-valid CloudEvents for the KPI service's inputs (activities, voids, roster, sprints,
 * quotas) for one tenant, with predictable ids and increasing recordedtimes, so a test reads like the
 * story it tells.
 */
export class KpiEventBuilder {
  private seq = 0;
  private clockMs: number;

  constructor(
    readonly tenantId: string,
    startRecordedAt = '2026-11-27T12:00:00Z',
  ) {
    this.clockMs = Date.parse(startRecordedAt);
  }

  private nextRecorded(explicit?: string): string {
    if (explicit) return explicit;
    this.clockMs += 1000;
    return new Date(this.clockMs).toISOString();
  }

  private nextId(prefix: string): string {
    this.seq += 1;
    return `${prefix}-${String(this.seq).padStart(6, '0')}`;
  }

  activity<A extends Activity>(data: A, options: ActivityOptions = {}): ActivityEvent {
    return makeEvent(activityEventType(data.kind), {
      id: `ev-${data.activityId}`,
      tenantId: this.tenantId,
      time: data.occurredAt,
      data: data as never,
      recordedTime: this.nextRecorded(options.recordedAt),
    }) as ActivityEvent;
  }

  call(repId: string, occurredAt: string, outcome: 'connected' | 'voicemail' | 'no_answer' = 'connected', o: ActivityOptions = {}): ActivityEvent {
    return this.activity({ activityId: o.activityId ?? this.nextId('call'), kind: 'call_logged', repId, occurredAt, outcome, durationSec: 60 }, o);
  }

  email(repId: string, occurredAt: string, o: ActivityOptions = {}): ActivityEvent {
    return this.activity({ activityId: o.activityId ?? this.nextId('email'), kind: 'email_sent', repId, occurredAt }, o);
  }

  meetingScheduled(repId: string, occurredAt: string, o: ActivityOptions = {}): ActivityEvent {
    const activityId = o.activityId ?? this.nextId('meet');
    return this.activity({ activityId, kind: 'meeting_scheduled', repId, occurredAt, meetingId: `m-${activityId}`, scheduledFor: occurredAt }, o);
  }

  meetingHeld(repId: string, occurredAt: string, o: ActivityOptions = {}): ActivityEvent {
    const activityId = o.activityId ?? this.nextId('held');
    return this.activity({ activityId, kind: 'meeting_held', repId, occurredAt, meetingId: `m-${activityId}` }, o);
  }

  lead(repId: string, occurredAt: string, o: ActivityOptions = {}): ActivityEvent {
    const activityId = o.activityId ?? this.nextId('lead');
    return this.activity({ activityId, kind: 'lead_created', repId, occurredAt, leadId: `l-${activityId}` }, o);
  }

  opportunity(repId: string, occurredAt: string, opportunityId: string, amount: string, o: ActivityOptions & ForecastFields = {}): ActivityEvent {
    return this.activity(
      {
        activityId: o.activityId ?? this.nextId('opp'),
        kind: 'opportunity_created',
        repId,
        occurredAt,
        opportunityId,
        amount,
        currency: 'USD',
        ...forecastOf(o),
      },
      o,
    );
  }

  stageChanged(repId: string, occurredAt: string, opportunityId: string, o: ActivityOptions & ForecastFields & { amount?: string } = {}): ActivityEvent {
    return this.activity(
      {
        activityId: o.activityId ?? this.nextId('stage'),
        kind: 'opportunity_stage_changed',
        repId,
        occurredAt,
        opportunityId,
        toStage: 'proposal',
        ...(o.amount === undefined ? {} : { amount: o.amount }),
        ...forecastOf(o),
      },
      o,
    );
  }

  dealWon(
    repId: string,
    occurredAt: string,
    deal: { dealId: string; opportunityId?: string; amount: string; openedAt?: string; credits?: DealCredit[] },
    o: ActivityOptions = {},
  ): ActivityEvent {
    return this.activity(
      {
        activityId: o.activityId ?? this.nextId('won'),
        kind: 'deal_won',
        repId,
        occurredAt,
        dealId: deal.dealId,
        opportunityId: deal.opportunityId ?? `o-${deal.dealId}`,
        amount: deal.amount,
        currency: 'USD',
        ...(deal.openedAt ? { openedAt: deal.openedAt } : {}),
        ...(deal.credits ? { credits: deal.credits } : {}),
      },
      o,
    );
  }

  dealLost(repId: string, occurredAt: string, dealId: string, o: ActivityOptions = {}): ActivityEvent {
    return this.activity({ activityId: o.activityId ?? this.nextId('lost'), kind: 'deal_lost', repId, occurredAt, dealId, opportunityId: `o-${dealId}` }, o);
  }

  dealCancelled(repId: string, occurredAt: string, dealId: string, o: ActivityOptions = {}): ActivityEvent {
    return this.activity({ activityId: o.activityId ?? this.nextId('cancel'), kind: 'deal_cancelled', repId, occurredAt, dealId }, o);
  }

  /** The void of an activity event, carrying its copy as ingestion publishes it. */
  void(activity: ActivityEvent, o: { recordedAt?: string } = {}): PacerEvent<'pacer.activity.voided.v1'> {
    const voided = activity.data as Activity;
    const recorded = this.nextRecorded(o.recordedAt);
    return makeEvent('pacer.activity.voided.v1', {
      id: `ev-void-${voided.activityId}`,
      tenantId: this.tenantId,
      time: recorded,
      recordedTime: recorded,
      data: {
        activityId: voided.activityId,
        repId: voided.repId,
        reason: 'recorded by mistake',
        voidedKind: voided.kind,
        voidedOccurredAt: voided.occurredAt,
        voidedActivity: voided,
      },
    });
  }

  settings(timezone: string, weekStartsOn = 1, fiscalYearStartMonth = 1, o: { recordedAt?: string } = {}): PacerEvent<'pacer.roster.settings_updated.v1'> {
    const recorded = this.nextRecorded(o.recordedAt);
    return makeEvent('pacer.roster.settings_updated.v1', {
      id: this.nextId('ev-settings'),
      tenantId: this.tenantId,
      time: recorded,
      recordedTime: recorded,
      data: { timezone, weekStartsOn, fiscalYearStartMonth },
    });
  }

  joined(teamId: string, repId: string, effectiveFrom: string, role: Role = 'AE', o: { recordedAt?: string } = {}): PacerEvent<'pacer.roster.member_joined.v1'> {
    return makeEvent('pacer.roster.member_joined.v1', {
      id: this.nextId('ev-join'),
      tenantId: this.tenantId,
      time: effectiveFrom,
      recordedTime: this.nextRecorded(o.recordedAt),
      data: { teamId, repId, name: repId.charAt(0).toUpperCase() + repId.slice(1), role, effectiveFrom },
    });
  }

  roleChanged(teamId: string, repId: string, effectiveFrom: string, role: Role, o: { recordedAt?: string } = {}): PacerEvent<'pacer.roster.member_role_changed.v1'> {
    return makeEvent('pacer.roster.member_role_changed.v1', {
      id: this.nextId('ev-role'),
      tenantId: this.tenantId,
      time: effectiveFrom,
      recordedTime: this.nextRecorded(o.recordedAt),
      data: { teamId, repId, name: repId.charAt(0).toUpperCase() + repId.slice(1), role, effectiveFrom },
    });
  }

  left(teamId: string, repId: string, effectiveTo: string, o: { recordedAt?: string } = {}): PacerEvent<'pacer.roster.member_left.v1'> {
    return makeEvent('pacer.roster.member_left.v1', {
      id: this.nextId('ev-left'),
      tenantId: this.tenantId,
      time: effectiveTo,
      recordedTime: this.nextRecorded(o.recordedAt),
      data: { teamId, repId, effectiveTo },
    });
  }

  sprint(sprintId: string, teamId: string, startDate: string, lengthDays = 7, o: { recordedAt?: string } = {}): PacerEvent<'pacer.sprint.planned.v1'> {
    const recorded = this.nextRecorded(o.recordedAt);
    return makeEvent('pacer.sprint.planned.v1', {
      id: this.nextId('ev-sprint'),
      tenantId: this.tenantId,
      time: recorded,
      recordedTime: recorded,
      data: { sprintId, teamId, startDate, lengthDays, goal: 'close the quarter' },
    });
  }

  quota(repId: string, periodKey: string, amount: string, o: { recordedAt?: string } = {}): PacerEvent<'pacer.plan.quota_set.v1'> {
    const recorded = this.nextRecorded(o.recordedAt);
    return makeEvent('pacer.plan.quota_set.v1', {
      id: this.nextId('ev-quota'),
      tenantId: this.tenantId,
      time: recorded,
      recordedTime: recorded,
      data: { repId, periodKey, amount },
    });
  }
}
