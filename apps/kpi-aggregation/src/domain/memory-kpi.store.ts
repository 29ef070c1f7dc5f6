import { PeriodType } from '@pacer/contracts';
import { CancelRecord } from './deal-cancellation';
import { FactRow, factRowId } from './kpi-fact';
import { KeyDelta } from './kpi-delta';
import { keyIdOf } from './kpi-key';
import { SnapshotRecord } from './kpi-snapshot';
import { addTally, emptyTally } from './kpi-tally';
import { Accumulator, FactSelector, KpiStore } from './kpi.store';
import { MembershipEvent, MembershipInterval } from '@pacer/sales-domain';
import { ForecastRow, OpportunityEvent } from './opportunity-forecast';
import { QuotaRecord } from './quota';
import { SprintRecord } from './sprint-record';
import { SettingsRecord } from './tenant-settings';

interface TenantState {
  settings?: SettingsRecord;
  membershipEvents: Map<string, MembershipEvent>;
  intervals: Map<string, MembershipInterval[]>;
  sprints: Map<string, SprintRecord>;
  quotas: Map<string, QuotaRecord>;
  cancels: Map<string, CancelRecord>;
  facts: Map<string, FactRow>;
  opportunityEvents: Map<string, OpportunityEvent>;
  forecasts: Map<string, ForecastRow>;
  accumulators: Map<string, Accumulator>;
  snapshots: Map<string, SnapshotRecord>;
}

const copy = <T>(value: T): T => structuredClone(value);

function inRange(t: number, from: number, to: number | null): boolean {
  return t >= from && (to === null || t < to);
}

/**
 * The KPI store in memory: the pure aggregation core runs on it in unit and property tests exactly
 * as it runs on Postgres in the service. Values are copied in and out, as a database would.
 */
export class MemoryKpiStore implements KpiStore {
  private readonly tenants = new Map<string, TenantState>();

  private state(tenantId: string): TenantState {
    let s = this.tenants.get(tenantId);
    if (!s) {
      s = {
        membershipEvents: new Map(),
        intervals: new Map(),
        sprints: new Map(),
        quotas: new Map(),
        cancels: new Map(),
        facts: new Map(),
        opportunityEvents: new Map(),
        forecasts: new Map(),
        accumulators: new Map(),
        snapshots: new Map(),
      };
      this.tenants.set(tenantId, s);
    }
    return s;
  }

  /** Every published snapshot of a tenant (for tests). */
  snapshots(tenantId: string): SnapshotRecord[] {
    return [...this.state(tenantId).snapshots.values()].map(copy);
  }

  /** Every running total of a tenant (for tests). */
  accumulators(tenantId: string): Accumulator[] {
    return [...this.state(tenantId).accumulators.values()].map(copy);
  }

  async lockTenant(): Promise<void> {
    // One caller at a time by construction.
  }

  async listTenants(): Promise<string[]> {
    return [...this.tenants.keys()].sort();
  }

  async loadSettings(tenantId: string): Promise<SettingsRecord | undefined> {
    const s = this.state(tenantId).settings;
    return s && copy(s);
  }

  async saveSettings(tenantId: string, settings: SettingsRecord): Promise<void> {
    this.state(tenantId).settings = copy(settings);
  }

  async addMembershipEvents(tenantId: string, events: readonly MembershipEvent[]): Promise<void> {
    const map = this.state(tenantId).membershipEvents;
    for (const e of events) if (!map.has(e.eventId)) map.set(e.eventId, copy(e));
  }

  async loadMembershipEvents(tenantId: string, pairs: readonly { teamId: string; repId: string }[]): Promise<MembershipEvent[]> {
    const wanted = new Set(pairs.map((p) => `${p.teamId}\u0000${p.repId}`));
    return [...this.state(tenantId).membershipEvents.values()].filter((e) => wanted.has(`${e.teamId}\u0000${e.repId}`)).map(copy);
  }

  async loadIntervals(tenantId: string, by: { repIds?: readonly string[]; teamIds?: readonly string[] } | 'all'): Promise<MembershipInterval[]> {
    const all = [...this.state(tenantId).intervals.values()].flat();
    if (by === 'all') return all.map(copy);
    const reps = new Set(by.repIds ?? []);
    const teams = new Set(by.teamIds ?? []);
    return all.filter((i) => reps.has(i.repId) || teams.has(i.teamId)).map(copy);
  }

  async replaceIntervals(tenantId: string, teamId: string, repId: string, intervals: readonly MembershipInterval[]): Promise<void> {
    this.state(tenantId).intervals.set(`${teamId}\u0000${repId}`, intervals.map(copy));
  }

  async loadSprints(tenantId: string, by: { sprintIds?: readonly string[]; teamIds?: readonly string[] }): Promise<SprintRecord[]> {
    const ids = new Set(by.sprintIds ?? []);
    const teams = new Set(by.teamIds ?? []);
    return [...this.state(tenantId).sprints.values()].filter((s) => ids.has(s.sprintId) || teams.has(s.teamId)).map(copy);
  }

  async saveSprints(tenantId: string, sprints: readonly SprintRecord[]): Promise<void> {
    for (const s of sprints) this.state(tenantId).sprints.set(s.sprintId, copy(s));
  }

  async loadQuotas(
    tenantId: string,
    by: { pairs?: readonly { repId: string; periodKey: string }[]; periodKeys?: readonly string[]; repIds?: readonly string[] } | 'all',
  ): Promise<QuotaRecord[]> {
    const all = [...this.state(tenantId).quotas.values()];
    if (by === 'all') return all.map(copy);
    const pairs = new Set((by.pairs ?? []).map((p) => `${p.repId}\u0000${p.periodKey}`));
    const keys = new Set(by.periodKeys ?? []);
    const reps = new Set(by.repIds ?? []);
    return all.filter((q) => pairs.has(`${q.repId}\u0000${q.periodKey}`) || keys.has(q.periodKey) || reps.has(q.repId)).map(copy);
  }

  async saveQuotas(tenantId: string, quotas: readonly QuotaRecord[]): Promise<void> {
    for (const q of quotas) this.state(tenantId).quotas.set(`${q.repId}\u0000${q.periodKey}`, copy(q));
  }

  async loadCancels(tenantId: string, by: { activityIds?: readonly string[]; dealIds?: readonly string[] }): Promise<CancelRecord[]> {
    const ids = new Set(by.activityIds ?? []);
    const deals = new Set(by.dealIds ?? []);
    return [...this.state(tenantId).cancels.values()].filter((c) => ids.has(c.activityId) || deals.has(c.dealId)).map(copy);
  }

  async saveCancels(tenantId: string, cancels: readonly CancelRecord[]): Promise<void> {
    for (const c of cancels) this.state(tenantId).cancels.set(c.activityId, copy(c));
  }

  async loadFacts(tenantId: string, selector: FactSelector): Promise<FactRow[]> {
    const ids = new Set(selector.activityIds ?? []);
    const deals = new Set(selector.dealIds ?? []);
    const opps = new Set(selector.opportunityIds ?? []);
    const ranges = selector.ranges ?? [];
    return [...this.state(tenantId).facts.values()]
      .filter(
        (r) =>
          ids.has(r.activityId) ||
          (r.dealId !== null && deals.has(r.dealId)) ||
          (r.opportunityId !== null && opps.has(r.opportunityId)) ||
          ranges.some((g) => (g.repId === undefined || g.repId === r.repId) && inRange(r.occurredMs, g.fromMs, g.toMs)),
      )
      .map(copy);
  }

  async scanFacts(tenantId: string, after: { activityId: string; repId: string } | null, limit: number): Promise<FactRow[]> {
    const rows = [...this.state(tenantId).facts.values()].sort((a, b) =>
      a.activityId === b.activityId ? (a.repId < b.repId ? -1 : a.repId > b.repId ? 1 : 0) : a.activityId < b.activityId ? -1 : 1,
    );
    const start = after
      ? rows.findIndex((r) => r.activityId > after.activityId || (r.activityId === after.activityId && r.repId > after.repId))
      : 0;
    return start < 0 ? [] : rows.slice(start, start + limit).map(copy);
  }

  async saveFacts(tenantId: string, rows: readonly FactRow[]): Promise<void> {
    for (const r of rows) this.state(tenantId).facts.set(factRowId(r), copy(r));
  }

  async loadOpportunityEvents(tenantId: string, by: { activityIds?: readonly string[]; opportunityIds?: readonly string[] }): Promise<OpportunityEvent[]> {
    const activityIds = new Set(by.activityIds ?? []);
    const opportunityIds = new Set(by.opportunityIds ?? []);
    return [...this.state(tenantId).opportunityEvents.values()]
      .filter((e) => activityIds.has(e.activityId) || opportunityIds.has(e.opportunityId))
      .map(copy);
  }

  async saveOpportunityEvents(tenantId: string, events: readonly OpportunityEvent[]): Promise<void> {
    for (const e of events) this.state(tenantId).opportunityEvents.set(e.activityId, copy(e));
  }

  async loadForecasts(
    tenantId: string,
    by: { opportunityIds?: readonly string[]; ranges?: readonly { repId?: string; fromMs: number; toMs: number | null }[] },
  ): Promise<ForecastRow[]> {
    const ids = new Set(by.opportunityIds ?? []);
    const ranges = by.ranges ?? [];
    return [...this.state(tenantId).forecasts.values()]
      .filter(
        (f) =>
          ids.has(f.opportunityId) ||
          (f.applied !== null &&
            ranges.some((r) => (r.repId === undefined || r.repId === f.applied?.repId) && inRange(f.applied?.closeMs ?? 0, r.fromMs, r.toMs))),
      )
      .map(copy);
  }

  async scanForecasts(tenantId: string, after: string | null, limit: number): Promise<ForecastRow[]> {
    return [...this.state(tenantId).forecasts.values()]
      .filter((f) => after === null || f.opportunityId > after)
      .sort((a, b) => (a.opportunityId < b.opportunityId ? -1 : 1))
      .slice(0, limit)
      .map(copy);
  }

  async saveForecasts(tenantId: string, rows: readonly ForecastRow[]): Promise<void> {
    for (const r of rows) this.state(tenantId).forecasts.set(r.opportunityId, copy(r));
  }

  async applyDeltas(tenantId: string, deltas: readonly KeyDelta[]): Promise<Accumulator[]> {
    const map = this.state(tenantId).accumulators;
    const out: Accumulator[] = [];
    for (const d of deltas) {
      const keyId = keyIdOf(tenantId, d.ref);
      const acc = map.get(keyId) ?? { keyId, ref: copy(d.ref), tally: emptyTally(), asOfMs: null };
      addTally(acc.tally, d.tally, 1);
      if (d.touchedMs !== null && (acc.asOfMs === null || d.touchedMs > acc.asOfMs)) acc.asOfMs = d.touchedMs;
      map.set(keyId, acc);
      out.push(copy(acc));
    }
    return out;
  }

  async setAsOf(tenantId: string, updates: readonly { keyId: string; asOfMs: number | null }[]): Promise<void> {
    const map = this.state(tenantId).accumulators;
    for (const u of updates) {
      const acc = map.get(u.keyId);
      if (acc) acc.asOfMs = u.asOfMs;
    }
  }

  async loadAccumulators(tenantId: string, keyIds: readonly string[] | 'all'): Promise<Accumulator[]> {
    const map = this.state(tenantId).accumulators;
    if (keyIds === 'all') return [...map.values()].map(copy);
    return keyIds.flatMap((id) => {
      const a = map.get(id);
      return a ? [copy(a)] : [];
    });
  }

  async loadAccumulatorsOfPeriods(tenantId: string, periodType: PeriodType, periodKeys: readonly string[]): Promise<Accumulator[]> {
    const keys = new Set(periodKeys);
    return [...this.state(tenantId).accumulators.values()].filter((a) => a.ref.periodType === periodType && keys.has(a.ref.periodKey)).map(copy);
  }

  async deleteAccumulators(tenantId: string): Promise<void> {
    this.state(tenantId).accumulators.clear();
  }

  async loadSnapshots(tenantId: string, keyIds: readonly string[] | 'all'): Promise<SnapshotRecord[]> {
    const map = this.state(tenantId).snapshots;
    if (keyIds === 'all') return [...map.values()].map(copy);
    return keyIds.flatMap((id) => {
      const s = map.get(id);
      return s ? [copy(s)] : [];
    });
  }

  async saveSnapshots(tenantId: string, snapshots: readonly SnapshotRecord[]): Promise<void> {
    for (const s of snapshots) this.state(tenantId).snapshots.set(s.keyId, copy(s));
  }

  /** Drops every read model but the published snapshots, as a rebuild does. */
  dropReadModels(): void {
    for (const s of this.tenants.values()) {
      delete s.settings;
      for (const m of [s.membershipEvents, s.intervals, s.sprints, s.quotas, s.cancels, s.facts, s.opportunityEvents, s.forecasts, s.accumulators]) m.clear();
    }
  }
}
