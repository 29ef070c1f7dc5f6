import { Decimal } from 'decimal.js';
import { KPI_METRICS, KpiMetric } from '@pacer/contracts';
import {
  formatMoney,
  isWithin,
  parseInstant,
  periodOfKey,
  periodsContaining,
  PeriodWindow,
  splitCredits,
  sprintWindow,
  startOfLocalDate,
} from '@pacer/sales-domain';
import { Activity, Scenario } from '@pacer/api-client';

/**
 * An independent, deliberately naive implementation of SPEC §5 and §6 for the system tests: it sees
 * the same input the services were sent and recomputes every number from scratch, with no
 * incremental state, no SQL and none of the services' code.
 */
export type MetricValues = Record<KpiMetric, string | number | null>;

export interface ReferenceSnapshot {
  scope: 'rep' | 'team' | 'org';
  scopeId: string;
  periodType: string;
  periodKey: string;
  metrics: MetricValues;
}

export function snapshotKey(scope: string, scopeId: string, periodType: string, periodKey: string): string {
  return `${scope}:${scopeId}:${periodType}:${periodKey}`;
}

interface Tally {
  scope: 'rep' | 'team' | 'org';
  scopeId: string;
  period: PeriodWindow;
  counts: Record<string, number>;
  pipeline: Decimal;
  revenue: Decimal;
  cycleDays: number[];
  forecastPipeline: Decimal;
  forecastWeighted: Decimal;
}

/** What survives voids: the first payload of each activity id, minus voided ones. */
export function effectiveActivities(scenario: Scenario): Activity[] {
  const byId = new Map<string, Activity>();
  for (const a of [...scenario.activities, ...scenario.cancellations]) if (!byId.has(a.activityId)) byId.set(a.activityId, a);
  const voided = new Set(scenario.voids);
  return [...byId.values()].filter((a) => !voided.has(a.activityId));
}

export interface SprintRef {
  sprintId: string;
  teamId: string;
  startDate: string;
  lengthDays: number;
}

export function referenceKpis(scenario: Scenario, sprints: readonly SprintRef[]): Map<string, ReferenceSnapshot> {
  const cal = scenario.calendar;
  const facts = effectiveActivities(scenario);
  const cancelled = new Set(facts.filter((a) => a.kind === 'deal_cancelled').map((a) => String(a['dealId'])));
  const oppCreatedAt = new Map<string, string>();
  for (const a of facts) if (a.kind === 'opportunity_created') oppCreatedAt.set(String(a['opportunityId']), a.occurredAt);
  const intervals = scenario.members.map((m) => ({ ...m, from: startOfLocalDate(m.effectiveFrom, cal.timezone).toMillis() }));
  const teamsAt = (repId: string, at: string): string[] => {
    const t = parseInstant(at).toMillis();
    return [...new Set(intervals.filter((m) => m.repId === repId && m.from <= t).map((m) => m.teamId))];
  };
  const sprintWindows = sprints.map((s) => ({ ...s, window: sprintWindow(s.sprintId, s.startDate, s.lengthDays, cal.timezone) }));
  const tallies = new Map<string, Tally>();
  const tally = (scope: Tally['scope'], scopeId: string, period: PeriodWindow): Tally => {
    const key = snapshotKey(scope, scopeId, period.type, period.key);
    let t = tallies.get(key);
    if (!t) {
      t = {
        scope,
        scopeId,
        period,
        counts: {},
        pipeline: new Decimal(0),
        revenue: new Decimal(0),
        cycleDays: [],
        forecastPipeline: new Decimal(0),
        forecastWeighted: new Decimal(0),
      };
      tallies.set(key, t);
    }
    return t;
  };
  /** Every (scope, period) an event of `repId` at `at` lands in, team and sprint attribution at `at`. */
  const targets = (repId: string, at: string, withOrg: boolean): Tally[] => {
    const periods = periodsContaining(at, cal);
    const teams = teamsAt(repId, at);
    const out: Tally[] = [];
    for (const p of periods) {
      out.push(tally('rep', repId, p));
      for (const team of teams) out.push(tally('team', team, p));
      if (withOrg) out.push(tally('org', scenario.tenantId, p));
    }
    for (const s of sprintWindows) {
      if (teams.includes(s.teamId) && isWithin(at, s.window)) {
        out.push(tally('rep', repId, s.window), tally('team', s.teamId, s.window));
      }
    }
    return out;
  };
  const bump = (ts: Tally[], metric: string): void => {
    for (const t of ts) t.counts[metric] = (t.counts[metric] ?? 0) + 1;
  };

  for (const a of facts) {
    // Neither moves a metric by itself: a stage change is not counted, a cancellation only removes its deal.
    if (a.kind === 'deal_cancelled' || a.kind === 'opportunity_stage_changed') continue;
    if (a.kind === 'deal_won') {
      if (cancelled.has(String(a['dealId']))) continue;
      const primary = targets(a.repId, a.occurredAt, true);
      bump(primary, 'dealsWon');
      const opened = (a['openedAt'] as string | undefined) ?? oppCreatedAt.get(String(a['opportunityId']));
      if (opened) {
        const days = (parseInstant(a.occurredAt).toMillis() - parseInstant(opened).toMillis()) / 86_400_000;
        for (const t of primary) t.cycleDays.push(days);
      }
      const credits = splitCredits(String(a['amount']), a.repId, a['credits'] as { repId: string; share: string }[] | undefined);
      for (const c of credits) {
        for (const t of targets(c.repId, a.occurredAt, false)) t.revenue = t.revenue.plus(c.credit);
      }
      for (const t of primary.filter((x) => x.scope === 'org')) t.revenue = t.revenue.plus(String(a['amount']));
      continue;
    }
    const ts = targets(a.repId, a.occurredAt, true);
    switch (a.kind) {
      case 'call_logged':
        bump(ts, 'calls');
        if (a['outcome'] === 'connected') bump(ts, 'connects');
        break;
      case 'email_sent':
        bump(ts, 'emails');
        break;
      case 'meeting_scheduled':
        bump(ts, 'meetingsScheduled');
        break;
      case 'meeting_held':
        bump(ts, 'meetingsHeld');
        break;
      case 'lead_created':
        bump(ts, 'leadsCreated');
        break;
      case 'opportunity_created':
        bump(ts, 'opportunitiesCreated');
        for (const t of ts) t.pipeline = t.pipeline.plus(String(a['amount']));
        break;
      case 'deal_lost':
        bump(ts, 'dealsLost');
        break;
      default:
        break;
    }
  }

  // Forecasts (SPEC §3 forecast fields, §5): per opportunity, the latest value of each field by
  // (occurredAt, activityId) among its not-voided creation and stage changes; its rep is the creator's;
  // open unless lost or won and not cancelled; counted at its close date's local midnight.
  const laterThan = (a: Activity, b: Activity | undefined): boolean =>
    !b || parseInstant(a.occurredAt).toMillis() > parseInstant(b.occurredAt).toMillis() ||
    (parseInstant(a.occurredAt).toMillis() === parseInstant(b.occurredAt).toMillis() && a.activityId > b.activityId);
  const byOpportunity = new Map<string, Activity[]>();
  for (const a of facts) {
    if (a.kind !== 'opportunity_created' && a.kind !== 'opportunity_stage_changed') continue;
    const id = String(a['opportunityId']);
    byOpportunity.set(id, [...(byOpportunity.get(id) ?? []), a]);
  }
  for (const [opportunityId, list] of byOpportunity) {
    const latest = (field: string): string | undefined => {
      let best: Activity | undefined;
      for (const a of list) if (a[field] !== undefined && laterThan(a, best)) best = a;
      return best === undefined ? undefined : String(best[field]);
    };
    let creation: Activity | undefined;
    for (const a of list) if (a.kind === 'opportunity_created' && laterThan(a, creation)) creation = a;
    const closeDate = latest('expectedCloseDate');
    const amount = latest('amount');
    if (!creation || closeDate === undefined || amount === undefined) continue;
    const closed = facts.some(
      (a) =>
        a['opportunityId'] === opportunityId &&
        (a.kind === 'deal_lost' || (a.kind === 'deal_won' && !cancelled.has(String(a['dealId'])))),
    );
    if (closed) continue;
    const at = startOfLocalDate(closeDate, cal.timezone).toISO()!;
    for (const t of targets(creation.repId, at, true)) {
      t.forecastPipeline = t.forecastPipeline.plus(amount);
      t.forecastWeighted = t.forecastWeighted.plus(new Decimal(amount).times(latest('probability') ?? '0'));
    }
  }

  const quotaOf = (repId: string, key: string): Decimal | undefined => {
    const q = scenario.quotas.find((x) => x.repId === repId && x.periodKey === key);
    return q ? new Decimal(q.amount) : undefined;
  };
  const out = new Map<string, ReferenceSnapshot>();
  for (const [key, t] of tallies) {
    const c = (m: string): number => t.counts[m] ?? 0;
    let quota: Decimal | undefined;
    if (t.period.type === 'month' || t.period.type === 'quarter' || t.period.type === 'year') {
      const end = parseInstant(periodOfKey(t.period.type, t.period.key, cal).end).toMillis();
      const reps =
        t.scope === 'rep'
          ? [t.scopeId]
          : t.scope === 'team'
            ? // members at any time during the period (no one leaves in this scenario)
              [...new Set(intervals.filter((m) => m.teamId === t.scopeId && m.from < end).map((m) => m.repId))]
            : [...new Set(scenario.quotas.map((q) => q.repId))];
      for (const rep of reps) {
        const q = quotaOf(rep, t.period.key);
        if (q) quota = (quota ?? new Decimal(0)).plus(q);
      }
    }
    const ratio = (n: Decimal.Value, d: Decimal.Value): number | null => (new Decimal(d).isZero() ? null : new Decimal(n).dividedBy(d).toNumber());
    const activities = c('calls') + c('emails') + c('meetingsHeld');
    const metrics: MetricValues = {
      calls: c('calls'),
      connects: c('connects'),
      connectRate: ratio(c('connects'), c('calls')),
      emails: c('emails'),
      meetingsScheduled: c('meetingsScheduled'),
      meetingsHeld: c('meetingsHeld'),
      leadsCreated: c('leadsCreated'),
      opportunitiesCreated: c('opportunitiesCreated'),
      pipelineCreated: formatMoney(t.pipeline),
      dealsWon: c('dealsWon'),
      dealsLost: c('dealsLost'),
      revenueWon: formatMoney(t.revenue),
      winRate: ratio(c('dealsWon'), c('dealsWon') + c('dealsLost')),
      avgDealSize: c('dealsWon') === 0 ? null : formatMoney(t.revenue.dividedBy(c('dealsWon'))),
      avgSalesCycleDays: t.cycleDays.length === 0 ? null : t.cycleDays.reduce((s, d) => s + d, 0) / t.cycleDays.length,
      quota: quota ? formatMoney(quota) : null,
      quotaAttainment: quota && !quota.isZero() ? t.revenue.dividedBy(quota).toNumber() : null,
      callsPerMeeting: ratio(c('calls'), c('meetingsHeld')),
      revenuePerActivity: activities === 0 ? null : formatMoney(t.revenue.dividedBy(activities)),
      forecastPipeline: formatMoney(t.forecastPipeline),
      // Rounded once per scope; coverage reads the rounded figure, as the service publishes it.
      forecastWeighted: formatMoney(t.forecastWeighted),
      forecastCoverage: quota && !quota.isZero() ? t.revenue.plus(formatMoney(t.forecastWeighted)).dividedBy(quota).toNumber() : null,
    };
    out.set(key, { scope: t.scope, scopeId: t.scopeId, periodType: t.period.type, periodKey: t.period.key, metrics });
  }
  return out;
}

/** Differences between a reference snapshot's metrics and a service's, ratios compared to 1e-9. */
export function metricDiffs(expected: MetricValues, actual: Record<string, unknown>): string[] {
  const diffs: string[] = [];
  for (const m of KPI_METRICS) {
    const e = expected[m];
    const a = actual[m];
    const same =
      typeof e === 'number' && typeof a === 'number' && !Number.isInteger(e)
        ? Math.abs(e - a) <= 1e-9 * Math.max(1, Math.abs(e))
        : e === a;
    if (!same) diffs.push(`${m}: expected ${JSON.stringify(e)}, got ${JSON.stringify(a)}`);
  }
  return diffs;
}

/**
 * Commission totals per rep and fiscal quarter (SPEC §6) for the scenario's plans: graduated bands in
 * (occurredAt, dealId) order or the retroactive band of the period total, plus the quota SPIFF. A deal
 * cancelled within the clawback window is simply gone; the scenario's cancellation is inside it.
 */
export function referenceCommissions(scenario: Scenario): Map<string, string> {
  const facts = effectiveActivities(scenario);
  const cancelled = new Set(facts.filter((a) => a.kind === 'deal_cancelled').map((a) => String(a['dealId'])));
  const perPeriod = new Map<string, { occurredAt: number; dealId: string; credit: Decimal }[]>();
  for (const a of facts) {
    if (a.kind !== 'deal_won' || cancelled.has(String(a['dealId'])) || a['currency'] !== 'USD') continue;
    for (const c of splitCredits(String(a['amount']), a.repId, a['credits'] as { repId: string; share: string }[] | undefined)) {
      if (!scenario.assignments.some((x) => x.repId === c.repId)) continue;
      const key = `${c.repId}|${periodsContaining(a.occurredAt, scenario.calendar)[3]!.key}`;
      const list = perPeriod.get(key) ?? [];
      list.push({ occurredAt: parseInstant(a.occurredAt).toMillis(), dealId: String(a['dealId']), credit: new Decimal(c.credit) });
      perPeriod.set(key, list);
    }
  }
  const totals = new Map<string, string>();
  for (const [key, deals] of perPeriod) {
    const [repId, periodKey] = key.split('|') as [string, string];
    const plan = scenario.plans.find((p) => p.planId === scenario.assignments.find((x) => x.repId === repId)?.planId)!.body;
    const quota = scenario.quotas.find((q) => q.repId === repId && q.periodKey === periodKey);
    const tiers = plan.tiers.map((t) => ({ from: new Decimal(t.from), rate: new Decimal(t.rate) }));
    deals.sort((x, y) => x.occurredAt - y.occurredAt || (x.dealId < y.dealId ? -1 : x.dealId > y.dealId ? 1 : 0));
    const credited = deals.reduce((s, d) => s.plus(d.credit), new Decimal(0));
    let total = new Decimal(0);
    if (!quota) {
      total = deals.reduce((s, d) => s.plus(d.credit.times(tiers[0]!.rate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP)), new Decimal(0));
    } else if (plan.tierMode === 'retroactive') {
      const attainment = credited.dividedBy(quota.amount);
      const band = [...tiers].reverse().find((t) => attainment.gte(t.from))!;
      total = credited.times(band.rate);
    } else {
      let cum = new Decimal(0);
      for (const d of deals) {
        let line = new Decimal(0);
        let remaining = d.credit;
        for (let i = 0; i < tiers.length && remaining.gt(0); i += 1) {
          const upper = tiers[i + 1] ? tiers[i + 1]!.from.times(quota.amount) : undefined;
          const room = upper ? Decimal.max(0, upper.minus(cum)) : remaining;
          const part = Decimal.min(room, remaining);
          line = line.plus(part.times(tiers[i]!.rate));
          cum = cum.plus(part);
          remaining = remaining.minus(part);
        }
        total = total.plus(line.toDecimalPlaces(2, Decimal.ROUND_HALF_UP));
      }
    }
    if (quota) {
      for (const spiff of plan.spiffs) {
        if (spiff.metric === 'quotaAttainment' && credited.dividedBy(quota.amount).gte(spiff.threshold)) total = total.plus(spiff.amount);
      }
    }
    totals.set(key, formatMoney(total));
  }
  return totals;
}
