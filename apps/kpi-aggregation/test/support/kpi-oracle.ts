import { Activity, KpiMetrics, PacerEvent, planPeriodOfKey } from '@pacer/contracts';
import {
  DEFAULT_CALENDAR,
  intervalsOf,
  MembershipEvent,
  parseInstant,
  periodOfKey,
  periodsContaining,
  splitCredits,
  sprintWindow,
  startOfLocalDate,
  TenantCalendar,
} from '@pacer/sales-domain';
import { keyIdOf, KpiKeyRef } from '../../src/domain/kpi-key';
import { deriveMetrics, moneyToCents } from '../../src/domain/kpi-metrics.calculator';
import { emptyTally, KpiTally } from '../../src/domain/kpi-tally';

export interface OracleSnapshot {
  ref: KpiKeyRef;
  metrics: KpiMetrics;
  asOf: string;
}

const ms = (instant: string): number => Date.parse(instant);

function newer(a: { recorded: number; id: string }, b: { recorded: number; id: string } | undefined): boolean {
  return !b || a.recorded > b.recorded || (a.recorded === b.recorded && a.id > b.id);
}

/**
 * SPEC §5 recomputed naively from the whole set of events, with none of the incremental machinery:
 * what the aggregation core must agree with after any arrival order and batching.
 */
export function oracleSnapshots(tenantId: string, events: readonly PacerEvent[]): Map<string, OracleSnapshot> {
  let settings: { recorded: number; id: string; calendar: TenantCalendar } | undefined;
  const activities = new Map<string, { data: Activity; recorded: number | null; voided: boolean; voidRecorded: number | null }>();
  const membership: MembershipEvent[] = [];
  const sprints = new Map<string, { recorded: number; id: string; teamId: string; startDate: string; lengthDays: number }>();
  const quotas = new Map<string, { recorded: number; id: string; repId: string; periodKey: string; amount: string }>();

  const activity = (data: Activity, recorded: number | null, voidRecorded: number | null): void => {
    const seen = activities.get(data.activityId) ?? { data, recorded: null, voided: false, voidRecorded: null };
    if (recorded !== null) seen.recorded = Math.max(seen.recorded ?? recorded, recorded);
    if (voidRecorded !== null) {
      seen.voided = true;
      seen.voidRecorded = Math.max(seen.voidRecorded ?? voidRecorded, voidRecorded);
    }
    activities.set(data.activityId, seen);
  };

  for (const e of events) {
    const recorded = ms(e.recordedtime);
    if (e.type === 'pacer.activity.voided.v1') activity(e.data.voidedActivity, null, recorded);
    else if (e.type.startsWith('pacer.activity.')) activity(e.data as Activity, recorded, null);
    else if (e.type === 'pacer.roster.settings_updated.v1') {
      const candidate = { recorded, id: e.id, calendar: { ...e.data } };
      if (newer(candidate, settings)) settings = candidate;
    } else if (e.type === 'pacer.roster.member_joined.v1' || e.type === 'pacer.roster.member_role_changed.v1') {
      membership.push({ eventId: e.id, teamId: e.data.teamId, repId: e.data.repId, member: true, atMs: ms(e.data.effectiveFrom), recordedMs: recorded });
    } else if (e.type === 'pacer.roster.member_left.v1') {
      membership.push({ eventId: e.id, teamId: e.data.teamId, repId: e.data.repId, member: false, atMs: ms(e.data.effectiveTo), recordedMs: recorded });
    } else if (e.type === 'pacer.sprint.planned.v1') {
      const candidate = { recorded, id: e.id, ...e.data };
      if (newer(candidate, sprints.get(e.data.sprintId))) sprints.set(e.data.sprintId, candidate);
    } else if (e.type === 'pacer.plan.quota_set.v1') {
      const candidate = { recorded, id: e.id, ...e.data };
      const key = `${e.data.repId}|${e.data.periodKey}`;
      if (newer(candidate, quotas.get(key))) quotas.set(key, candidate);
    }
  }

  const calendar = settings?.calendar ?? DEFAULT_CALENDAR;
  const uniqueMembership = [...new Map(membership.map((m) => [m.eventId, m])).values()];
  const pairs = new Map<string, MembershipEvent[]>();
  for (const m of uniqueMembership) pairs.set(`${m.teamId}|${m.repId}`, [...(pairs.get(`${m.teamId}|${m.repId}`) ?? []), m]);
  const intervals = [...pairs.values()].flatMap((list) => intervalsOf(list));
  const teamsAt = (repId: string, t: number): string[] =>
    [...new Set(intervals.filter((i) => i.repId === repId && i.fromMs <= t && (i.toMs === null || t < i.toMs)).map((i) => i.teamId))];
  const sprintWindows = [...sprints].map(([sprintId, s]) => {
    const w = sprintWindow(sprintId, s.startDate, s.lengthDays, calendar.timezone);
    return { sprintId, teamId: s.teamId, start: parseInstant(w.start).toMillis(), end: parseInstant(w.end).toMillis() };
  });

  const all = [...activities.values()];
  const cancels = all.filter((a) => a.data.kind === 'deal_cancelled');
  const opps = all.filter((a) => a.data.kind === 'opportunity_created');
  const touchOf = (a: { recorded: number | null; voidRecorded: number | null }): number => Math.max(a.recorded ?? 0, a.voidRecorded ?? 0);

  const tallies = new Map<string, { ref: KpiKeyRef; tally: KpiTally; asOf: number }>();
  const target = (ref: KpiKeyRef, touched: number): KpiTally => {
    const id = keyIdOf(tenantId, ref);
    const t = tallies.get(id) ?? { ref, tally: emptyTally(), asOf: 0 };
    t.asOf = Math.max(t.asOf, touched);
    tallies.set(id, t);
    return t.tally;
  };
  const targetsOf = (repId: string, at: number, touched: number): KpiTally[] => {
    const periods = periodsContaining(new Date(at).toISOString(), calendar);
    const teams = teamsAt(repId, at);
    const out: KpiTally[] = [];
    for (const p of periods) {
      out.push(target({ scope: 'rep', scopeId: repId, periodType: p.type, periodKey: p.key }, touched));
      out.push(target({ scope: 'org', scopeId: tenantId, periodType: p.type, periodKey: p.key }, touched));
      for (const team of teams) out.push(target({ scope: 'team', scopeId: team, periodType: p.type, periodKey: p.key }, touched));
    }
    for (const s of sprintWindows) {
      if (teams.includes(s.teamId) && s.start <= at && at < s.end) {
        out.push(target({ scope: 'rep', scopeId: repId, periodType: 'sprint', periodKey: s.sprintId }, touched));
        out.push(target({ scope: 'team', scopeId: s.teamId, periodType: 'sprint', periodKey: s.sprintId }, touched));
      }
    }
    return out;
  };

  for (const a of all) {
    const d = a.data;
    if (d.kind === 'deal_cancelled' || d.kind === 'opportunity_stage_changed') continue;
    const at = ms(d.occurredAt);
    const counted = !a.voided;
    let touched = touchOf(a);
    if (d.kind === 'deal_won') {
      const mine = cancels.filter((c) => c.data.kind === 'deal_cancelled' && c.data.dealId === d.dealId);
      const cancelled = mine.some((c) => !c.voided);
      for (const c of mine) touched = Math.max(touched, touchOf(c));
      let opened = d.openedAt === undefined ? null : ms(d.openedAt);
      let primaryTouched = touched;
      if (opened === null) {
        const mineOpps = opps.filter((o) => o.data.kind === 'opportunity_created' && o.data.opportunityId === d.opportunityId);
        for (const o of mineOpps) primaryTouched = Math.max(primaryTouched, touchOf(o));
        const live = mineOpps.filter((o) => !o.voided).map((o) => ms(o.data.occurredAt));
        if (live.length > 0) opened = Math.min(...live);
      }
      const credits = splitCredits(d.amount, d.repId, d.credits);
      if (!credits.some((c) => c.repId === d.repId)) credits.push({ repId: d.repId, share: '0', credit: '0.00' });
      for (const c of credits) {
        const primary = c.repId === d.repId;
        for (const t of targetsOf(c.repId, at, primary ? primaryTouched : touched)) {
          if (!counted || cancelled) continue;
          t.revenueCents += moneyToCents(c.credit);
          if (primary) {
            t.dealsWon += 1;
            if (opened !== null) {
              t.cycleMsSum += BigInt(at - opened);
              t.cycleCount += 1;
            }
          }
        }
      }
      continue;
    }
    for (const t of targetsOf(d.repId, at, touched)) {
      if (!counted) continue;
      switch (d.kind) {
        case 'call_logged':
          t.calls += 1;
          if (d.outcome === 'connected') t.connects += 1;
          break;
        case 'email_sent':
          t.emails += 1;
          break;
        case 'meeting_scheduled':
          t.meetingsScheduled += 1;
          break;
        case 'meeting_held':
          t.meetingsHeld += 1;
          break;
        case 'lead_created':
          t.leadsCreated += 1;
          break;
        case 'opportunity_created':
          t.opportunitiesCreated += 1;
          t.pipelineCents += moneyToCents(d.amount);
          break;
        case 'deal_lost':
          t.dealsLost += 1;
          break;
      }
    }
  }

  // Forecasts: per opportunity, from every event about it (SPEC §3 forecast fields, §5 forecast metrics).
  const later = (x: { data: Activity }, y: { data: Activity } | undefined): boolean =>
    !y || ms(x.data.occurredAt) > ms(y.data.occurredAt) || (ms(x.data.occurredAt) === ms(y.data.occurredAt) && x.data.activityId > y.data.activityId);
  const opportunityIds = new Set(
    all.flatMap((a) => (a.data.kind === 'opportunity_created' || a.data.kind === 'opportunity_stage_changed' ? [a.data.opportunityId] : [])),
  );
  for (const opportunityId of opportunityIds) {
    const mine = all.filter(
      (a) => (a.data.kind === 'opportunity_created' || a.data.kind === 'opportunity_stage_changed') && a.data.opportunityId === opportunityId,
    );
    const live = mine.filter((a) => !a.voided && a.recorded !== null);
    const latest = (field: 'amount' | 'expectedCloseDate' | 'probability'): string | undefined => {
      let best: (typeof live)[number] | undefined;
      for (const a of live) if ((a.data as Record<string, unknown>)[field] !== undefined && later(a, best)) best = a;
      return best ? ((best.data as Record<string, unknown>)[field] as string) : undefined;
    };
    let creation: (typeof live)[number] | undefined;
    for (const a of live) if (a.data.kind === 'opportunity_created' && later(a, creation)) creation = a;
    const closeDate = latest('expectedCloseDate');
    const amount = latest('amount');
    if (!creation || closeDate === undefined || amount === undefined) continue;
    let touched = Math.max(...mine.map(touchOf));
    let open = true;
    for (const c of all) {
      if ((c.data.kind !== 'deal_won' && c.data.kind !== 'deal_lost') || c.data.opportunityId !== opportunityId) continue;
      touched = Math.max(touched, touchOf(c));
      const dealId = c.data.dealId;
      const dealCancels = c.data.kind === 'deal_won' ? cancels.filter((x) => x.data.kind === 'deal_cancelled' && x.data.dealId === dealId) : [];
      for (const x of dealCancels) touched = Math.max(touched, touchOf(x));
      if (c.voided || c.recorded === null) continue;
      if (c.data.kind === 'deal_lost' || !dealCancels.some((x) => !x.voided)) open = false;
    }
    const probability = latest('probability');
    const at = startOfLocalDate(closeDate, calendar.timezone).toMillis();
    for (const t of targetsOf(creation.data.repId, at, touched)) {
      if (!open) continue;
      t.forecastPipelineCents += moneyToCents(amount);
      // Exact in millionths of a cent: probabilities have at most 6 fraction digits.
      t.forecastWeightedUnits += moneyToCents(amount) * BigInt(Math.round(Number(probability ?? '0') * 1_000_000));
    }
  }

  // Quota-bearing keys exist even without activity.
  for (const q of quotas.values()) {
    const periodType = planPeriodOfKey(q.periodKey);
    if (!periodType) continue;
    const w = periodOfKey(periodType, q.periodKey, calendar);
    const [start, end] = [parseInstant(w.start).toMillis(), parseInstant(w.end).toMillis()];
    target({ scope: 'rep', scopeId: q.repId, periodType, periodKey: q.periodKey }, 0);
    target({ scope: 'org', scopeId: tenantId, periodType, periodKey: q.periodKey }, 0);
    for (const i of intervals) {
      if (i.repId === q.repId && i.fromMs < end && (i.toMs === null || i.toMs > start)) {
        target({ scope: 'team', scopeId: i.teamId, periodType, periodKey: q.periodKey }, 0);
      }
    }
  }

  const out = new Map<string, OracleSnapshot>();
  for (const [id, { ref, tally, asOf }] of tallies) {
    let quota: bigint | null = null;
    let quotaAsOf = 0;
    if (ref.periodType === 'month' || ref.periodType === 'quarter' || ref.periodType === 'year') {
      const w = periodOfKey(ref.periodType, ref.periodKey, calendar);
      const [start, end] = [parseInstant(w.start).toMillis(), parseInstant(w.end).toMillis()];
      for (const q of quotas.values()) {
        if (q.periodKey !== ref.periodKey) continue;
        const inScope =
          ref.scope === 'org' ||
          (ref.scope === 'rep' && q.repId === ref.scopeId) ||
          (ref.scope === 'team' &&
            intervals.some((i) => i.teamId === ref.scopeId && i.repId === q.repId && i.fromMs < end && (i.toMs === null || i.toMs > start)));
        if (!inScope) continue;
        quota = (quota ?? 0n) + moneyToCents(q.amount);
        quotaAsOf = Math.max(quotaAsOf, q.recorded);
      }
    }
    out.set(id, { ref, metrics: deriveMetrics(tally, quota), asOf: new Date(Math.max(asOf, quotaAsOf)).toISOString() });
  }
  return out;
}
