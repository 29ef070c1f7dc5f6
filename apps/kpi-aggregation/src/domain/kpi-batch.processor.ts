import { planPeriodOfKey } from '@pacer/contracts';
import { CalendarError, changedRanges, intervalsEqual, intervalsOf, MembershipInterval, overlaps, TenantCalendar } from '@pacer/sales-domain';
import { cancelChanged, CancelRecord, cancellationOf, DealCancellation, mergeCancel } from './deal-cancellation';
import { attribute, AttributionContext, keysOf, OpportunityOpening } from './fact-attribution';
import { deliveryChanged, factRowId, FactRow, mergeFact } from './kpi-fact';
import { DeltaSet, KeyDelta } from './kpi-delta';
import { KpiInput } from './kpi-input';
import { isCalendarPeriod, isQuotaPeriod, keyIdOf, KpiKeyRef, refId } from './kpi-key';
import { deriveMetrics } from './kpi-metrics.calculator';
import { sameSnapshot, SnapshotRecord } from './kpi-snapshot';
import { emptyTally } from './kpi-tally';
import { Accumulator, FactSelector, KpiStore } from './kpi.store';
import { latestOf } from './latest-wins';
import { periodResolverFor, PeriodResolver } from './period-resolver';
import { QuotaRecord, quotaOf } from './quota';
import { sameSprintPlan, SprintRecord, sprintSpan, SprintSpan } from './sprint-record';
import { calendarOf, sameCalendar } from './tenant-settings';
import {
  attributeForecast,
  ForecastRow,
  forecastStateOf,
  mergeOpportunityEvent,
  OpportunityEvent,
  opportunityEventChanged,
  placeForecast,
} from './opportunity-forecast';
import { laterOf } from './redelivery';

export interface ProcessOptions {
  /** False while a rebuild replays the topics: read models are built, nothing is published until it ends. */
  publish: boolean;
}

export interface PublishedSnapshot {
  tenantId: string;
  snapshot: SnapshotRecord;
}

type RepRange = { repId?: string; fromMs: number; toMs: number | null };

const RESTATE_CHUNK = 5_000;
const PUBLISH_CHUNK = 5_000;

function unique<T>(values: Iterable<T>): T[] {
  return [...new Set(values)];
}

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}


/**
 * The KPI aggregation core: folds a batch of inputs into the read models and returns the snapshots to
 * publish. Every KPI is a pure function of the stored facts, whatever order they arrived in:
 *
 * 1. raw inputs are merged into stored records by order-independent rules (newest wins, voided once voided);
 * 2. every fact whose attribution may have changed (new, voided, its deal cancelled, its opportunity
 *    opened, its rep's membership or its team's sprint changed) is attributed again from scratch;
 * 3. the difference between its old and new attribution is added to the keys it leaves and enters;
 *    an opportunity's forecast (current amount, close date, probability, open or not) is handled the
 *    same way, per opportunity, whenever any event about it or its rep's roster changes;
 * 4. each key touched (or whose quota changed) is derived again and published if it changed.
 *
 * A settings change restates the whole tenant. Storage is behind `KpiStore`, so the same code runs
 * on Postgres in the service and in memory in the unit and property tests.
 */
export class KpiBatchProcessor {
  constructor(private readonly store: KpiStore) {}

  async process(inputs: readonly KpiInput[], options: ProcessOptions): Promise<PublishedSnapshot[]> {
    const byTenant = groupBy(inputs, (i) => i.tenantId);
    const out: PublishedSnapshot[] = [];
    // Locks are taken in one global order (tenant id), so two batches can never deadlock.
    for (const tenantId of [...byTenant.keys()].sort()) {
      await this.store.lockTenant(tenantId);
      const published = await this.processTenant(tenantId, byTenant.get(tenantId) ?? [], options);
      for (const snapshot of published) out.push({ tenantId, snapshot });
    }
    return out;
  }

  /** Compares every key of every tenant with what was published and publishes the differences (end of a rebuild). */
  async publishEverything(): Promise<PublishedSnapshot[]> {
    const out: PublishedSnapshot[] = [];
    for (const tenantId of await this.store.listTenants()) {
      await this.store.lockTenant(tenantId);
      const calendar = calendarOf(await this.store.loadSettings(tenantId));
      for (const snapshot of await this.publishAll(tenantId, calendar)) out.push({ tenantId, snapshot });
    }
    return out;
  }

  private async processTenant(tenantId: string, inputs: readonly KpiInput[], options: ProcessOptions): Promise<SnapshotRecord[]> {
    const { calendar, restate } = await this.applySettings(tenantId, inputs);
    const membership = await this.applyMemberships(tenantId, inputs);
    const sprintChanges = await this.applySprints(tenantId, inputs);
    const quotaChanges = await this.applyQuotas(tenantId, inputs);
    const cancelledDeals = await this.applyCancels(tenantId, inputs);
    const changedOpportunities = await this.applyOpportunityEvents(tenantId, inputs);
    const facts = await this.mergeFacts(tenantId, inputs);
    const forecastIds = await this.forecastTriggers(tenantId, changedOpportunities, facts, cancelledDeals);

    if (restate) {
      await this.store.saveFacts(tenantId, facts);
      // Stored forecasts first take this batch's events in; the restatement then places every one anew.
      await this.reforecast(tenantId, calendar, forecastIds, [], new DeltaSet(tenantId));
      return this.restate(tenantId, calendar, options);
    }

    const ranges = await this.attributionRanges(tenantId, calendar, membership.ranges, sprintChanges);

    const rows = await this.affectedFacts(tenantId, facts, cancelledDeals, ranges);
    const ctx = await this.contextFor(tenantId, calendar, rows);
    const deltas = new DeltaSet(tenantId);
    const delivered = new Set(facts.map(factRowId));
    const toSave: FactRow[] = [];
    for (const row of rows) {
      const after = attribute(row, ctx);
      const moved = deltas.move(row, row.applied, after);
      if (moved) row.applied = after;
      if (moved || delivered.has(factRowId(row))) toSave.push(row);
    }
    await this.store.saveFacts(tenantId, toSave);
    await this.reforecast(tenantId, calendar, forecastIds, ranges, deltas);
    const keyDeltas = deltas.values();
    const accumulators = new Map((await this.store.applyDeltas(tenantId, keyDeltas)).map((a) => [a.keyId, a]));
    await this.refreshStaleAsOf(tenantId, ctx.periods, keyDeltas.filter((d) => d.stale), accumulators);

    const dirty = [...[...accumulators.values()].map((a) => a.ref), ...(await this.quotaKeys(tenantId, ctx.periods, quotaChanges, membership.pairs))];
    if (sprintChanges.length > 0) {
      // A re-planned sprint's keys have a new window even where no fact entered or left them.
      const sprintIds = unique(sprintChanges.map((c) => c.after.sprintId));
      for (const a of await this.store.loadAccumulatorsOfPeriods(tenantId, 'sprint', sprintIds)) dirty.push(a.ref);
    }
    if (!options.publish) return [];
    return this.publishKeys(tenantId, calendar, dirty, accumulators);
  }

  // ---- 1. raw inputs -------------------------------------------------------------------------

  private async applySettings(tenantId: string, inputs: readonly KpiInput[]): Promise<{ calendar: TenantCalendar; restate: boolean }> {
    const stored = await this.store.loadSettings(tenantId);
    const incoming = inputs.flatMap((i) => (i.type === 'settings' ? [i.settings] : []));
    const winner = latestOf(stored, incoming);
    if (winner && winner !== stored) await this.store.saveSettings(tenantId, winner);
    const calendar = calendarOf(winner);
    return { calendar, restate: !sameCalendar(calendarOf(stored), calendar) };
  }

  private async applyMemberships(
    tenantId: string,
    inputs: readonly KpiInput[],
  ): Promise<{ ranges: RepRange[]; pairs: { teamId: string; repId: string }[] }> {
    const events = inputs.flatMap((i) => (i.type === 'membership' ? [i.event] : []));
    if (events.length === 0) return { ranges: [], pairs: [] };
    await this.store.addMembershipEvents(tenantId, events);
    const pairs = [...groupBy(events, (e) => `${e.teamId}\u0000${e.repId}`).values()].map((list) => ({
      teamId: (list[0] as (typeof events)[number]).teamId,
      repId: (list[0] as (typeof events)[number]).repId,
    }));
    const allEvents = groupBy(await this.store.loadMembershipEvents(tenantId, pairs), (e) => `${e.teamId}\u0000${e.repId}`);
    const before = groupBy(
      await this.store.loadIntervals(tenantId, { repIds: unique(pairs.map((p) => p.repId)) }),
      (i) => `${i.teamId}\u0000${i.repId}`,
    );
    const ranges: RepRange[] = [];
    const changed: { teamId: string; repId: string }[] = [];
    for (const pair of pairs) {
      const id = `${pair.teamId}\u0000${pair.repId}`;
      const prev = [...(before.get(id) ?? [])].sort((a, b) => a.fromMs - b.fromMs);
      const next = intervalsOf(allEvents.get(id) ?? []);
      if (intervalsEqual(prev, next)) continue;
      await this.store.replaceIntervals(tenantId, pair.teamId, pair.repId, next);
      for (const r of changedRanges(prev, next)) ranges.push({ repId: pair.repId, ...r });
      changed.push(pair);
    }
    return { ranges, pairs: changed };
  }

  private async applySprints(tenantId: string, inputs: readonly KpiInput[]): Promise<{ before?: SprintRecord; after: SprintRecord }[]> {
    const incoming = groupBy(
      inputs.flatMap((i) => (i.type === 'sprint' ? [i.sprint] : [])),
      (s) => s.sprintId,
    );
    if (incoming.size === 0) return [];
    const stored = new Map((await this.store.loadSprints(tenantId, { sprintIds: [...incoming.keys()] })).map((s) => [s.sprintId, s]));
    const changes: { before?: SprintRecord; after: SprintRecord }[] = [];
    const toSave: SprintRecord[] = [];
    for (const [sprintId, list] of incoming) {
      const before = stored.get(sprintId);
      const after = latestOf(before, list);
      if (!after || after === before) continue;
      toSave.push(after);
      if (!before || !sameSprintPlan(before, after)) changes.push(before ? { before, after } : { after });
    }
    await this.store.saveSprints(tenantId, toSave);
    return changes;
  }

  private async applyQuotas(tenantId: string, inputs: readonly KpiInput[]): Promise<QuotaRecord[]> {
    const incoming = groupBy(
      inputs.flatMap((i) => (i.type === 'quota' ? [i.quota] : [])),
      (q) => `${q.repId}\u0000${q.periodKey}`,
    );
    if (incoming.size === 0) return [];
    const pairs = [...incoming.values()].map((l) => ({ repId: (l[0] as QuotaRecord).repId, periodKey: (l[0] as QuotaRecord).periodKey }));
    const stored = new Map((await this.store.loadQuotas(tenantId, { pairs })).map((q) => [`${q.repId}\u0000${q.periodKey}`, q]));
    const changed: QuotaRecord[] = [];
    for (const [id, list] of incoming) {
      const before = stored.get(id);
      const after = latestOf(before, list);
      if (after && after !== before) changed.push(after);
    }
    await this.store.saveQuotas(tenantId, changed);
    return changed;
  }

  private async applyCancels(tenantId: string, inputs: readonly KpiInput[]): Promise<string[]> {
    const incoming = groupBy(
      inputs.flatMap((i) => (i.type === 'cancel' ? [i.cancel] : [])),
      (c) => c.activityId,
    );
    if (incoming.size === 0) return [];
    const stored = new Map((await this.store.loadCancels(tenantId, { activityIds: [...incoming.keys()] })).map((c) => [c.activityId, c]));
    const changed: CancelRecord[] = [];
    for (const [activityId, list] of incoming) {
      const before = stored.get(activityId);
      let merged = before;
      for (const c of list) merged = mergeCancel(merged, c);
      if (merged && cancelChanged(before, merged)) changed.push(merged);
    }
    await this.store.saveCancels(tenantId, changed);
    return unique(changed.map((c) => c.dealId));
  }

  /** Stored facts with this batch's deliveries folded in; only those that changed. */
  private async mergeFacts(tenantId: string, inputs: readonly KpiInput[]): Promise<FactRow[]> {
    const incoming = groupBy(
      inputs.flatMap((i) => (i.type === 'facts' ? i.rows : [])),
      factRowId,
    );
    if (incoming.size === 0) return [];
    const activityIds = unique([...incoming.values()].map((l) => (l[0] as FactRow).activityId));
    const stored = new Map((await this.store.loadFacts(tenantId, { activityIds })).map((r) => [factRowId(r), r]));
    const changed: FactRow[] = [];
    for (const [id, list] of incoming) {
      const before = stored.get(id);
      let merged = before;
      for (const r of list) merged = mergeFact(merged, r);
      if (merged && deliveryChanged(before, merged)) changed.push(merged);
    }
    return changed;
  }

  /** Stores this batch's opportunity events (merged with stored deliveries); the opportunities that changed. */
  private async applyOpportunityEvents(tenantId: string, inputs: readonly KpiInput[]): Promise<string[]> {
    const incoming = groupBy(
      inputs.flatMap((i) => (i.type === 'facts' && i.opportunity ? [i.opportunity] : [])),
      (e) => e.activityId,
    );
    if (incoming.size === 0) return [];
    const stored = new Map((await this.store.loadOpportunityEvents(tenantId, { activityIds: [...incoming.keys()] })).map((e) => [e.activityId, e]));
    const changed: OpportunityEvent[] = [];
    for (const [activityId, list] of incoming) {
      const before = stored.get(activityId);
      let merged = before;
      for (const e of list) merged = mergeOpportunityEvent(merged, e);
      if (merged && opportunityEventChanged(before, merged)) changed.push(merged);
    }
    await this.store.saveOpportunityEvents(tenantId, changed);
    return unique(changed.map((e) => e.opportunityId));
  }

  // ---- 2. what to attribute again --------------------------------------------------------------

  /** Opportunities whose forecast may have changed: their own events, a win or loss naming them, a cancelled win. */
  private async forecastTriggers(
    tenantId: string,
    changedOpportunities: readonly string[],
    facts: readonly FactRow[],
    cancelledDeals: readonly string[],
  ): Promise<string[]> {
    const ids = [...changedOpportunities];
    for (const r of facts) if ((r.kind === 'deal_won' || r.kind === 'deal_lost') && r.opportunityId !== null) ids.push(r.opportunityId);
    if (cancelledDeals.length > 0) {
      for (const r of await this.store.loadFacts(tenantId, { dealIds: cancelledDeals })) {
        if (r.kind === 'deal_won' && r.opportunityId !== null) ids.push(r.opportunityId);
      }
    }
    return unique(ids);
  }

  /**
   * Derives the current forecast of every opportunity named or placed in a changed range from all
   * events about it, and moves its contribution in `deltas` from where it was to where it is now.
   */
  private async reforecast(
    tenantId: string,
    calendar: TenantCalendar,
    opportunityIds: readonly string[],
    ranges: readonly RepRange[],
    deltas: DeltaSet,
  ): Promise<void> {
    if (opportunityIds.length === 0 && ranges.length === 0) return;
    const stored = new Map((await this.store.loadForecasts(tenantId, { opportunityIds, ranges })).map((f) => [f.opportunityId, f]));
    const ids = unique([...opportunityIds, ...stored.keys()]);
    if (ids.length === 0) return;
    const events = groupBy(await this.store.loadOpportunityEvents(tenantId, { opportunityIds: ids }), (e) => e.opportunityId);
    const closers = groupBy(
      (await this.store.loadFacts(tenantId, { opportunityIds: ids })).filter((r) => r.primary && (r.kind === 'deal_won' || r.kind === 'deal_lost')),
      (r) => r.opportunityId ?? '',
    );
    const dealIds = unique([...closers.values()].flat().flatMap((r) => (r.kind === 'deal_won' && r.dealId !== null ? [r.dealId] : [])));
    const cancellations = new Map<string, DealCancellation>();
    if (dealIds.length > 0) {
      for (const [dealId, list] of groupBy(await this.store.loadCancels(tenantId, { dealIds }), (c) => c.dealId)) {
        cancellations.set(dealId, cancellationOf(list));
      }
    }
    const states = new Map(ids.map((id) => [id, forecastStateOf(events.get(id) ?? [], closers.get(id) ?? [], (d) => cancellations.get(d))]));
    const ctx = await this.contextFor(tenantId, calendar, [], unique([...states.values()].flatMap((s) => (s ? [s.repId] : []))));
    const toSave: ForecastRow[] = [];
    for (const id of ids) {
      const after = attributeForecast(states.get(id) ?? null, ctx);
      if (deltas.moveForecast(stored.get(id)?.applied ?? null, after)) toSave.push({ opportunityId: id, applied: after });
    }
    await this.store.saveForecasts(tenantId, toSave);
  }

  /** Reps and times whose team or sprint changed: everything placed there is attributed again. */
  private async attributionRanges(
    tenantId: string,
    calendar: TenantCalendar,
    membershipRanges: readonly RepRange[],
    sprintChanges: readonly { before?: SprintRecord; after: SprintRecord }[],
  ): Promise<RepRange[]> {
    const ranges: RepRange[] = [...membershipRanges];
    if (sprintChanges.length > 0) {
      const teams = unique(sprintChanges.flatMap((c) => [c.after.teamId, ...(c.before ? [c.before.teamId] : [])]));
      const members = groupBy(await this.store.loadIntervals(tenantId, { teamIds: teams }), (i) => i.teamId);
      for (const change of sprintChanges) {
        for (const sprint of change.before ? [change.before, change.after] : [change.after]) {
          const span = sprintSpan(sprint, calendar);
          for (const repId of unique((members.get(sprint.teamId) ?? []).map((i) => i.repId))) {
            ranges.push({ repId, fromMs: span.startMs, toMs: span.endMs });
          }
        }
      }
    }
    return ranges;
  }

  private async affectedFacts(
    tenantId: string,
    facts: readonly FactRow[],
    cancelledDeals: readonly string[],
    ranges: readonly RepRange[],
  ): Promise<FactRow[]> {
    const rows = new Map(facts.map((r) => [factRowId(r), r]));
    const selector: FactSelector = {};
    if (cancelledDeals.length > 0) selector.dealIds = cancelledDeals;
    // A new or voided opportunity changes the opening of its deals that carry no openedAt.
    const opportunities = unique(facts.flatMap((r) => (r.kind === 'opportunity_created' && r.opportunityId !== null ? [r.opportunityId] : [])));
    if (opportunities.length > 0) selector.opportunityIds = opportunities;
    if (ranges.length > 0) selector.ranges = ranges;
    if (selector.dealIds || selector.opportunityIds || selector.ranges) {
      for (const r of await this.store.loadFacts(tenantId, selector)) {
        const id = factRowId(r);
        if (!rows.has(id)) rows.set(id, r);
      }
    }
    return [...rows.values()];
  }

  /** Memberships, sprints, cancellations and openings of the rows' reps and deals (`rows` win over stored copies). */
  private async contextFor(
    tenantId: string,
    calendar: TenantCalendar,
    rows: readonly FactRow[],
    moreReps: readonly string[] = [],
  ): Promise<AttributionContext> {
    const periods = periodResolverFor(calendar);
    const reps = unique([...rows.map((r) => r.repId), ...moreReps]);
    const intervals = reps.length > 0 ? await this.store.loadIntervals(tenantId, { repIds: reps }) : [];
    const intervalsByRep = groupBy(intervals, (i) => i.repId);
    const teams = unique(intervals.map((i) => i.teamId));
    const sprints = teams.length > 0 ? await this.store.loadSprints(tenantId, { teamIds: teams }) : [];
    const spansByTeam = groupBy(
      sprints.map((s) => sprintSpan(s, calendar)),
      (s) => s.teamId,
    );

    const dealIds = unique(rows.flatMap((r) => (r.kind === 'deal_won' && r.dealId !== null ? [r.dealId] : [])));
    const cancellations = new Map<string, DealCancellation>();
    if (dealIds.length > 0) {
      for (const [dealId, list] of groupBy(await this.store.loadCancels(tenantId, { dealIds }), (c) => c.dealId)) {
        cancellations.set(dealId, cancellationOf(list));
      }
    }

    const openings = new Map<string, OpportunityOpening>();
    const opportunityIds = unique(
      rows.flatMap((r) => (r.kind === 'deal_won' && r.primary && r.openedMs === null && r.opportunityId !== null ? [r.opportunityId] : [])),
    );
    if (opportunityIds.length > 0) {
      const opps = new Map<string, FactRow>();
      for (const r of await this.store.loadFacts(tenantId, { opportunityIds })) if (r.kind === 'opportunity_created') opps.set(factRowId(r), r);
      for (const r of rows) if (r.kind === 'opportunity_created') opps.set(factRowId(r), r);
      for (const [opportunityId, list] of groupBy(opps.values(), (r) => r.opportunityId ?? '')) {
        let openedMs: number | null = null;
        let touchedMs: number | null = null;
        for (const r of list) {
          if (!r.voided && (openedMs === null || r.occurredMs < openedMs)) openedMs = r.occurredMs;
          touchedMs = laterOf(touchedMs, laterOf(r.recordedMs, r.voidRecordedMs));
        }
        openings.set(opportunityId, { openedMs, touchedMs });
      }
    }

    return {
      tenantId,
      periods,
      intervalsOf: (repId) => intervalsByRep.get(repId) ?? [],
      sprintsOf: (teamId) => spansByTeam.get(teamId) ?? [],
      cancellationOf: (dealId) => cancellations.get(dealId),
      openingOf: (opportunityId) => openings.get(opportunityId),
    };
  }

  // ---- 3. keys whose facts left ----------------------------------------------------------------

  /**
   * A key's asOf is the newest touch among the facts in it; raising it is incremental, but when a fact
   * leaves a key (a roster or sprint change) the newest remaining one has to be looked up.
   */
  private async refreshStaleAsOf(
    tenantId: string,
    periods: PeriodResolver,
    stale: readonly KeyDelta[],
    accumulators: Map<string, Accumulator>,
  ): Promise<void> {
    if (stale.length === 0) return;
    const sprintSpans = await this.sprintSpans(tenantId, periods.calendar, stale.map((d) => d.ref));
    const teamIds = unique(stale.flatMap((d) => (d.ref.scope === 'team' ? [d.ref.scopeId] : [])));
    const teamReps = groupBy(teamIds.length > 0 ? await this.store.loadIntervals(tenantId, { teamIds }) : [], (i) => i.teamId);
    const updates: { keyId: string; asOfMs: number | null }[] = [];
    for (const { ref } of stale) {
      const window = ref.periodType === 'sprint' ? sprintSpans.get(ref.periodKey) : periods.window(ref.periodType, ref.periodKey);
      if (!window) continue;
      const reps: (string | undefined)[] =
        ref.scope === 'rep' ? [ref.scopeId] : ref.scope === 'team' ? unique((teamReps.get(ref.scopeId) ?? []).map((i) => i.repId)) : [undefined];
      let asOf: number | null = null;
      if (reps.length > 0) {
        const ranges = reps.map((repId) => ({ ...(repId === undefined ? {} : { repId }), fromMs: window.startMs, toMs: window.endMs }));
        const rows = await this.store.loadFacts(tenantId, { ranges });
        const id = refId(ref);
        for (const row of rows) {
          if (row.applied && keysOf(tenantId, row, row.applied).some((k) => refId(k) === id)) asOf = laterOf(asOf, row.applied.touchedMs);
        }
        for (const { applied } of await this.store.loadForecasts(tenantId, { ranges })) {
          if (applied && keysOf(tenantId, applied, applied).some((k) => refId(k) === id)) asOf = laterOf(asOf, applied.touchedMs);
        }
      }
      const keyId = keyIdOf(tenantId, ref);
      updates.push({ keyId, asOfMs: asOf });
      const acc = accumulators.get(keyId);
      if (acc) acc.asOfMs = asOf;
    }
    await this.store.setAsOf(tenantId, updates);
  }

  // ---- 4. derive and publish -------------------------------------------------------------------

  /** Keys whose quota may have changed: the quota's own rep, the org, and the teams the rep was in during the period. */
  private async quotaKeys(
    tenantId: string,
    periods: PeriodResolver,
    changedQuotas: readonly QuotaRecord[],
    membershipPairs: readonly { teamId: string; repId: string }[],
  ): Promise<KpiKeyRef[]> {
    const refs: KpiKeyRef[] = [];
    if (changedQuotas.length > 0) {
      const intervals = groupBy(await this.store.loadIntervals(tenantId, { repIds: unique(changedQuotas.map((q) => q.repId)) }), (i) => i.repId);
      for (const q of changedQuotas) refs.push(...this.quotaRefs(tenantId, periods, q, intervals.get(q.repId) ?? []));
    }
    if (membershipPairs.length > 0) {
      const quotas = groupBy(await this.store.loadQuotas(tenantId, { repIds: unique(membershipPairs.map((p) => p.repId)) }), (q) => q.repId);
      for (const pair of membershipPairs) {
        for (const q of quotas.get(pair.repId) ?? []) {
          const periodType = planPeriodOfKey(q.periodKey);
          if (periodType) refs.push({ scope: 'team', scopeId: pair.teamId, periodType, periodKey: q.periodKey });
        }
      }
    }
    return refs;
  }

  private quotaRefs(tenantId: string, periods: PeriodResolver, q: QuotaRecord, intervals: readonly MembershipInterval[]): KpiKeyRef[] {
    const periodType = planPeriodOfKey(q.periodKey);
    if (!periodType) return [];
    const refs: KpiKeyRef[] = [
      { scope: 'rep', scopeId: q.repId, periodType, periodKey: q.periodKey },
      { scope: 'org', scopeId: tenantId, periodType, periodKey: q.periodKey },
    ];
    const window = periods.window(periodType, q.periodKey);
    for (const teamId of unique(intervals.map((i) => i.teamId))) {
      if (overlaps(intervals.filter((i) => i.teamId === teamId), window.startMs, window.endMs)) {
        refs.push({ scope: 'team', scopeId: teamId, periodType, periodKey: q.periodKey });
      }
    }
    return refs;
  }

  private async sprintSpans(tenantId: string, calendar: TenantCalendar, refs: readonly KpiKeyRef[]): Promise<Map<string, SprintSpan>> {
    const sprintIds = unique(refs.flatMap((r) => (r.periodType === 'sprint' ? [r.periodKey] : [])));
    if (sprintIds.length === 0) return new Map();
    return new Map((await this.store.loadSprints(tenantId, { sprintIds })).map((s) => [s.sprintId, sprintSpan(s, calendar)]));
  }

  /**
   * Derives the snapshot of every key from its totals and quota and returns (and records) those that
   * differ from what was last published, each with the next revision.
   */
  private async publishKeys(
    tenantId: string,
    calendar: TenantCalendar,
    keys: readonly KpiKeyRef[],
    known: ReadonlyMap<string, Accumulator>,
  ): Promise<SnapshotRecord[]> {
    const refs = new Map<string, KpiKeyRef>();
    for (const ref of keys) refs.set(keyIdOf(tenantId, ref), ref);
    if (refs.size === 0) return [];
    const keyIds = [...refs.keys()];
    const accumulators = new Map(known);
    const missing = keyIds.filter((id) => !accumulators.has(id));
    if (missing.length > 0) for (const a of await this.store.loadAccumulators(tenantId, missing)) accumulators.set(a.keyId, a);
    const published = new Map((await this.store.loadSnapshots(tenantId, keyIds)).map((s) => [s.keyId, s]));
    const periods = periodResolverFor(calendar);
    const sprintSpans = await this.sprintSpans(tenantId, calendar, [...refs.values()]);

    const quotaRefs = [...refs.values()].filter((r) => isQuotaPeriod(r.periodType));
    const quotasByKey = groupBy(
      quotaRefs.length > 0 ? await this.store.loadQuotas(tenantId, { periodKeys: unique(quotaRefs.map((r) => r.periodKey)) }) : [],
      (q) => q.periodKey,
    );
    const teamIds = unique(quotaRefs.flatMap((r) => (r.scope === 'team' ? [r.scopeId] : [])));
    const teamIntervals = groupBy(teamIds.length > 0 ? await this.store.loadIntervals(tenantId, { teamIds }) : [], (i) => i.teamId);

    const out: SnapshotRecord[] = [];
    for (const [keyId, ref] of refs) {
      const prev = published.get(keyId);
      let window: { start: string; end: string; startMs: number; endMs: number } | undefined;
      if (ref.periodType === 'sprint') {
        const span = sprintSpans.get(ref.periodKey);
        window = span ? { start: span.window.start, end: span.window.end, startMs: span.startMs, endMs: span.endMs } : prev?.period;
      } else if (isCalendarPeriod(ref.periodType)) {
        try {
          window = periods.window(ref.periodType, ref.periodKey);
        } catch (e) {
          // A key of an earlier calendar this one lacks (e.g. a week 53): keep the window it was published with.
          if (!(e instanceof CalendarError)) throw e;
          window = prev?.period;
        }
      }
      if (!window) continue;
      const acc = accumulators.get(keyId);
      const quota = isQuotaPeriod(ref.periodType)
        ? quotaOf(ref, window, quotasByKey.get(ref.periodKey) ?? [], (teamId) => teamIntervals.get(teamId) ?? [])
        : { amountCents: null, asOfMs: null };
      let asOfMs = laterOf(acc?.asOfMs ?? null, quota.asOfMs);
      if (asOfMs === null) {
        // Nothing is in this key any more; if it was ever published, it is published again as empty.
        if (!prev) continue;
        asOfMs = prev.asOfMs;
      }
      const next = {
        keyId,
        ref,
        period: { start: window.start, end: window.end, startMs: window.startMs, endMs: window.endMs },
        metrics: deriveMetrics(acc?.tally ?? emptyTally(), quota.amountCents),
        asOfMs,
      };
      if (prev && sameSnapshot(prev, next)) continue;
      out.push({ ...next, revision: (prev?.revision ?? 0) + 1 });
    }
    await this.store.saveSnapshots(tenantId, out);
    return out;
  }

  /** Every key the tenant has (totals, quotas, anything published before), derived and compared. */
  private async publishAll(tenantId: string, calendar: TenantCalendar): Promise<SnapshotRecord[]> {
    const accumulators = await this.store.loadAccumulators(tenantId, 'all');
    const refs: KpiKeyRef[] = accumulators.map((a) => a.ref);
    const quotas = await this.store.loadQuotas(tenantId, 'all');
    if (quotas.length > 0) {
      const periods = periodResolverFor(calendar);
      const intervals = groupBy(await this.store.loadIntervals(tenantId, 'all'), (i) => i.repId);
      for (const q of quotas) refs.push(...this.quotaRefs(tenantId, periods, q, intervals.get(q.repId) ?? []));
    }
    for (const s of await this.store.loadSnapshots(tenantId, 'all')) refs.push(s.ref);
    const known = new Map(accumulators.map((a) => [a.keyId, a]));
    const distinct = [...new Map(refs.map((r) => [refId(r), r])).values()];
    const out: SnapshotRecord[] = [];
    for (let i = 0; i < distinct.length; i += PUBLISH_CHUNK) {
      out.push(...(await this.publishKeys(tenantId, calendar, distinct.slice(i, i + PUBLISH_CHUNK), known)));
    }
    return out;
  }

  /** A new calendar moves every fact: all totals are rebuilt from the facts and every key compared. */
  private async restate(tenantId: string, calendar: TenantCalendar, options: ProcessOptions): Promise<SnapshotRecord[]> {
    await this.store.deleteAccumulators(tenantId);
    let after: { activityId: string; repId: string } | null = null;
    for (;;) {
      const rows = await this.store.scanFacts(tenantId, after, RESTATE_CHUNK);
      if (rows.length === 0) break;
      const ctx = await this.contextFor(tenantId, calendar, rows);
      const deltas = new DeltaSet(tenantId);
      for (const row of rows) {
        const applied = attribute(row, ctx);
        deltas.move(row, null, applied);
        row.applied = applied;
      }
      await this.store.saveFacts(tenantId, rows);
      await this.store.applyDeltas(tenantId, deltas.values());
      const last = rows[rows.length - 1] as FactRow;
      after = { activityId: last.activityId, repId: last.repId };
    }
    let afterOpportunity: string | null = null;
    for (;;) {
      const rows = await this.store.scanForecasts(tenantId, afterOpportunity, RESTATE_CHUNK);
      if (rows.length === 0) break;
      const ctx = await this.contextFor(tenantId, calendar, [], unique(rows.flatMap((r) => (r.applied ? [r.applied.repId] : []))));
      const deltas = new DeltaSet(tenantId);
      const placed: ForecastRow[] = [];
      for (const row of rows) {
        if (!row.applied) continue;
        const applied = placeForecast(row.applied, ctx);
        deltas.moveForecast(null, applied);
        placed.push({ opportunityId: row.opportunityId, applied });
      }
      await this.store.saveForecasts(tenantId, placed);
      await this.store.applyDeltas(tenantId, deltas.values());
      afterOpportunity = (rows[rows.length - 1] as ForecastRow).opportunityId;
    }
    if (!options.publish) return [];
    return this.publishAll(tenantId, calendar);
  }
}
